import { resolve as resolvePath } from 'node:path';
import { configSchema, RawEnv } from './config.schema';
import type { SmsGatewayLineEntry } from './sms-gateway-phones.schema';
import type { WhatsAppTemplates } from './whatsapp-templates.schema';
import type { StaffRole } from '../staff/staff.types';

export type NodeEnv = RawEnv['NODE_ENV'];

/** The validated, typed configuration, grouped by concern. */
export interface Config {
  env: NodeEnv;
  /** the process's part (SIRA_ROLE): see src/config/process-role.ts and docs/operations.md. */
  role: 'web' | 'worker' | 'all';
  production: boolean;
  http: { port: number; host: string; publicBaseUrl: string };
  log: { level: RawEnv['LOG_LEVEL'] };
  /** `embedded`: REDIS_URL was unset, `url` is the socket of the redis-server the service starts (src/redis/embedded-redis.ts). */
  redis: { url: string; prefix: string; embedded: boolean };
  database: { url?: string; dataDir: string };
  keys: { encryptionKeys?: string; blindIndexKey?: string; keyFile: string };
  content: { flowsDir: string; localesDir: string; minStatus: 'draft' | 'reviewed' | 'legal' };
  simulator: { enabled: boolean };
  twilio?: { accountSid: string; authToken: string; from: string; apiBaseUrl?: string; timeoutMs: number };
  sms: {
    segmentsPerSecond: number;
    maxSegments: number;
    /** calling codes without '+', e.g. ['223']. */
    allowedCountryCodes: string[];
    senderMessagesPerMinute: number;
    senderDailySegments: number;
    dailySegments: number;
    /** languages whose SMS spelling map is applied. */
    spelling: string[];
  };
  /** relay phones (SMS Gateway for Android): on when SMS_GATEWAY_PHONES is set. */
  smsGateway?: {
    lines: SmsGatewayLineEntry[];
    segmentsPerMinute: number;
    timeoutMs: number;
    signatureToleranceMs: number;
    silentAfterMs: number;
  };
  telegram?: { token: string; webhookSecret?: string; mode: 'webhook' | 'polling'; apiRoot: string };
  /**
   * WhatsApp Business Cloud API: on when WHATSAPP_ACCESS_TOKEN is set. Without `appSecret` (development
   * only) every webhook POST is refused; without `verifyToken` the subscription check is refused.
   */
  whatsapp?: {
    accessToken: string;
    phoneNumberId: string;
    appSecret?: string;
    verifyToken?: string;
    apiBaseUrl: string;
    apiVersion: string;
    /** proactive text key → approved template (WHATSAPP_TEMPLATES); empty: nothing proactive outside the window. */
    templates: WhatsAppTemplates;
  };
  /** GET /metrics (src/metrics): on when METRICS_TOKEN is set, for a scraper presenting it as a bearer token. */
  metrics?: { token: string };
  shutdownTimeoutMs: number;
  /** BullMQ workers: `lockDuration` and `stalledInterval` of every queue's worker. */
  workers: { lockMs: number };
  callbacks: {
    staffHours: string;
    staffDays: string;
    urgentEscalateMs: number;
    escalateMs: number;
    claimTtlMs: number;
    maxAttempts: number;
    staffTelegramChatId?: string;
  };
  staff: {
    /** first admin from configuration (both or neither). */
    admin?: { email: string; password: string };
    sessionIdleMs: number;
    sessionMaxMs: number;
    revealMs: number;
    loginFailuresPerAccount: number;
    loginFailuresPerAddress: number;
    /** roles that cannot use the dashboard before enrolling a second factor. */
    twoFactorRequiredRoles: StaffRole[];
    revealsPerHour: number;
  };
  privacy: {
    retention: { closedCallbackRequestsMs: number; staffNotesMs: number; auditLogMs: number; conversationStateMs: number; abandonedMs: number };
    forgetDelayMs: number;
  };
  /** phone calls (Twilio Programmable Voice): on when Twilio is configured and TWILIO_VOICE_NUMBERS is set. */
  voice?: {
    numbers: string[];
    ttsLanguages: string[];
    answerTimeoutMs: number;
    /** free return calls: flash numbers (rejected, then called back), spacing, caps and hours. */
    returnCalls: { flashNumbers: string[]; delayMs: number; cooldownMs: number; dailyMinutes: number; dailyCalls: number; hours: string };
  };
  /** news subscriptions (issue 26): months one lasts, days the keep-it question waits, news a month at most (said in the consent). */
  subscriptions: { months: number; renewalGraceDays: number; maxPerMonth: number };
  /** staff statistics: counts below `minCell` are shown as "< minCell". */
  insights: { minCell: number };
  /** recorded prompts: the longest file accepted, and the languages offered by voice. */
  recordings: { maxSeconds: number; voiceLanguages: string[] };
  /** staff-sent broadcasts to subscribers (src/broadcasts). */
  broadcasts: {
    hours: string;
    dailySegments: number;
    twoPerson: boolean;
    oneWayLines: string[];
    prices: { segment: number; template: number; callMinute: number; currency: string };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment. The messages name the variable and the rule, never the value,
 * so a mistyped secret never lands in a terminal or a log.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${describe(i)}`));
  }
  return toConfig(parsed.data);
}

function describe(issue: { code: string; message: string }): string {
  // zod's own messages may quote the received value for some codes; keep only value-free wording.
  switch (issue.code) {
    case 'invalid_type':
      return 'is missing or has the wrong type';
    case 'invalid_value':
      return 'is not one of the allowed values';
    case 'invalid_format':
      // our schema's own wording names the accepted forms; zod's default ("Invalid …") may not
      return issue.message.startsWith('Invalid') ? 'has an invalid format' : `has an invalid format: ${issue.message}`;
    case 'too_small':
    case 'too_big':
      return 'is out of range';
    case 'custom':
      return issue.message;
    default:
      return 'is invalid';
  }
}

function toConfig(e: RawEnv): Config {
  const production = e.NODE_ENV === 'production';
  return {
    env: e.NODE_ENV,
    role: e.SIRA_ROLE,
    production,
    http: { port: e.PORT, host: e.HOST, publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, '') },
    log: { level: e.LOG_LEVEL },
    redis: { url: e.REDIS_URL ?? embeddedRedisUrl(e.DATA_DIR), prefix: e.REDIS_PREFIX, embedded: !e.REDIS_URL },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    keys: {
      encryptionKeys: e.SIRA_ENCRYPTION_KEYS,
      blindIndexKey: e.SIRA_BLIND_INDEX_KEY,
      keyFile: `${e.DATA_DIR.replace(/\/+$/, '')}/dev-keys.json`,
    },
    content: {
      flowsDir: e.FLOWS_DIR,
      localesDir: e.LOCALES_DIR,
      minStatus: e.CONTENT_MIN_STATUS ?? (production ? 'reviewed' : 'draft'),
    },
    simulator: { enabled: production ? false : (e.SIMULATOR_ENABLED ?? true) },
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
        ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiBaseUrl: e.TWILIO_API_BASE_URL, timeoutMs: e.TWILIO_TIMEOUT_MS }
        : undefined,
    sms: {
      segmentsPerSecond: e.SMS_SEGMENTS_PER_SECOND,
      maxSegments: e.SMS_MAX_SEGMENTS,
      allowedCountryCodes: e.SMS_ALLOWED_COUNTRY_CODES.split(','),
      senderMessagesPerMinute: e.SMS_SENDER_MESSAGES_PER_MINUTE,
      senderDailySegments: e.SMS_SENDER_DAILY_SEGMENTS,
      dailySegments: e.SMS_DAILY_SEGMENTS,
      spelling: e.SMS_SPELLING === 'none' ? [] : e.SMS_SPELLING.split(','),
    },
    smsGateway: e.SMS_GATEWAY_PHONES
      ? {
          lines: e.SMS_GATEWAY_PHONES,
          segmentsPerMinute: e.SMS_GATEWAY_SEGMENTS_PER_MINUTE,
          timeoutMs: e.SMS_GATEWAY_TIMEOUT_MS,
          signatureToleranceMs: e.SMS_GATEWAY_SIGNATURE_TOLERANCE_SECONDS * 1000,
          silentAfterMs: e.SMS_GATEWAY_SILENT_MINUTES * 60_000,
        }
      : undefined,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { token: e.TELEGRAM_BOT_TOKEN, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, mode: e.TELEGRAM_MODE, apiRoot: e.TELEGRAM_API_ROOT }
      : undefined,
    whatsapp:
      e.WHATSAPP_ACCESS_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID
        ? {
            accessToken: e.WHATSAPP_ACCESS_TOKEN,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
            appSecret: e.WHATSAPP_APP_SECRET,
            verifyToken: e.WHATSAPP_VERIFY_TOKEN,
            apiBaseUrl: e.WHATSAPP_API_BASE_URL.replace(/\/+$/, ''),
            apiVersion: e.WHATSAPP_API_VERSION,
            templates: e.WHATSAPP_TEMPLATES ?? {},
          }
        : undefined,
    metrics: e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : undefined,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    workers: { lockMs: e.WORKER_LOCK_MS },
    callbacks: {
      staffHours: e.CALLBACK_STAFF_HOURS,
      staffDays: e.CALLBACK_STAFF_DAYS,
      urgentEscalateMs: e.CALLBACK_URGENT_ESCALATE_MINUTES * 60_000,
      escalateMs: e.CALLBACK_ESCALATE_HOURS * 3_600_000,
      claimTtlMs: e.CALLBACK_CLAIM_TTL_MINUTES * 60_000,
      maxAttempts: e.CALLBACK_MAX_ATTEMPTS,
      staffTelegramChatId: e.CALLBACK_STAFF_TELEGRAM_CHAT_ID,
    },
    staff: {
      admin: e.STAFF_ADMIN_EMAIL && e.STAFF_ADMIN_PASSWORD ? { email: e.STAFF_ADMIN_EMAIL.toLowerCase(), password: e.STAFF_ADMIN_PASSWORD } : undefined,
      sessionIdleMs: e.STAFF_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: e.STAFF_SESSION_MAX_HOURS * 3_600_000,
      revealMs: e.STAFF_REVEAL_SECONDS * 1000,
      loginFailuresPerAccount: e.STAFF_LOGIN_FAILURES_PER_ACCOUNT,
      loginFailuresPerAddress: e.STAFF_LOGIN_FAILURES_PER_ADDRESS,
      twoFactorRequiredRoles: e.STAFF_2FA_REQUIRED_ROLES === 'none' ? [] : (e.STAFF_2FA_REQUIRED_ROLES.split(',') as StaffRole[]),
      revealsPerHour: e.STAFF_REVEALS_PER_HOUR,
    },
    privacy: {
      retention: {
        closedCallbackRequestsMs: e.RETENTION_CLOSED_CALLBACK_DAYS * 86_400_000,
        staffNotesMs: e.RETENTION_STAFF_NOTES_DAYS * 86_400_000,
        auditLogMs: e.RETENTION_AUDIT_DAYS * 86_400_000,
        conversationStateMs: e.RETENTION_CONVERSATION_HOURS * 3_600_000,
        abandonedMs: e.RETENTION_ABANDONED_MINUTES * 60_000,
      },
      forgetDelayMs: e.PRIVACY_FORGET_DELAY_SECONDS * 1000,
    },
    voice:
      e.TWILIO_VOICE_NUMBERS && e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
        ? {
            numbers: e.TWILIO_VOICE_NUMBERS.split(','),
            ttsLanguages: e.VOICE_TTS_LANGUAGES === 'none' ? [] : e.VOICE_TTS_LANGUAGES.split(','),
            answerTimeoutMs: e.VOICE_ANSWER_TIMEOUT_MS,
            returnCalls: {
              flashNumbers: e.VOICE_FLASH_NUMBERS ? e.VOICE_FLASH_NUMBERS.split(',') : [],
              delayMs: e.VOICE_FLASH_DELAY_SECONDS * 1000,
              cooldownMs: e.VOICE_FLASH_COOLDOWN_MINUTES * 60_000,
              dailyMinutes: e.VOICE_DAILY_MINUTES,
              dailyCalls: e.VOICE_DAILY_CALLS,
              hours: e.VOICE_CALL_HOURS,
            },
          }
        : undefined,
    subscriptions: { months: e.SUBSCRIPTION_MONTHS, renewalGraceDays: e.SUBSCRIPTION_RENEWAL_GRACE_DAYS, maxPerMonth: e.BROADCAST_MAX_PER_MONTH },
    insights: { minCell: e.INSIGHTS_MIN_CELL },
    recordings: { maxSeconds: e.AUDIO_MAX_SECONDS, voiceLanguages: e.VOICE_LANGUAGES === 'none' ? [] : e.VOICE_LANGUAGES.split(',') },
    broadcasts: {
      hours: e.BROADCAST_HOURS,
      dailySegments: e.BROADCAST_DAILY_SEGMENTS,
      twoPerson: e.BROADCAST_TWO_PERSON,
      oneWayLines: e.BROADCAST_ONE_WAY_LINES === 'none' ? [] : e.BROADCAST_ONE_WAY_LINES.split(','),
      prices: { segment: e.BROADCAST_PRICE_PER_SEGMENT, template: e.BROADCAST_PRICE_PER_TEMPLATE, callMinute: e.BROADCAST_PRICE_PER_CALL_MINUTE, currency: e.BROADCAST_PRICE_CURRENCY },
    },
  };
}

/** Where the embedded redis-server listens: a unix socket in DATA_DIR/redis (absolute, as node-redis needs). */
export function embeddedRedisUrl(dataDir: string): string {
  return `unix://${embeddedRedisDir(dataDir)}/redis.sock`;
}

export function embeddedRedisDir(dataDir: string): string {
  return resolvePath(dataDir, 'redis');
}
