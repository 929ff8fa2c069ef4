import type { Config } from '../config/config';

/** Injection token of the PrivacySettings (tests override the provider). */
export const PRIVACY_SETTINGS = Symbol('PRIVACY_SETTINGS');

const DAY = 24 * 60 * 60 * 1000;

export interface PrivacySettings {
  /** wait before asking providers to forget: Twilio only redacts a message once it is final. */
  forgetDelayMs: number;
  retention: {
    closedCallbackRequestsMs: number;
    staffNotesMs: number;
    auditLogMs: number;
    conversationStateMs: number;
    /** an unfinished request's answers (in her session) and any consent row without a request. */
    abandonedMs: number;
  };
  /** cron pattern of the daily retention run, in Africa/Bamako time. */
  retentionPattern: string;
}

/**
 * From configuration (RETENTION_*, PRIVACY_FORGET_DELAY_SECONDS); without it, the defaults:
 * closed requests 90 d, staff notes 90 d, audit 1 y, conversation state 24 h, unfinished requests 60 min.
 */
export function privacySettings(config?: Pick<Config, 'privacy'>): PrivacySettings {
  const defaults = defaultSettings();
  return config?.privacy ? { ...defaults, forgetDelayMs: config.privacy.forgetDelayMs, retention: { ...config.privacy.retention } } : defaults;
}

function defaultSettings(): PrivacySettings {
  return {
    forgetDelayMs: 2 * 60 * 1000,
    retention: {
      closedCallbackRequestsMs: 90 * DAY,
      staffNotesMs: 90 * DAY,
      auditLogMs: 365 * DAY,
      conversationStateMs: 1 * DAY,
      abandonedMs: 60 * 60 * 1000,
    },
    retentionPattern: '0 15 3 * * *',
  };
}
