import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { AuditLogRepository } from './audit-log.repository';
import { StaffUsersRepository } from './staff-users.repository';
import { StaffInputError, type NewStaffUser, type StaffUser, type StaffUserChanges } from './staff.types';

/** Account management for admins, audited; an admin cannot deactivate or demote their own account. */
@Injectable()
export class StaffAccountsService {
  constructor(
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'languages'>,
  ) {}

  /** The languages Sira's content declares: the ones staff can be set to call in. */
  languages(): string[] {
    return this.content.languages.map((l) => l.code);
  }

  list(): Promise<StaffUser[]> {
    return this.users.list();
  }

  async create(admin: StaffUser, input: NewStaffUser): Promise<StaffUser> {
    this.checkLanguages(input.languages);
    const created = await this.inputErrors(() => this.users.create(input));
    await this.audit.record({ staffId: admin.id, action: 'user_created', detail: { user: created.id, role: created.role } });
    return created;
  }

  async update(admin: StaffUser, id: string, changes: StaffUserChanges): Promise<StaffUser> {
    if (changes.languages) this.checkLanguages(changes.languages);
    const own = id === admin.id ? { ...changes, active: undefined, role: undefined } : changes;
    const updated = await this.inputErrors(() => this.users.update(id, own));
    if (!updated) throw new NotFoundException('no such staff account');
    const detail: Record<string, string | boolean> = { user: id, role: updated.role, active: updated.active };
    if (changes.password) detail.password_changed = true;
    await this.audit.record({ staffId: admin.id, action: 'user_updated', detail });
    return updated;
  }

  private checkLanguages(languages: string[]): void {
    const known = new Set(this.languages());
    const unknown = languages.filter((l) => !known.has(l));
    if (unknown.length) throw new BadRequestException(`languages: unknown ${unknown.join(', ')}`);
  }

  private async inputErrors<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof StaffInputError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}
