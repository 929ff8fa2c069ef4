import type { NestExpressApplication } from '@nestjs/platform-express';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import type { Clock } from '../../src/common/clock';
import type { Config } from '../../src/config/config';
import { PRIVACY_SETTINGS, privacySettings, type PrivacySettings } from '../../src/privacy/privacy.settings';
import type { FakeTelegramServer } from '../fakes/fake-telegram.server';
import type { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { SERVICE_NUMBER } from '../sms/sms-test.helpers';
import { inboundParams, messageSid, twilioSignature } from '../sms/twilio-test.harness';
import { LogCapture, postTelegramUpdate, startApp } from '../support/app-harness';

export { newKey } from '../support/test-config';

/**
 * The whole service with both channels on (Twilio SMS and Telegram, each at its local fake), its logs
 * captured in memory, its own database and Redis prefix, and privacy settings a test can shorten.
 */
export interface PrivacyApp {
  app: NestExpressApplication;
  url: string;
  config: Config;
  prefix: string;
  databaseUrl: string;
  twilio: FakeTwilioServer;
  telegram: FakeTelegramServer;
  logs: LogCapture;
  /** posts a signed inbound SMS (and records it at the fake, as Twilio keeps it). */
  sms(from: string, body: string): Promise<number>;
  /** posts a raw Telegram update with the secret header. */
  update(update: unknown): Promise<number>;
  close(): Promise<void>;
}

export interface PrivacyAppOptions {
  label: string;
  settings?: Partial<PrivacySettings>;
  clock?: Clock;
  env?: Record<string, string>;
  /** the encryption key ring spec (kid:base64,…); default: one fresh key. */
  encryptionKeys?: string;
  /** reuse a database / prefix / blind-index key (a second boot of the same service). */
  databaseUrl?: string;
  prefix?: string;
  blindIndexKey?: string;
}

export async function startPrivacyApp(options: PrivacyAppOptions): Promise<PrivacyApp> {
  const logs = new LogCapture();
  const started = await startApp({
    label: options.label,
    databaseUrl: options.databaseUrl,
    prefix: options.prefix,
    logLevel: 'debug',
    encryptionKeys: options.encryptionKeys,
    blindIndexKey: options.blindIndexKey,
    twilio: true,
    telegram: true,
    env: options.env,
    clock: options.clock,
    override: (config) => [[PRIVACY_SETTINGS, { ...privacySettings(config), forgetDelayMs: 300, ...options.settings }]],
    logs,
  });
  const { app, url, config, prefix, databaseUrl } = started;
  const twilio = started.twilio!;
  const telegram = started.telegram!;
  return {
    app, url, config, prefix, databaseUrl, twilio, telegram, logs,
    sms: async (from, body) => {
      const sid = messageSid();
      twilio.recordInbound(sid, from, SERVICE_NUMBER, body);
      const params = inboundParams(from, body, sid);
      const res = await fetch(`${url}${TWILIO_SMS_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(TWILIO_SMS_PATH, params) },
        body: new URLSearchParams(params).toString(),
      });
      return res.status;
    },
    update: async (update) => (await postTelegramUpdate(url, update)).status,
    close: started.close,
  };
}
