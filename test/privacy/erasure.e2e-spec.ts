import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { StaffQueueService } from '../../src/staff/staff-queue.service';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import { callbackRequests } from '../../src/callbacks/callbacks.schema';
import { contacts } from '../../src/contacts/contacts.schema';
import { BlindIndex } from '../../src/crypto/blind-index';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { AnonymousCountsRepository, AnonymousMetric } from '../../src/privacy/anonymous-counts.repository';
import { staffAuditLog } from '../../src/staff/staff.schema';
import { localeText } from '../support/locale-text';
import { eventually, malianNumber } from '../sms/sms-test.helpers';
import { randomChatId } from '../telegram/telegram-updates';
import { startPrivacyApp, type PrivacyApp } from './privacy-harness';
import { cleanUpsDone, numberForms, redisContents, say, scanEverywhere, smsCallback, tell, telegramCallback } from './privacy-flows';

jest.setTimeout(120_000);

describe('EFFACER erases her everywhere and asks the providers to forget', () => {
  let app: PrivacyApp;
  let db: Database;

  beforeAll(async () => {
    app = await startPrivacyApp({ label: 'erase' });
    db = app.app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Nothing in PostgreSQL, Redis or BullMQ still names her (by blind index, contact id, request id or number). */
  /** What a supervisor's queue page lists (every open request). */
  const staffQueue = async () =>
    app.app.get(StaffQueueService).list({ id: randomUUID(), email: 's@example.org', displayName: 'S', role: 'supervisor', languages: ['fr'], active: true, passwordChangeRequired: false, secondFactorEnabled: true, createdAt: new Date(), updatedAt: new Date() });

  async function expectNothingLeft(channel: 'sms' | 'telegram', address: string, contactId: string, requestId: string, forms: string[]) {
    await cleanUpsDone(app);
    expect((await staffQueue()).map((i) => i.id)).not.toContain(requestId);
    const index = app.app.get(BlindIndex).of(channel, address);
    expect(await db.select().from(contacts).where(and(eq(contacts.channel, channel), eq(contacts.addressIndex, index)))).toEqual([]);
    expect(await db.select().from(callbackRequests).where(eq(callbackRequests.contactId, contactId))).toEqual([]);
    expect(await db.select().from(outboundMessages).where(eq(outboundMessages.contactId, contactId))).toEqual([]);
    const queue = app.app.get(CallbackScheduler).queue;
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
    expect(jobs.filter((j) => j.data.requestId === requestId)).toEqual([]);
    const redis = await redisContents(app.prefix);
    for (const needle of [index, contactId, requestId]) expect(redis).not.toContain(needle);
    const hits = await scanEverywhere(app, forms);
    expect(hits.database).toEqual([]);
    expect(hits.redis).toEqual([]);
  }

  it('SMS: her rows, session, jobs and callback request go; Twilio bodies of her conversation are redacted', async () => {
    const her = malianNumber();
    const code = await smsCallback(app, her);
    const [row] = await db.select().from(callbackRequests).where(eq(callbackRequests.refCode, code));
    expect(row).toBeDefined();
    expect((await staffQueue()).map((i) => i.id)).toContain(row!.id);
    const sentToHer = app.twilio.messages.filter((m) => m.to === her).map((m) => m.sid);
    const fromHer = app.twilio.inbound.filter((m) => m.from === her).map((m) => m.sid);

    expect(await say(app, her, 'EFFACER')).toHaveLength(1);
    const done = (await say(app, her, '1')).join('\n');
    expect(done).toContain('Vos donn');

    // every message of her conversation (hers and Sira's, up to the erase itself) loses its body at Twilio
    await eventually(() => [...sentToHer, ...fromHer].every((sid) => app.twilio.redactions.includes(sid)), 10_000, 'Twilio redactions');
    for (const sid of [...sentToHer, ...fromHer]) {
      const kept = [...app.twilio.messages, ...app.twilio.inbound].find((m) => m.sid === sid)!;
      expect(kept.body).toBe('');
    }
    await expectNothingLeft('sms', her, row!.contactId, row!.id, numberForms(her));

    // the audit says an erasure happened, with no number and no id that leads to her
    const audit = await db.select().from(staffAuditLog).where(eq(staffAuditLog.action, 'contact_erased'));
    expect(audit.some((a) => a.detail.channel === 'sms' && a.detail.callbackRequests === 1 && a.staffId === null && a.requestId === null)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(her.slice(1));
    const counts = app.app.get(AnonymousCountsRepository);
    expect(await counts.total(AnonymousMetric.ContactsErased, 'sms')).toBe(1);
    expect(await counts.total(AnonymousMetric.CallbackRequestsErased, 'sms')).toBe(1);
  });

  it('Telegram: her rows go and the bot deletes its own and her messages in the private chat', async () => {
    const chat = randomChatId();
    const number = malianNumber();
    const code = await telegramCallback(app, chat, number.slice(4));
    const [row] = await db.select().from(callbackRequests).where(eq(callbackRequests.refCode, code));
    expect(row).toBeDefined();
    expect(app.telegram.callsOf('sendMessage', chat).length).toBeGreaterThan(5);

    await tell(app, chat, 'EFFACER');
    const before = app.telegram.callsOf('sendMessage', chat).length;
    const done = await tell(app, chat, '1');
    expect(done.join('\n')).toContain(localeText('fr', 'privacy:erased').slice(0, 20));

    // the ids the bot got back for its messages before the erasure, and the id just before (hers)
    const sentIds = sentMessageIds(app, chat, before);
    // deletions go newest first, so her first message (just before the bot's first) is among the last: wait for it too
    const expected = [...sentIds, Math.min(...sentIds) - 1];
    await eventually(() => expected.every((id) => app.telegram.callsOf('deleteMessage', chat).some((c) => Number(c.params.message_id) === id)), 10_000, 'deletions');
    const deleted = app.telegram.callsOf('deleteMessage', chat).map((c) => Number(c.params.message_id));
    expect(deleted).toContain(Math.min(...sentIds) - 1);
    await expectNothingLeft('telegram', String(chat), row!.contactId, row!.id, [String(chat), ...numberForms(number)]);
    expect(await app.app.get(AnonymousCountsRepository).total(AnonymousMetric.ContactsErased, 'telegram')).toBe(1);
  });
});

/** The message ids the fake Bot API gave the bot's first `upTo` messages to this chat. */
function sentMessageIds(app: PrivacyApp, chat: number, upTo: number): number[] {
  return app.telegram.callsOf('sendMessage', chat).slice(0, upTo).map((c) => c.messageId!).filter((id) => id !== undefined);
}
