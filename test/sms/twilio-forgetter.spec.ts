import { ContactForgetters } from '../../src/channels/contact-forgetter';
import { TwilioForgetter } from '../../src/channels/twilio/twilio.forgetter';
import type { Config } from '../../src/config/config';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, malianNumber } from './sms-test.helpers';
import { messageSid } from './twilio-test.harness';

/**
 * Twilio's forgetter redacts what Twilio sent her (rows whose provider is Twilio) and what she sent to
 * the Twilio number, and never sends Twilio the ids another line (a relay phone) recorded.
 */
describe('TwilioForgetter', () => {
  let fake: FakeTwilioServer;

  beforeAll(async () => {
    fake = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('redacts Twilio-sent rows and her inbound SMS, skips the relay rows, and names her de-dup keys', async () => {
    const config = {
      twilio: { accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, from: SERVICE_NUMBER, apiBaseUrl: fake.url, timeoutMs: 1_000 },
    } as unknown as Config;
    const registry = new ContactForgetters();
    const forgetter = new TwilioForgetter(config, registry);
    forgetter.onModuleInit();
    expect(registry.of('sms')).toEqual([forgetter]);

    const her = malianNumber();
    const inbound = messageSid();
    fake.recordInbound(inbound, her, SERVICE_NUMBER, 'EFFACER');
    // a message Twilio accepted from Sira, as the sender would have made it
    const sent = messageSid();
    fake.messages.push({ sid: sent, to: her, from: SERVICE_NUMBER, body: 'Menu', authorized: true, at: Date.now() } as never);
    const relayId = '0b9f0c1e-4a7e-4c1a-9a51-3f8d2a0e9b11';

    const result = await forgetter.forget({
      address: her,
      sent: [
        { provider: 'twilio', line: 'twilio', providerId: sent, sentAt: Date.now() },
        { provider: 'sms_gateway', line: 'sms-gateway:orange', providerId: relayId, sentAt: Date.now() },
      ],
      now: Date.now(),
    });

    expect(fake.redactions.sort()).toEqual([inbound, sent].sort());
    expect(result.redacted).toBe(2);
    expect(result.failures).toEqual([]);
    expect(result.inboundDedupIds).toEqual([`twilio:${inbound}`]);
  });
});
