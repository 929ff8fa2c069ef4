import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { BlindIndex } from '../crypto/blind-index';
import { ContactLock, type HeldLock } from './contact.lock';
import { ConversationTurn } from './conversation.turn';
import { DedupLease } from './dedup.lease';
import type { HandleResult, InboundMessage } from './inbound-message';
import { OutboundRegistry } from './outbound.registry';
import type { Preloaded } from './conversation.turn';
import { TurnGate } from './turn-gate';

/**
 * The shell around the engine, in this order: claim the provider's message id (a short lease), take
 * the contact's lock (across processes), run the turn, hand the replies to the channel, mark the id
 * done, release the lock. If anything fails the lease is given back and the error rethrown, so the
 * provider's redelivery is handled rather than dropped as a duplicate; a turn that had already been
 * saved is then not run again but its replies handed over again (TurnJournal), and the channel's queue
 * keys them by message id so none is sent twice.
 *
 * Replies leave one way, for every channel the simulator included: through the channel's port in
 * OutboundRegistry (the outbound queue). The result says what the turn did (status, language, whether
 * anything may be sent, events); its `outputs` are the turn's record for tests, not for a caller to render.
 */
@Injectable()
export class ConversationService {
  private readonly log = new Logger(ConversationService.name);

  constructor(
    @Inject(DedupLease) private readonly dedup: DedupLease,
    @Inject(ContactLock) private readonly lock: ContactLock,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(ConversationTurn) private readonly turn: ConversationTurn,
    @Inject(OutboundRegistry) private readonly outbound: OutboundRegistry,
    @Inject(TurnGate) private readonly gate: TurnGate,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
  ) {}

  /**
   * `options.defer`, started by the caller just before (e.g. the SMS spool's length), is awaited beside the
   * turn's first round trip; when it says true, nothing is done (the id and the lock are given back) and
   * the result is 'deferred': the caller keeps the message for later.
   */
  async handle(msg: InboundMessage, options: HandleOptions = {}): Promise<HandleResult> {
    const started = Date.now();
    const blindIndex = this.index.of(msg.channel, msg.address);
    const result = this.lock.busyHere(blindIndex) ? await this.handleQueued(msg, blindIndex, options) : await this.handleFirst(msg, blindIndex, options);
    if (result.status === 'processed') this.log.log(`${msg.channel} message handled in ${Date.now() - started} ms [${result.events.join(', ')}]`);
    else this.log.debug(`${msg.channel} message ${result.status === 'duplicate' ? 'duplicate: ignored' : 'deferred'}`);
    return result;
  }

  /**
   * No message of hers is in hand here (the usual case): the id claimed, her lock taken and her session
   * read in one round trip (TurnGate), sent in the caller's tick with `defer`'s own commands.
   */
  private async handleFirst(msg: InboundMessage, blindIndex: string, options: HandleOptions): Promise<HandleResult> {
    let claimed = false;
    let preloaded: Preloaded | undefined;
    let outcome: HandleResult | undefined;
    let stopRenewing = () => undefined as void;
    const firstTry = async (token: string): Promise<'locked' | 'wait' | 'abort'> => {
      const [begun, defer] = await Promise.all([this.gate.begin(msg.channel, msg.providerMessageId, blindIndex, token), options.defer?.() ?? false]);
      if (begun.state === 'held' && begun.dedup === 'done') return ((outcome = this.duplicate()), 'abort');
      claimed = begun.state !== 'held' || (await this.dedup.claimOrWait(msg.channel, msg.providerMessageId));
      if (!claimed) return ((outcome = this.duplicate()), 'abort');
      stopRenewing = this.dedup.keepAlive(msg.channel, msg.providerMessageId);
      if (defer) return ((outcome = this.deferred()), begun.state === 'ready' ? 'locked' : 'abort');
      if (begun.state === 'ready') preloaded = { session: begun.session, journal: begun.journal };
      return begun.state === 'ready' ? 'locked' : 'wait';
    };
    try {
      const result = await this.lock.withLock(blindIndex, (held) => (outcome ? Promise.resolve(outcome) : this.handleLocked(msg, blindIndex, held, preloaded)), firstTry);
      if (outcome?.status === 'deferred' && claimed) await this.dedup.release(msg.channel, msg.providerMessageId);
      return result ?? outcome!;
    } catch (err) {
      if (claimed) await this.dedup.release(msg.channel, msg.providerMessageId).catch(() => undefined);
      this.log.error(`${msg.channel} message failed: ${err instanceof Error ? err.name : 'error'}`);
      throw err;
    } finally {
      stopRenewing();
    }
  }

  /** Another message of hers is in hand in this process: claim the id first, then queue behind it, as before. */
  private async handleQueued(msg: InboundMessage, blindIndex: string, options: HandleOptions): Promise<HandleResult> {
    const [claimed, defer] = await Promise.all([this.dedup.claimOrWait(msg.channel, msg.providerMessageId), options.defer?.() ?? false]);
    if (!claimed) return this.duplicate();
    if (defer) {
      await this.dedup.release(msg.channel, msg.providerMessageId);
      return this.deferred();
    }
    const stopRenewing = this.dedup.keepAlive(msg.channel, msg.providerMessageId);
    try {
      return await this.lock.withLock(blindIndex, (held) => this.handleLocked(msg, blindIndex, held));
    } catch (err) {
      await this.dedup.release(msg.channel, msg.providerMessageId).catch(() => undefined);
      this.log.error(`${msg.channel} message failed: ${err instanceof Error ? err.name : 'error'}`);
      throw err;
    } finally {
      stopRenewing();
    }
  }

  private async handleLocked(msg: InboundMessage, blindIndex: string, held: HeldLock, preloaded?: Preloaded): Promise<HandleResult> {
    const { result, contactId, erased, replayed } = await this.turn.run(msg, blindIndex, preloaded);
    if (replayed) this.log.warn(`${msg.channel} message handled before but not finished: its replies are handed over again`);
    if (result.deliver) {
      await this.outbound.deliver(msg.channel, msg.address, result.language, result.outputs, {
        contactId: erased ? null : contactId,
        providerMessageId: msg.providerMessageId,
      });
    }
    // done mark, journal entry dropped and lock given back: one round trip
    await this.gate.finish(msg.channel, msg.providerMessageId, blindIndex, held.token);
    held.released = true;
    return result;
  }

  private duplicate(): HandleResult {
    return { status: 'duplicate', language: this.content.base, outputs: [], deliver: false, events: [] };
  }

  private deferred(): HandleResult {
    return { status: 'deferred', language: this.content.base, outputs: [], deliver: false, events: [] };
  }
}

export interface HandleOptions {
  /** see `ConversationService.handle`. */
  defer?: () => Promise<boolean>;
}
