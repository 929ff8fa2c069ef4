import { z } from 'zod';
import { whatsappTemplatesSchema } from './whatsapp-templates.schema';
import { smsGatewayPhonesSchema } from './sms-gateway-phones.schema';

/**
 * The one configuration object. `loadConfig` is the only place that reads `process.env`;
 * everything else receives a `Config`. Validation errors name the variable, never its value.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.string().url();

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_BASE_URL: url.default('http://localhost:3000'),
    /** web: webhooks and staff pages; worker: queues, schedulers, polling; all: both (one process). */
    SIRA_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    /** unset → embedded: the service runs its own redis-server on a unix socket under DATA_DIR/redis. */
    REDIS_URL: url.optional(),
    /** prefix of every Redis key and BullMQ queue, so tests and a dev service never share keys. */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('sira'),

    /** unset → embedded PGlite under DATA_DIR/pglite. */
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
    DATA_DIR: z.string().min(1).default('./data'),

    /** `kid:base64key[,kid:base64key…]`: AES-256-GCM keys; the first is used for new encryptions. */
    SIRA_ENCRYPTION_KEYS: z.string().regex(/^[a-z0-9_-]+:[A-Za-z0-9+/=]{43,44}(,[a-z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/i).optional(),
    /** base64 32-byte HMAC key for the blind index (separate from the encryption keys). */
    SIRA_BLIND_INDEX_KEY: z.string().regex(/^[A-Za-z0-9+/=]{43,44}$/).optional(),

    FLOWS_DIR: z.string().min(1).default('./flows'),
    LOCALES_DIR: z.string().min(1).default('./locales'),
    CONTENT_MIN_STATUS: z.enum(['draft', 'reviewed', 'legal']).optional(),

    /** development-only simulator endpoint used by `npm run chat`; never on in production. */
    SIMULATOR_ENABLED: bool.optional(),

    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
    TWILIO_FROM: z.string().min(3).optional(),
    TWILIO_API_BASE_URL: url.optional(),
    /** Twilio REST timeout; a send that times out is recorded `unknown`, never resent. */
    TWILIO_TIMEOUT_MS: z.coerce.number().int().min(500).max(60000).default(10000),

    /** SMS (any provider): pacing, cost budget and guards. */
    SMS_SEGMENTS_PER_SECOND: z.coerce.number().min(0.01).max(100).default(1),
    SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(3),
    /** calling codes without '+', comma-separated: numbers elsewhere are neither answered nor texted. */
    SMS_ALLOWED_COUNTRY_CODES: z.string().regex(/^\d{1,4}(,\d{1,4})*$/).default('223'),
    SMS_SENDER_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
    SMS_SENDER_DAILY_SEGMENTS: z.coerce.number().int().min(1).max(100000).default(60),
    SMS_DAILY_SEGMENTS: z.coerce.number().int().min(1).max(10000000).default(5000),
    /** languages whose SMS spelling map is applied ('none' for none). */
    SMS_SPELLING: z.string().regex(/^(none|[a-z]{2,3}(,[a-z]{2,3})*)$/).default('bm,fr'),

    /** relay phones ("SMS Gateway for Android"): JSON list of lines, see sms-gateway-phones.schema.ts. */
    SMS_GATEWAY_PHONES: smsGatewayPhonesSchema.optional(),
    /** default pace of one relay SIM (Android and the carrier both throttle a phone that sends fast). */
    SMS_GATEWAY_SEGMENTS_PER_MINUTE: z.coerce.number().min(0.1).max(600).default(6),
    /** the app's API timeout; a send that times out is recorded `unknown`, never resent. */
    SMS_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(500).max(60000).default(10000),
    /** webhooks signed longer ago than this (or that far ahead) are refused: the replay window. */
    SMS_GATEWAY_SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    /** a relay phone not heard from for this long is an outage (/health/ready, staff dashboard). */
    SMS_GATEWAY_SILENT_MINUTES: z.coerce.number().int().min(1).max(10080).default(15),

    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/).optional(),
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/).optional(),
    TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
    TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),

    /** WhatsApp Business Cloud API (Meta): on when the access token is set. */
    WHATSAPP_ACCESS_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{20,1024}$/).optional(),
    WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d{5,30}$/).optional(),
    /** the Meta app's secret: webhooks are signed with it (X-Hub-Signature-256). */
    WHATSAPP_APP_SECRET: z.string().regex(/^[A-Za-z0-9]{16,128}$/).optional(),
    /** the token Meta's webhook verification (GET hub.verify_token) must echo. */
    WHATSAPP_VERIFY_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/).optional(),
    WHATSAPP_API_BASE_URL: url.default('https://graph.facebook.com'),
    WHATSAPP_API_VERSION: z.string().regex(/^v\d{1,3}\.\d$/).default('v23.0'),
    /** approved templates for proactive texts outside her 24-hour window (JSON, whatsapp-templates.schema.ts). */
    WHATSAPP_TEMPLATES: whatsappTemplatesSchema.optional(),

    /**
     * bearer token of GET /metrics (Prometheus, src/metrics): unset, the route does not exist (404); a
     * scrape without it or with another token is refused (401). 32–256 characters of a bearer token.
     */
    METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9._~+/=-]{32,256}$/, '32 to 256 characters among A-Z a-z 0-9 . _ ~ + / = -').optional(),

    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(9000),
    /**
     * lock of a running BullMQ job (outbound, callbacks, privacy), renewed at half this while its process
     * lives, and how often locks are checked: a job whose process died runs again within about twice this.
     * Not under 5 s: an event loop held up longer than the lock would hand a live job to a second worker.
     */
    WORKER_LOCK_MS: z.coerce.number().int().min(5000).max(600000).default(30000),

    /** staff working hours and days, Africa/Bamako local time: `HH:MM-HH:MM`, ISO weekdays `1-6` or `1,2,3`. */
    CALLBACK_STAFF_HOURS: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/).default('08:00-18:00'),
    CALLBACK_STAFF_DAYS: z.string().regex(/^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/).default('1-6'),
    CALLBACK_URGENT_ESCALATE_MINUTES: z.coerce.number().int().min(1).max(10080).default(60),
    CALLBACK_ESCALATE_HOURS: z.coerce.number().int().min(1).max(720).default(48),
    CALLBACK_CLAIM_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    CALLBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    /** optional staff Telegram chat told "new request — urgent: yes/no" (needs TELEGRAM_BOT_TOKEN). */
    CALLBACK_STAFF_TELEGRAM_CHAT_ID: z.string().regex(/^-?\d{1,20}$/).optional(),

    /** first admin, created on first start when no staff account has this e-mail (never overwritten). */
    STAFF_ADMIN_EMAIL: z.string().email().optional(),
    STAFF_ADMIN_PASSWORD: z.string().min(12).max(256).optional(),
    /** a staff session ends after this much inactivity, and in any case after STAFF_SESSION_MAX_HOURS. */
    STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    STAFF_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
    /** how long a revealed number stays on screen. */
    STAFF_REVEAL_SECONDS: z.coerce.number().int().min(10).max(600).default(60),
    /** failed logins allowed per account and per address in 15 minutes (then 429, no lock-out). */
    STAFF_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10),
    STAFF_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).default(30),
    /** roles that must sign in with a second factor (TOTP): comma-separated, or `none` (development only). */
    STAFF_2FA_REQUIRED_ROLES: z
      .string()
      .regex(/^(none|(agent|supervisor|admin|translator)(,(agent|supervisor|admin|translator))*)$/, 'none, or roles among agent,supervisor,admin,translator')
      .default('supervisor,admin'),
    /** numbers one agent may reveal in an hour; over it, refused (429) and supervisors alerted. */
    STAFF_REVEALS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(20),

    /** retention, enforced daily at 03:15 Africa/Bamako (src/privacy/retention.service.ts). */
    RETENTION_CLOSED_CALLBACK_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    RETENTION_STAFF_NOTES_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    RETENTION_AUDIT_DAYS: z.coerce.number().int().min(30).max(3650).default(365),
    RETENTION_CONVERSATION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    /** an unfinished callback request (answers in her session) is forgotten this long after her last message. */
    RETENTION_ABANDONED_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    /** wait after an erasure before asking Twilio/Telegram to forget (Twilio redacts only final messages). */
    PRIVACY_FORGET_DELAY_SECONDS: z.coerce.number().int().min(0).max(86400).default(120),

    /** Twilio numbers that answer calls with the voice menus (comma-separated E.164); calls to others get 404. */
    TWILIO_VOICE_NUMBERS: z.string().regex(/^\+\d{6,15}(,\+\d{6,15})*$/).optional(),
    /** languages Twilio's voice may read aloud when a recording is missing ('none' for none); never another language's text. */
    VOICE_TTS_LANGUAGES: z.string().regex(/^(none|(fr|en)(,(fr|en))*)$/).default('fr'),
    /** a call's turn must answer within this (Twilio waits 15 s): past it she hears an apology and the call ends. */
    VOICE_ANSWER_TIMEOUT_MS: z.coerce.number().int().min(500).max(12000).default(8000),

    /** Twilio numbers that never answer: a call to one is rejected (not billed to her) and Sira calls her back. */
    VOICE_FLASH_NUMBERS: z.string().regex(/^\+\d{6,15}(,\+\d{6,15})*$/).optional(),
    VOICE_FLASH_DELAY_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
    /** at most one return call per number in this time. */
    VOICE_FLASH_COOLDOWN_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    /** return calls stop for the day (Africa/Bamako) past these minutes of calls or this many return calls. */
    VOICE_DAILY_MINUTES: z.coerce.number().int().min(1).max(100000).default(600),
    VOICE_DAILY_CALLS: z.coerce.number().int().min(1).max(100000).default(200),
    /** return calls only in these hours, Africa/Bamako. */
    VOICE_CALL_HOURS: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/).default('07:00-21:00'),

    /** broadcasts (src/broadcasts): sending hours (Africa/Bamako), their own daily SMS budget, two people, prices for the preview. */
    BROADCAST_HOURS: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/).default('09:00-19:00'),
    BROADCAST_DAILY_SEGMENTS: z.coerce.number().int().min(1).max(10000000).default(2000),
    BROADCAST_TWO_PERSON: bool.default(true),
    /** SMS lines that cannot carry her answer back (comma-separated line ids, or `none`): Twilio in Mali is one-way. */
    BROADCAST_ONE_WAY_LINES: z.string().regex(/^(none|[a-z0-9_:-]+(,[a-z0-9_:-]+)*)$/i).default('twilio'),
    BROADCAST_PRICE_PER_SEGMENT: z.coerce.number().min(0).max(1000000).default(0),
    BROADCAST_PRICE_PER_TEMPLATE: z.coerce.number().min(0).max(1000000).default(0),
    BROADCAST_PRICE_PER_CALL_MINUTE: z.coerce.number().min(0).max(1000000).default(0),
    BROADCAST_PRICE_CURRENCY: z.string().regex(/^[A-Za-z]{1,8}$/).default('FCFA'),

    /** recorded prompts (src/recordings): a longer file is refused at import or upload. */
    AUDIO_MAX_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
    /** languages offered by phone call ('none' for none): in production flows:check needs their essential recordings. */
    VOICE_LANGUAGES: z.string().regex(/^(none|[a-z]{2,3}(,[a-z]{2,3})*)$/).default('none'),

    /** news subscriptions (issue 26, src/broadcasts): how long one lasts, how long the keep-it question waits, at most this many news a month (said in her consent). */
    SUBSCRIPTION_MONTHS: z.coerce.number().int().min(1).max(24).default(6),
    SUBSCRIPTION_RENEWAL_GRACE_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    BROADCAST_MAX_PER_MONTH: z.coerce.number().int().min(1).max(31).default(2),
    /** staff statistics: a count below this shows as "< N" (small numbers could point at one woman). */
    INSIGHTS_MIN_CELL: z.coerce.number().int().min(1).max(1000).default(10),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.STAFF_ADMIN_EMAIL) !== Boolean(env.STAFF_ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['STAFF_ADMIN_PASSWORD'], message: 'goes together with STAFF_ADMIN_EMAIL' });
    }
    if (env.WHATSAPP_ACCESS_TOKEN && !env.WHATSAPP_PHONE_NUMBER_ID) {
      ctx.addIssue({ code: 'custom', path: ['WHATSAPP_PHONE_NUMBER_ID'], message: 'is required when WHATSAPP_ACCESS_TOKEN is set' });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['SIRA_ENCRYPTION_KEYS', 'SIRA_BLIND_INDEX_KEY', 'REDIS_URL'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
    if (env.WHATSAPP_ACCESS_TOKEN) {
      // without them anyone could post messages in her name or subscribe the webhook elsewhere
      for (const key of ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production when WHATSAPP_ACCESS_TOKEN is set' });
      }
    }
    if (env.SIMULATOR_ENABLED) {
      ctx.addIssue({ code: 'custom', path: ['SIMULATOR_ENABLED'], message: 'must not be set in production' });
    }
    if (env.STAFF_2FA_REQUIRED_ROLES === 'none') {
      ctx.addIssue({ code: 'custom', path: ['STAFF_2FA_REQUIRED_ROLES'], message: 'none is for development: production needs a second factor for supervisors and admins' });
    }
  });

export type RawEnv = z.infer<typeof configSchema>;
