import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { AuditLogRepository } from './audit-log.repository';
import { StaffUsersRepository } from './staff-users.repository';
import { StaffInputError, type NewStaffUser, type StaffUser, type StaffUserChanges } from './staff.types';

/** Account management, audited: admins for every account (never their own role or activity), each account its own password. */
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

  /**
   * An admin's change to an account. Her own role, active flag and password are not hers to change here
   * (409: another admin changes the first two, the account page the last, with the current password).
   * A password set for someone else is a reset: they choose their own at their next sign-in.
   */
  async update(admin: StaffUser, id: string, changes: StaffUserChanges): Promise<StaffUser> {
    if (changes.languages) this.checkLanguages(changes.languages);
    if (id === admin.id) refuseOwnChanges(admin, changes);
    const reset = changes.password !== undefined && id !== admin.id;
    const updated = await this.inputErrors(() => this.users.update(id, reset ? { ...changes, passwordChangeRequired: true } : changes));
    if (!updated) throw new NotFoundException('no such staff account');
    const detail: Record<string, string | boolean> = { user: id, role: updated.role, active: updated.active };
    if (reset) detail.password_reset = true;
    await this.audit.record({ staffId: admin.id, action: 'user_updated', detail });
    if (reset) await this.audit.record({ staffId: admin.id, action: 'password_reset', detail: { user: id } });
    return updated;
  }

  /** The account's own password change (current password needed); its other sessions end. */
  async changeOwnPassword(staff: StaffUser, input: { current: string; password: string; confirm: string }, keepSessionHash: string): Promise<void> {
    if (input.password !== input.confirm) throw new BadRequestException('the two new passwords differ');
    const result = await this.inputErrors(() => this.users.changeOwnPassword(staff.id, input.current, input.password, keepSessionHash));
    if (result === 'wrong_password') throw new BadRequestException('the current password is wrong: nothing changed');
    await this.audit.record({ staffId: staff.id, action: 'password_changed' });
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

function refuseOwnChanges(admin: StaffUser, changes: StaffUserChanges): void {
  if (changes.role !== undefined && changes.role !== admin.role) throw new ConflictException('you cannot change your own role: another admin must');
  if (changes.active === false) throw new ConflictException('you cannot deactivate your own account: another admin must');
  if (changes.password !== undefined) throw new ConflictException('change your own password from your account page (your current password is needed)');
}
