import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { BlindIndex } from '../crypto/blind-index';
import { ContactLock } from './contact.lock';
import { ConversationTurn } from './conversation.turn';
import { DedupLease } from './dedup.lease';
import type { HandleResult, InboundMessage } from './inbound-message';
import { OutboundRegistry } from './outbound.registry';
import { TurnJournal } from './turn.journal';

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
    @Inject(TurnJournal) private readonly journal: TurnJournal,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
  ) {}

  async handle(msg: InboundMessage): Promise<HandleResult> {
    const started = Date.now();
    if (!(await this.dedup.claimOrWait(msg.channel, msg.providerMessageId))) {
      this.log.debug(`duplicate ${msg.channel} message ignored`);
      return { status: 'duplicate', language: this.content.base, outputs: [], deliver: false, events: [] };
    }
    const stopRenewing = this.dedup.keepAlive(msg.channel, msg.providerMessageId);
    try {
      const blindIndex = this.index.of(msg.channel, msg.address);
      const result = await this.lock.withLock(blindIndex, () => this.handleLocked(msg, blindIndex));
      this.log.log(`${msg.channel} message handled in ${Date.now() - started} ms [${result.events.join(', ')}]`);
      return result;
    } catch (err) {
      await this.dedup.release(msg.channel, msg.providerMessageId).catch(() => undefined);
      this.log.error(`${msg.channel} message failed: ${err instanceof Error ? err.name : 'error'}`);
      throw err;
    } finally {
      stopRenewing();
    }
  }

  private async handleLocked(msg: InboundMessage, blindIndex: string): Promise<HandleResult> {
    const { result, contactId, erased, replayed } = await this.turn.run(msg, blindIndex);
    if (replayed) this.log.warn(`${msg.channel} message handled before but not finished: its replies are handed over again`);
    if (result.deliver) {
      await this.outbound.deliver(msg.channel, msg.address, result.language, result.outputs, {
        contactId: erased ? null : contactId,
        providerMessageId: msg.providerMessageId,
      });
    }
    await this.dedup.markDone(msg.channel, msg.providerMessageId, this.journal.key(msg.channel, msg.providerMessageId));
    return result;
  }
}
