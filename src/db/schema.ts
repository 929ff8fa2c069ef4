/**
 * Every table of Sira's one PostgreSQL schema. drizzle-kit reads this file to generate the SQL
 * migrations in `drizzle/`; a new table is exported here and `npm run db:generate` writes its migration.
 */
export { contacts } from '../contacts/contacts.schema';
export { outboundMessages } from '../outbound/outbound-messages.schema';
export { callbackRequests, callbackTransitions, callbackOutcomes } from '../callbacks/callbacks.schema';
export { staffUsers, staffSessions, staffAuditLog, staffRecoveryCodes } from '../staff/staff.schema';
export { staffCalls } from '../staff/staff-calls.schema';
export { anonymousCounts, contactPreferences } from '../privacy/privacy.schema';
export { audioFiles, recordings } from '../recordings/recordings.schema';
export { subscriptions } from '../broadcasts/subscriptions.schema';
export { broadcasts, broadcastDeliveries } from '../broadcasts/broadcasts.schema';
export { insightCounts } from '../insights/insights.schema';
