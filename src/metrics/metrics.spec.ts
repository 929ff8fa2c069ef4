import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config/config';
import { bearerMatches } from './metrics-token';
import { countOutbound, MAX_CODES_PER_PROVIDER, outboundTotal, safeCode } from './process-metrics';
import { outboundChannelsOf, queuesOf } from './scrape-gauges';
import { webhookRoutes } from './webhook-timer.middleware';

const relayLine = (id: string, phone?: string) => ({ id, ...(phone ? { phone } : {}), apiUrl: 'http://127.0.0.1:8080', username: 'sms', password: 'pw', signingKey: 'signing-key-1' });

function everyChannel(extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'a'.repeat(32),
    TWILIO_FROM: '+15005550006',
    TWILIO_VOICE_NUMBERS: '+15005550009',
    TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(30)}`,
    TELEGRAM_WEBHOOK_SECRET: 's'.repeat(20),
    WHATSAPP_ACCESS_TOKEN: 'E'.repeat(30),
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    SMS_GATEWAY_PHONES: JSON.stringify([relayLine('orange', '22376000001')]),
    SIMULATOR_ENABLED: 'false',
    ...extra,
  });
}

describe('the webhook timer: a route names a channel, never a path parameter', () => {
  const routes = webhookRoutes(everyChannel());
  const channelOf = (path: string) => routes.find((r) => r.pattern.test(path))?.channel;

  it.each([
    ['/webhooks/twilio/sms', 'twilio_sms'],
    ['/webhooks/twilio/status/', 'twilio_sms'],
    ['/webhooks/twilio/voice', 'twilio_voice'],
    ['/webhooks/twilio/voice/key', 'twilio_voice'],
    ['/webhooks/twilio/voice/bridge/done', 'twilio_voice'],
    ['/webhooks/sms-gateway/22376000001', 'sms_gateway'],
    ['/WEBHOOKS/SMS-GATEWAY/orange/httpsms', 'sms_gateway'],
    ['/webhooks/telegram', 'telegram'],
    ['/webhooks/whatsapp', 'whatsapp'],
  ])('%s → %s', (path, channel) => {
    expect(channelOf(path)).toBe(channel);
  });

  it.each(['/webhooks/twilio/voice/unknown', '/webhooks/sms-gateway', '/webhooks/sms-gateway/a/b/c', '/metrics', '/staff/queue', '/webhooks/telegram/x'])('%s is not timed', (path) => {
    expect(channelOf(path)).toBeUndefined();
  });

  it('times only the channels this configuration mounts', () => {
    const none = loadConfig({ NODE_ENV: 'test' });
    expect(webhookRoutes(none)).toEqual([]);
    expect(webhookRoutes(everyChannel({ TELEGRAM_MODE: 'polling' })).map((r) => r.channel)).not.toContain('telegram');
  });
});

describe('label values', () => {
  it('keeps short provider codes and turns anything else into `other`', () => {
    expect(safeCode('twilio', '21610')).toBe('21610');
    expect(safeCode('whatsapp', 131047)).toBe('131047');
    expect(safeCode('telegram', 'ECONNREFUSED')).toBe('ECONNREFUSED');
    for (const code of ['+22376543210', '22376543210', 'chat 123', 'a'.repeat(41), '', null, undefined, 1.5, 'x{y}', 'é']) {
      expect([code, safeCode('sms_gateway', code)]).toEqual([code, 'other']);
    }
  });

  it('keeps at most MAX_CODES_PER_PROVIDER distinct codes per provider', () => {
    const codes = Array.from({ length: MAX_CODES_PER_PROVIDER + 5 }, (_, i) => `c${i}`);
    const labels = codes.map((c) => safeCode('telegram', c));
    expect(new Set(labels).size).toBeLessThanOrEqual(MAX_CODES_PER_PROVIDER + 1);
    expect(labels.at(-1)).toBe('other');
    // a code seen before the limit still counts as itself
    expect(safeCode('telegram', 'ECONNREFUSED')).toBe('ECONNREFUSED');
  });

  it('counts an outbound row of an unknown channel as `other`', async () => {
    countOutbound('somewhere', 'sent');
    countOutbound('sms', 'delivered', 2);
    const values = (await outboundTotal.get()).values;
    expect(values).toEqual(expect.arrayContaining([
      expect.objectContaining({ labels: { channel: 'other', outcome: 'sent' }, value: 1 }),
      expect.objectContaining({ labels: { channel: 'sms', outcome: 'delivered' }, value: 2 }),
    ]));
  });
});

describe('the metrics token', () => {
  const token = randomBytes(32).toString('base64url');

  it('matches its bearer token only', () => {
    expect(bearerMatches(token, `Bearer ${token}`)).toBe(true);
    expect(bearerMatches(token, `bearer ${token}`)).toBe(true);
    for (const header of [undefined, '', 'Bearer', `Bearer ${token}x`, `Bearer x${token}`, `Basic ${token}`, token, `Bearer ${token} ${token}`, ['Bearer', token]]) {
      expect([header, bearerMatches(token, header)]).toEqual([header, false]);
    }
  });

  it('is a bearer token of 32 to 256 characters; a bad one names the variable, never the value', () => {
    expect(loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: token }).metrics).toEqual({ token });
    expect(loadConfig({ NODE_ENV: 'test' }).metrics).toBeUndefined();
    for (const bad of ['short', 'x'.repeat(257), `${'x'.repeat(40)} y`]) {
      expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: bad })).toThrow(/METRICS_TOKEN/);
      try {
        loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: bad });
      } catch (err) {
        expect((err as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('what the scrape reads', () => {
  it('reads the queues and channels of this configuration', () => {
    expect(queuesOf(everyChannel())).toEqual(['callbacks', 'privacy', 'broadcasts', 'outbound-sms', 'outbound-telegram', 'outbound-whatsapp', 'voice-return-calls']);
    expect(queuesOf(loadConfig({ NODE_ENV: 'test', SIMULATOR_ENABLED: 'true' }))).toEqual(['callbacks', 'privacy', 'broadcasts', 'outbound-simulator']);
    expect(outboundChannelsOf(everyChannel())).toEqual(['sms', 'telegram', 'whatsapp']);
  });
});
