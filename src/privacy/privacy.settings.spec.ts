import { loadConfig } from '../config/config';
import { privacySettings } from './privacy.settings';

const DAY = 86_400_000;

describe('privacy settings', () => {
  it('keep closed requests and notes 90 days, the audit a year, conversation state 24 hours and unfinished requests 60 minutes by default', () => {
    const s = privacySettings(loadConfig({ NODE_ENV: 'test' }));
    expect(s.retention).toEqual({ closedCallbackRequestsMs: 90 * DAY, staffNotesMs: 90 * DAY, auditLogMs: 365 * DAY, conversationStateMs: DAY, abandonedMs: 3_600_000 });
    expect(s.forgetDelayMs).toBe(120_000);
  });

  it('take every period from configuration', () => {
    const s = privacySettings(
      loadConfig({ NODE_ENV: 'test', RETENTION_CLOSED_CALLBACK_DAYS: '30', RETENTION_STAFF_NOTES_DAYS: '14', RETENTION_AUDIT_DAYS: '180', RETENTION_CONVERSATION_HOURS: '6', RETENTION_ABANDONED_MINUTES: '15', PRIVACY_FORGET_DELAY_SECONDS: '0' }),
    );
    expect(s.retention).toEqual({ closedCallbackRequestsMs: 30 * DAY, staffNotesMs: 14 * DAY, auditLogMs: 180 * DAY, conversationStateMs: 6 * 3_600_000, abandonedMs: 15 * 60_000 });
    expect(s.forgetDelayMs).toBe(0);
  });

  it('refuse an audit period under 30 days without echoing the value', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', RETENTION_AUDIT_DAYS: '7' })).toThrow(/RETENTION_AUDIT_DAYS/);
  });
});
