export { StaffModule } from './staff.module';
export { StaffUsersRepository } from './staff-users.repository';
export { AuditLogRepository, type AuditAction, type AuditEntry } from './audit-log.repository';
export { StaffQueueService, compareItems, type QueueItem, type TakeNextResult } from './staff-queue.service';
export { StaffRequestsService, type OutcomeInput } from './staff-requests.service';
export { PasswordHasher } from './password.hasher';
export { MIN_PASSWORD_LENGTH } from './password-policy';
export { staffUsers, staffSessions, staffAuditLog, STAFF_ROLES, type StaffRole } from './staff.schema';
export type { StaffUser, NewStaffUser, StaffUserChanges } from './staff.types';
