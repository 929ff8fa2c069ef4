import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { AuditLogRepository } from './audit-log.repository';
import { StaffUsersRepository } from './staff-users.repository';

/**
 * The first admin from STAFF_ADMIN_EMAIL / STAFF_ADMIN_PASSWORD: created at start when no account has
 * that e-mail, never updated afterwards (changing the variable later resets nothing; use the CLI).
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly log = new Logger(FirstAdminBootstrap.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'languages'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.staff.admin;
    if (!admin || (await this.users.findByEmail(admin.email))) return;
    try {
      const created = await this.users.create({
        email: admin.email,
        displayName: 'Admin',
        password: admin.password,
        role: 'admin',
        languages: this.content.languages.map((l) => l.code),
      });
      await this.audit.record({ staffId: created.id, action: 'first_admin_created', detail: { via: 'config' } });
      this.log.log('first staff admin created from STAFF_ADMIN_EMAIL');
    } catch (err) {
      // another process created it at the same moment: the unique e-mail index settles it
      if (!(await this.users.findByEmail(admin.email))) throw err;
    }
  }
}
