import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { toContact, type Contact } from '../contacts/contact';
import type { SealedAddress } from '../contacts/contacts.repository';
import { contacts } from '../contacts/contacts.schema';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { contactPreferences } from '../privacy/privacy.schema';
import { SUBSCRIPTION_TOPICS, subscriptions, type SubscriptionTopic } from './subscriptions.schema';

/** Why a subscription ended (subscriptions.end_reason). Erasure leaves no row to say it: the row goes with her. */
export type EndReason = 'stop_news' | 'stop' | 'expired' | 'discreet' | 'withdrawn';

/** What a turn needs to know: her active topics, whether a keep-it question waits for her, her discreet mode. */
export interface SubscriptionState {
  topics: SubscriptionTopic[];
  renewalPending: boolean;
  /** she asked that Sira never writes first (contact_preferences.proactive_allowed = false). */
  discreet: boolean;
}

export function isTopic(topic: unknown): topic is SubscriptionTopic {
  return typeof topic === 'string' && (SUBSCRIPTION_TOPICS as readonly string[]).includes(topic);
}

/** `months` calendar months after `from` (PostgreSQL's interval arithmetic: 31 Aug + 6 months = 28/29 Feb). */
const plusMonths = (from: Date, months: number) => sql`${from.toISOString()}::timestamptz + make_interval(months => ${months})`;

/** Her contact row with her active subscriptions and her proactive preference as two scalar sub-selects. */
function stateStatement(db: Database) {
  const id = sql.placeholder('contactId');
  return db
    .select({
      active: sql<unknown>`(select coalesce(json_agg(json_build_object('topic', s.topic, 'asked', s.renewal_asked_at)), '[]'::json) from ${subscriptions} s where s.contact_id = ${id} and s.ended_at is null)`,
      allowed: sql<boolean | null>`(select p.proactive_allowed from ${contactPreferences} p where p.contact_id = ${id})`,
    })
    .from(contacts)
    .where(eq(contacts.id, id))
    .prepare('subscriptions_state_of');
}

/**
 * Her subscriptions in PostgreSQL: one row per contact and topic (subscriptions.schema.ts), ended rather
 * than deleted (the broadcasts read `ended_at is null`), deleted only with her (ON DELETE CASCADE).
 */
@Injectable()
export class SubscriptionsRepository {
  /** asked on every turn of a written channel: one named statement, prepared once per connection. */
  private readonly state;

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.state = stateStatement(db);
  }

  /** One statement per turn: her active topics, a pending keep-it question, and her discreet mode. */
  async stateOf(contactId: string): Promise<SubscriptionState> {
    const [row] = await this.state.execute({ contactId });
    const active = (row?.active ?? []) as { topic: SubscriptionTopic; asked: string | null }[];
    return { topics: active.map((r) => r.topic), renewalPending: active.some((r) => r.asked !== null), discreet: row?.allowed === false };
  }

  /**
   * Her subscription to `topic`, with her consent and her address on her contact row, as one
   * transaction: a subscription nobody can reach is never stored, nor an address without what it is
   * for. Subscribing again (after an end) starts a new period with the new consent.
   */
  async subscribe(contact: Contact, topic: SubscriptionTopic, consentVersion: string, sealed: SealedAddress, now: Date, months: number): Promise<Contact> {
    return this.db.transaction(async (tx) => {
      const expiresAt = plusMonths(now, months);
      await tx
        .insert(subscriptions)
        .values({ contactId: contact.id, topic, consentVersion, subscribedAt: now, expiresAt: sql`${expiresAt}` })
        .onConflictDoUpdate({
          target: [subscriptions.contactId, subscriptions.topic],
          set: { consentVersion, subscribedAt: now, expiresAt: sql`${expiresAt}`, renewalAskedAt: null, endedAt: null, endReason: null },
        });
      // her consent state covers the stored address; an earlier consent (a callback's) keeps its version
      const [row] = await tx
        .update(contacts)
        .set({
          consentState: 'given',
          consentVersion: sql`case when ${contacts.consentState} = 'given' then ${contacts.consentVersion} else ${consentVersion} end`,
          consentAt: sql`case when ${contacts.consentState} = 'given' then ${contacts.consentAt} else ${now.toISOString()}::timestamptz end`,
          addressEnc: sealed.addressEnc,
          addressKeyId: sealed.addressKeyId,
          updatedAt: sql`now()`,
        })
        .where(eq(contacts.id, contact.id))
        .returning();
      if (!row) throw new Error('contact gone while subscribing');
      return toContact(row);
    });
  }

  /** Ends her active subscriptions (one topic, or all); returns how many were active. */
  async end(contactId: string, reason: EndReason, now: Date, topic?: SubscriptionTopic): Promise<number> {
    const ended = await this.db
      .update(subscriptions)
      .set({ endedAt: now, endReason: reason })
      .where(and(eq(subscriptions.contactId, contactId), isNull(subscriptions.endedAt), topic ? eq(subscriptions.topic, topic) : undefined))
      .returning({ id: subscriptions.id });
    return ended.length;
  }

  /** Her yes to the keep-it question: the subscriptions it asked about start a new period. Returns how many. */
  async renew(contactId: string, now: Date, months: number): Promise<number> {
    const renewed = await this.db
      .update(subscriptions)
      .set({ expiresAt: sql`${plusMonths(now, months)}`, renewalAskedAt: null })
      .where(and(eq(subscriptions.contactId, contactId), isNull(subscriptions.endedAt), isNotNull(subscriptions.renewalAskedAt)))
      .returning({ id: subscriptions.id });
    return renewed.length;
  }

  /** Contacts with an active subscription ending before `before` and not yet asked (at most `limit`). */
  async dueForQuestion(before: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ contactId: subscriptions.contactId })
      .from(subscriptions)
      .where(and(isNull(subscriptions.endedAt), isNull(subscriptions.renewalAskedAt), lte(subscriptions.expiresAt, before)))
      .limit(limit);
    return rows.map((r) => r.contactId);
  }

  /**
   * Marks her due subscriptions as asked and says whether any were still unasked: the one process that
   * wins this update sends the question, so she gets it once however many workers run.
   */
  async claimQuestion(contactId: string, before: Date, now: Date): Promise<boolean> {
    const claimed = await this.db
      .update(subscriptions)
      .set({ renewalAskedAt: now })
      .where(and(eq(subscriptions.contactId, contactId), isNull(subscriptions.endedAt), isNull(subscriptions.renewalAskedAt), lte(subscriptions.expiresAt, before)))
      .returning({ id: subscriptions.id });
    return claimed.length > 0;
  }

  /** Ends the subscriptions whose keep-it question went unanswered since `askedBefore`; returns how many. */
  async lapse(askedBefore: Date, now: Date): Promise<number> {
    const ended = await this.db
      .update(subscriptions)
      .set({ endedAt: now, endReason: 'expired' })
      .where(and(isNull(subscriptions.endedAt), lte(subscriptions.renewalAskedAt, askedBefore)))
      .returning({ id: subscriptions.id });
    return ended.length;
  }

  /** Active subscribers per topic (every topic, 0 included): counts only. */
  async activeByTopic(): Promise<Record<SubscriptionTopic, number>> {
    const rows = await this.db.select({ topic: subscriptions.topic, n: count() }).from(subscriptions).where(isNull(subscriptions.endedAt)).groupBy(subscriptions.topic);
    const out = Object.fromEntries(SUBSCRIPTION_TOPICS.map((t) => [t, 0])) as Record<SubscriptionTopic, number>;
    for (const r of rows) if (isTopic(r.topic)) out[r.topic] = Number(r.n);
    return out;
  }
}
