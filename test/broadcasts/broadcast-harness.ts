import { sql } from 'drizzle-orm';
import { BroadcastSender } from '../../src/broadcasts/broadcast.sender';
import { subscriptions, type SubscriptionTopic } from '../../src/broadcasts/subscriptions.schema';
import { ManualClock } from '../../src/common/clock';
import type { ChannelName } from '../../src/common/channel-name';
import { contacts } from '../../src/contacts/contacts.schema';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { contactPreferences } from '../../src/privacy/privacy.schema';
import { startApp, type TestApp } from '../support/app-harness';
import { malianNumber } from '../sms/sms-test.helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, THURSDAY_0930 } from '../staff/staff-harness';
import { PASSWORD, staffMember } from '../staff/staff-fixtures';
import { randomWaId } from '../whatsapp/whatsapp-payloads';
import { eq } from 'drizzle-orm';

export interface BroadcastApp extends TestApp {
  clock: ManualClock;
}

/** The whole app with Twilio SMS and WhatsApp at fakes, an injected clock (Thursday 09:30 in Bamako) and staff. */
export async function startBroadcastApp(label: string, env: Record<string, string> = {}): Promise<BroadcastApp> {
  const clock = new ManualClock(THURSDAY_0930);
  const app = await startApp({
    label,
    twilio: true,
    whatsapp: true,
    clock,
    env: { STAFF_ADMIN_EMAIL: ADMIN_EMAIL, STAFF_ADMIN_PASSWORD: ADMIN_PASSWORD, STAFF_2FA_REQUIRED_ROLES: 'none', BROADCAST_ONE_WAY_LINES: 'none',
      // the tests move the clock by days: staff sessions outlive it
      STAFF_SESSION_IDLE_MINUTES: '1440', STAFF_SESSION_MAX_HOURS: '168', ...env },
  });
  return { ...app, clock };
}

export interface Subscriber {
  id: string;
  address: string;
  channel: ChannelName;
}

/** A consented contact with a stored address, subscribed to `topic` (a subscriptions row written directly). */
export async function subscriber(
  app: TestApp,
  opts: { channel?: ChannelName; language?: string; topic?: SubscriptionTopic | null; optedOut?: boolean; discreet?: boolean; source?: string; ended?: boolean } = {},
): Promise<Subscriber> {
  const channel = opts.channel ?? 'sms';
  const address = channel === 'whatsapp' ? randomWaId() : malianNumber();
  const repo = app.get<ContactsRepository>(ContactsRepository);
  const contact = await repo.findOrCreate(channel, address, opts.source ?? (channel === 'sms' ? 'twilio' : channel));
  await repo.giveConsent(contact.id, 'test-consent', address);
  const db = app.get<Database>(DATABASE);
  await db.update(contacts).set({ language: opts.language ?? 'fr', optedOut: opts.optedOut ?? false }).where(eq(contacts.id, contact.id));
  if (opts.discreet) await db.insert(contactPreferences).values({ contactId: contact.id, proactiveAllowed: false });
  if (opts.topic !== null) {
    await db.insert(subscriptions).values({
      contactId: contact.id,
      topic: opts.topic ?? 'reparations',
      consentVersion: 'test',
      expiresAt: new Date(app.clock.now() + 180 * 86_400_000),
      ...(opts.ended ? { endedAt: new Date(app.clock.now()), endReason: 'stop_news' } : {}),
    });
  }
  return { id: contact.id, address, channel };
}

/** A signed-in API client for a new account of `role`. */
export async function staffClient(app: TestApp, role: 'supervisor' | 'admin' | 'agent' = 'supervisor'): Promise<StaffClient> {
  const user = await staffMember(app as never, role);
  const client = new StaffClient(app.url);
  const reply = await client.apiLogin(user.email, PASSWORD);
  if (reply.status !== 200) throw new Error(`login failed: ${reply.status}`);
  return client;
}

export const NOTICE = { fr: 'Sira : du nouveau pour vous. Répondez INFO.', en: 'Sira: there is news for you. Reply INFO.' };
export const NEWS = { fr: 'Nouvelle de test (fr).', en: 'Test news (en).' };

/** Drafts a broadcast as `drafter` and approves it as `approver`; returns its id. */
export async function approvedBroadcast(drafter: StaffClient, approver: StaffClient, body: Record<string, unknown> = {}): Promise<string> {
  const created = await drafter.api('POST', '/broadcasts', { topic: 'reparations', notice: NOTICE, news: NEWS, sendAt: null, ...body });
  if (created.status !== 201) throw new Error(`draft refused: ${created.status} ${created.text}`);
  const { id } = created.json<{ id: string }>();
  const approved = await approver.api('POST', `/broadcasts/${id}/approve`, {});
  if (approved.status !== 200) throw new Error(`approval refused: ${approved.status} ${approved.text}`);
  return id;
}

export function sender(app: TestApp): BroadcastSender {
  return app.get<BroadcastSender>(BroadcastSender);
}

/** The Twilio bodies and WhatsApp calls a subscriber received. */
export function received(app: TestApp, s: Subscriber): unknown[] {
  if (s.channel === 'whatsapp') return app.whatsapp!.callsTo(s.address).map((c) => c.params);
  return app.twilio!.bodiesTo(s.address);
}

export { sql };
