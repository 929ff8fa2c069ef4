import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { referralFacts } from '../content/referrals';
import type { Contact } from '../contacts/contact';
import { ContactsRepository } from '../contacts/contacts.repository';
import { SESSION_SCHEMA_VERSION, type Output, type Session } from '../engine/engine.types';
import { step } from '../engine/step';
import { ContactEventsApplier } from './contact-events.applier';
import { ContactEventRegistry } from './contact-event.registry';
import { settleOutputs, type SteppedTurn, type TurnContext, type TurnWrite } from './conversation-hooks';
import type { HandleResult, InboundMessage } from './inbound-message';
import { SessionStore } from './session.store';
import { TurnJournal } from './turn.journal';

/** Her session and the turn's journal entry, raw, as read with her lock. */
export interface Preloaded {
  session: string | null;
  journal: string | null;
}

/** The outcome of one turn, before the replies are handed to the channel. */
export interface TurnOutcome {
  result: HandleResult;
  /** the contact the replies go to (still known after an erase, for the confirmation). */
  contactId: string;
  /** she was erased in this turn: her contact row is gone, the confirmation goes to no contact. */
  erased: boolean;
  /** the turn had already run (its journal entry was found): its replies are handed over again. */
  replayed?: boolean;
}

/**
 * One engine step for one contact, run while the caller holds her lock: contact, session, step,
 * events, save. Knows nothing of de-duplication, locks or channels.
 */
@Injectable()
export class ConversationTurn {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(ContactEventsApplier) private readonly events: ContactEventsApplier,
    @Inject(TurnJournal) private readonly journal: TurnJournal,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'flowSet' | 'base'> & Partial<Pick<LoadedContent, 'referrals'>>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ContactEventRegistry) private readonly registry: ContactEventRegistry,
  ) {}

  /** `preloaded`: her session and the journal entry as read when her lock was taken (TurnGate), else read here. */
  async run(msg: InboundMessage, blindIndex: string, preloaded?: Preloaded): Promise<TurnOutcome> {
    const { session: stored, other } = preloaded
      ? { session: this.sessions.parse(preloaded.session), other: preloaded.journal }
      : await this.sessions.loadWith(blindIndex, this.journal.key(msg.channel, msg.providerMessageId));
    const done = this.journal.open(msg.channel, msg.providerMessageId, other);
    if (done) return { ...done, replayed: true };
    const contact = await this.liftOptOut(await this.contacts.findOrCreate(msg.channel, msg.address, msg.source ?? msg.channel), msg, blindIndex);
    const shortcut = contact.optedOut ? null : await this.intercept({ contact, msg });
    if (shortcut) return this.shortcutOutcome(contact, shortcut);
    const now = this.clock.now();
    // verified, unexpired referral contacts only (src/content/referrals.ts), for flows/safety.yaml
    const facts = { ...referralFacts(this.content.referrals ?? [], now), ...(await this.participantFacts({ contact, msg })) };
    const stepped = step(this.content.flowSet, seedSession(stored, contact, now), msg.input, { now, facts });
    const applied = await this.events.apply(contact, blindIndex, stepped.events, msg);

    const deliver = applied.erased || applied.optedOutNow || !applied.contact?.optedOut || answersDistressAfterStop(applied.contact, stepped.events);
    const language = stepped.session.language ?? applied.contact?.language ?? contact.language ?? this.content.base;
    const outputs: Output[] = deliver ? settleOutputs(stepped.outputs, applied.settled) : [];
    const outcome: TurnOutcome = {
      contactId: contact.id,
      erased: applied.erased,
      result: { status: 'processed', language, outputs, deliver, events: stepped.events.map((e) => e.type) },
    };
    // the session and what this turn owes her are stored together (see TurnJournal)
    const entry = this.journal.seal(msg.channel, msg.providerMessageId, outcome);
    if (applied.erased) await this.journal.write(entry);
    else {
      const turn: SteppedTurn = { before: stored, after: stepped.session, outputs, events: stepped.events, language, now };
      await this.sessions.saveWithTurn(blindIndex, stepped.session, entry, await this.participantWrites({ contact: applied.contact ?? contact, msg }, turn));
    }
    return outcome;
  }

  /** What the participants add to the turn's transaction (counters); a failing one is left out, the turn goes on. */
  private async participantWrites(ctx: TurnContext, turn: SteppedTurn): Promise<TurnWrite[]> {
    const writes: TurnWrite[] = [];
    for (const p of this.registry.participants()) {
      const write = p.record ? await p.record(ctx, turn).catch(() => null) : null;
      if (write) writes.push(write);
    }
    return writes;
  }

  /**
   * A channel that says writing lifts its own stop (Telegram: a block) turns it into the contact event,
   * applied with the contact the turn already loads rather than by a second look-up before it.
   */
  private async liftOptOut(contact: Contact, msg: InboundMessage, blindIndex: string): Promise<Contact> {
    if (!msg.liftsOptOut || !contact.optedOut || contact.optedOutSource !== msg.liftsOptOut) return contact;
    const applied = await this.events.apply(contact, blindIndex, [{ type: 'channel_unblocked', source: msg.liftsOptOut }], msg);
    return applied.contact ?? contact;
  }

  private async intercept(ctx: TurnContext): Promise<Output[] | null> {
    for (const p of this.registry.participants()) {
      const outputs = p.intercept ? await p.intercept(ctx) : null;
      if (outputs) return outputs;
    }
    return null;
  }

  private async participantFacts(ctx: TurnContext): Promise<Record<string, string>> {
    // independent look-ups (each module its own): asked at once, so the turn waits for the slowest, not the sum
    const each = await Promise.all(this.registry.participants().map((p) => (p.facts ? p.facts(ctx) : {})));
    return Object.assign({}, ...each) as Record<string, string>;
  }

  /** A reply that needed no engine step: her session (where she stands in a flow) is left as it was. */
  private shortcutOutcome(contact: Contact, outputs: Output[]): TurnOutcome {
    const language = contact.language ?? this.content.base;
    return { contactId: contact.id, erased: false, result: { status: 'processed', language, outputs, deliver: true, events: [] } };
  }
}

/**
 * After her own STOP (a keyword: the line can still reach her), a message of distress is answered with
 * the safety answer — she wrote first — and she stays opted out; nothing else she writes is answered.
 * After a carrier-level STOP (Twilio 21610, a Telegram block) nothing can reach her: nothing is sent.
 */
export function answersDistressAfterStop(contact: Pick<Contact, 'optedOut' | 'optedOutSource'> | null, events: readonly { type: string }[]): boolean {
  return !!contact?.optedOut && contact.optedOutSource === 'keyword' && events.some((e) => e.type === 'distress_heard');
}

/**
 * Her language and opt-out live in PostgreSQL longer than any session in Redis. When the session does
 * not know her language, it is seeded, so a returning contact is not asked again. A missing session of
 * a known contact becomes an "ended" one: the engine then starts afresh (at the menu in her language)
 * without reading anything old back to her, and START still works for one who opted out long ago.
 */
export function seedSession(session: Session | null, contact: Pick<Contact, 'language' | 'optedOut'>, now: number): Session | null {
  const language = contact.language ?? undefined;
  if (!session) {
    if (!language && !contact.optedOut) return null;
    const fresh: Session = { v: SESSION_SCHEMA_VERSION, at: { flow: '', node: '' }, history: [], misses: 0, question: 0, lastActiveAt: now, vars: {}, ended: true };
    return language ? { ...fresh, language } : fresh;
  }
  return session.language || !language ? session : { ...session, language };
}
