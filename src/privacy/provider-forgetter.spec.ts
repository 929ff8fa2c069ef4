import { randomBytes } from 'node:crypto';
import { ContactForgetters, emptyForgetResult, type ContactForgetter, type ForgetContext, type SentRecord } from '../channels/contact-forgetter';
import type { Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { BlindIndex } from '../crypto/blind-index';
import { KeyRing } from '../crypto/key-ring';
import type { OutboundProvider } from '../outbound/outbound.types';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { ProviderForgetter } from './provider-forgetter';
import type { RedisTraces } from './redis-traces';

/** A forgetter that records what it was asked. */
function recording(channel: ContactForgetter['channel'], provider: OutboundProvider, inboundDedupIds: string[] = []) {
  const calls: ForgetContext[] = [];
  const forgetter: ContactForgetter = {
    channel,
    provider,
    forget: async (ctx) => {
      calls.push(ctx);
      return { ...emptyForgetResult(), redacted: ctx.sent.filter((m) => m.provider === provider).length, inboundDedupIds };
    },
  };
  return { forgetter, calls };
}

describe('the provider clean-up asks the registry, never a provider of its own', () => {
  const keys = new KeyRing(KeyRing.parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`), randomBytes(32));
  const cipher = new AddressCipher(keys);
  const index = new BlindIndex(keys);
  const clock: Clock = { now: () => 1_000_000 };
  const traces = { dedup: [] as string[], deleteDedup: async (_c: string, ids: readonly string[]) => void traces.dedup.push(...ids), deleteKeysNaming: async () => 0, deleteJobEvents: async () => 0 };

  it('hands her address and every message sent to her to each forgetter of her channel, and only those', async () => {
    const registry = new ContactForgetters();
    const twilio = recording('sms', 'twilio', ['twilio:SM1']);
    const relay = recording('sms', 'sms_gateway');
    const telegram = recording('telegram', 'telegram');
    for (const r of [twilio, relay, telegram]) registry.register(r.forgetter);
    const forgetter = new ProviderForgetter(registry, cipher, index, traces as unknown as RedisTraces, clock);
    const sent: SentRecord[] = [
      { provider: 'twilio', line: 'twilio', providerId: 'SMa', sentAt: 1 },
      { provider: 'sms_gateway', line: 'sms-gateway:orange', providerId: 'row-1', sentAt: 2 },
    ];
    const jobId = 'forget-1';
    const data: ForgetJobData = { channel: 'sms', addressEnc: cipher.encrypt('+22370000000', forgetContext(jobId)).token, sent, dedupId: 'twilio:SMerase', requestIds: [] };

    const report = await forgetter.forget(jobId, data);

    expect(twilio.calls).toEqual([{ address: '+22370000000', sent, now: 1_000_000 }]);
    expect(relay.calls).toHaveLength(1);
    expect(telegram.calls).toEqual([]);
    expect(report).toEqual({ redacted: 2, deleted: 0, failures: [] });
    expect(traces.dedup).toEqual(['twilio:SMerase', 'twilio:SM1']);
  });

  it('refuses a second forgetter for the same channel and provider', () => {
    const registry = new ContactForgetters();
    registry.register(recording('sms', 'twilio').forgetter);
    expect(() => registry.register(recording('sms', 'twilio').forgetter)).toThrow('already registered');
  });
});
