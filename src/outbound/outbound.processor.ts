import { Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import type { ContactsRepository } from '../contacts/contacts.repository';
import type { ContactFacts } from '../conversations/contact-facts.service';
import type { AddressCipher } from '../crypto/address-cipher';
import type { ClaimVerdict, OutboundMessagesRepository } from './outbound-messages.repository';
import {
  SendError,
  outboundAddressContext,
  type OutboundChannel,
  type OutboundJobData,
  type SendResult,
} from './outbound.types';

export const DEFAULT_ATTEMPTS = 5;
/**
 * How often a job may be interrupted (its process died while it ran) and still run again. Every run is
 * safe to repeat (an interrupted provider call is recorded `unknown`, never resent), while a job BullMQ
 * drops leaves its row `queued` or `sending` for ever; the bound only stops a job that kills its process.
 * BullMQ counts these over the job's whole life, and a job held back by an older message runs often.
 */
export const STALLS_ALLOWED = 5;
/** how old an older pending message to the same contact may be and still hold a later one back. */
const ORDER_WINDOW_MS = 120_000;
/** a message held back by an older one is looked at again after this long (the worker sends others meanwhile). */
const HOLD_MS = 500;
/** the database or Redis unreachable: the job comes back after 250 ms, 500 ms, … at most 4 s, for as long as it takes. */
const DEFER_BASE_MS = 250;
const DEFER_MAX_MS = 4_000;

/**
 * What happened to one job, for counters and tests (no personal data). `held`: an older message to her
 * is still pending; `deferred`: the database (or Redis) failed before anything was sent. Both put the
 * job back, delayed, without using one of its attempts.
 */
export type JobOutcome = 'sent' | 'skipped' | 'retrying' | 'failed' | 'unknown' | 'blocked' | 'held' | 'deferred';

export interface ProcessorDeps {
  messages: OutboundMessagesRepository;
  contacts: ContactsRepository;
  cipher: AddressCipher;
  /** a provider's refusal changes her state through the one path for contact events. */
  facts: Pick<ContactFacts, 'submit'>;
}

/**
 * Sends one job at most once: the row is claimed (`queued` → `sending`) before the provider is called,
 * so a redelivered job finds it taken. Whatever the provider says decides the row's next state.
 */
export class OutboundProcessor {
  private readonly log = new Logger(OutboundProcessor.name);
  /** outcomes since start, per kind of outcome (ids only; staff see the table for detail). */
  readonly counts: Record<JobOutcome, number> = { sent: 0, skipped: 0, retrying: 0, failed: 0, unknown: 0, blocked: 0, held: 0, deferred: 0 };
  /** whether the last job was put back by an infrastructure failure (logged once per outage, not per job). */
  private deferring = false;

  constructor(
    private readonly deps: ProcessorDeps,
    private readonly channel: OutboundChannel,
    /** called after a successful send with its cost (pacing by segments). */
    private readonly afterSend: (sent: { segments: number | null }) => Promise<void> = async () => undefined,
  ) {}

  /**
   * `token` is the worker's lock on the job. A provider's clear failure is thrown for BullMQ to retry
   * (counted, with backoff); any other failure is infrastructure (PostgreSQL or Redis unreachable): the
   * job is put back without using an attempt, so an outage longer than the attempts' backoff loses
   * nothing. A row already claimed when that happens is found `sending` next time and ends `unknown`.
   */
  async process(job: Job<OutboundJobData>, token?: string): Promise<JobOutcome> {
    let outcome: JobOutcome;
    const attempt: RunState = { claimStood: false };
    try {
      outcome = await this.run(job, attempt);
    } catch (err) {
      if (err instanceof SendError) throw err;
      // its row may stay `sending` after a provider call: no later lost claim answer may give it back
      if (attempt.claimStood && !job.data.claimSpent) await job.updateData({ ...job.data, claimUnconfirmed: false, claimSpent: true });
      outcome = 'deferred';
      if (!this.deferring) this.log.warn(`${this.channel.channel} sends put back until the database answers (${errorName(err)})`);
      this.deferring = true;
    }
    if (outcome !== 'deferred' && this.deferring) {
      this.deferring = false;
      this.log.log(`${this.channel.channel} sends resumed`);
    }
    this.counts[outcome]++;
    if (outcome === 'held' || outcome === 'deferred') {
      await job.moveToDelayed(Date.now() + (outcome === 'held' ? HOLD_MS : deferDelay(job)), token);
      throw new DelayedError();
    }
    return outcome;
  }

  /**
   * Two statements per message sent: the claim (which also reads the row, the order and her opt-out,
   * see prepareClaimStatement) and the sent mark. The rare paths (a claim to give back, a send that
   * died half-way, a row no longer to send) cost one more.
   */
  private async run(job: Job<OutboundJobData>, attempt: RunState): Promise<JobOutcome> {
    const { rowId } = job.data;
    let verdict = await this.claim(job);
    if (verdict?.status === 'sending' && !verdict.claimed && job.data.claimUnconfirmed) {
      await this.deps.messages.releaseClaim(rowId);
      verdict = await this.claim(job);
    }
    // No row: she was erased (her rows went with her).
    if (!verdict) return 'skipped';
    if (!verdict.claimed) return this.notClaimed(rowId, verdict);
    attempt.claimStood = true;
    let address: string;
    try {
      address = this.deps.cipher.decrypt(job.data.to, outboundAddressContext(rowId));
    } catch {
      await this.deps.messages.markFinal(rowId, 'failed', 'address_unreadable');
      return 'failed';
    }
    let sent: SendResult;
    try {
      sent = await this.channel.sender.send({ rowId, contactId: job.data.contactId, address, message: job.data.message });
    } catch (err) {
      return this.onError(job, err);
    }
    await this.deps.messages.markSent(rowId, sent.providerId, { provider: sent.provider, line: sent.line });
    await this.afterSend({ segments: verdict.segments });
    return 'sent';
  }

  /**
   * Why the row was not claimed. Its order: her messages leave in the order they were queued even when
   * several workers (instances) send at once, or when an older one was put back (an outage, a provider's
   * retry, a claim given back): a later one is held while an older one of the same kind to her is still
   * queued or being sent, within ORDER_WINDOW_MS.
   */
  private async notClaimed(rowId: string, verdict: ClaimVerdict): Promise<JobOutcome> {
    if (verdict.status === 'sending') return this.diedMidSend(rowId);
    // already sent, or ended unknown or failed; or claimed by another worker a moment ago
    if (verdict.status !== 'queued') return 'skipped';
    if (verdict.held) return 'held';
    // a proactive message to someone now opted out, or a reply queued before her STOP: never sent
    if (!verdict.allowed) await this.deps.messages.discard(rowId);
    return 'skipped';
  }

  /**
   * A claim whose answer was lost (the connection broke as PostgreSQL stopped) may have committed. The job
   * then says so (its data lives in Redis, seen by every instance): no provider call follows such a claim,
   * so when the job comes back and finds its row `sending`, the claim is given back and the message sent,
   * instead of being taken for a send that died half-way. The mark is cleared before the provider is called.
   *
   * The claim statement also reads the row, so it fails the same way when the row was already `sending`
   * from an earlier run's claim that stood — and that run may have called the provider. So the mark is only
   * set when no earlier run's claim can have stood: none said so (claimSpent), none ended by a failure
   * (attemptsMade: a provider's retry, a run that could not say so) or died (stalledCounter). Otherwise
   * the row found `sending` ends `unknown`, never resent.
   */
  private async claim(job: Job<OutboundJobData>): Promise<ClaimVerdict | undefined> {
    let verdict: ClaimVerdict | undefined;
    try {
      verdict = await this.deps.messages.claim(job.data.rowId, ORDER_WINDOW_MS);
    } catch (err) {
      if (!job.data.claimUnconfirmed && noEarlierClaimStood(job)) await job.updateData({ ...job.data, claimUnconfirmed: true });
      throw err;
    }
    if (verdict?.claimed && job.data.claimUnconfirmed) await job.updateData({ ...job.data, claimUnconfirmed: false });
    return verdict;
  }

  /**
   * The job came back (stalled) with its row still `sending`: the worker that claimed it died during the
   * provider call, so the SMS may or may not have gone out. Recorded `unknown` for staff, never resent.
   */
  private async diedMidSend(rowId: string): Promise<JobOutcome> {
    await this.deps.messages.markFinal(rowId, 'unknown', 'worker_died');
    this.log.warn(`${this.channel.channel} send interrupted by a worker that died; outcome unknown, not resent`);
    return 'unknown';
  }

  private async onError(job: Job<OutboundJobData>, err: unknown): Promise<JobOutcome> {
    const { rowId, contactId } = job.data;
    const error = err instanceof SendError ? err : new SendError('ambiguous', errorName(err));
    switch (error.kind) {
      case 'retryable': {
        const attempts = job.opts.attempts ?? DEFAULT_ATTEMPTS;
        if (job.attemptsMade + 1 >= attempts) {
          await this.deps.messages.markFinal(rowId, 'failed', error.code);
          this.log.warn(`${this.channel.channel} message failed after ${attempts} attempts (${error.code})`);
          return 'failed';
        }
        await this.deps.messages.requeue(rowId, error.code);
        this.counts.retrying++;
        throw error; // BullMQ retries with the backoff computed from this error.
      }
      case 'blocked':
        await this.deps.messages.markFinal(rowId, 'failed', error.code);
        if (contactId) await this.deps.facts.submit(contactId, { type: 'send_refused', source: error.optOutSource ?? 'blocked' }).catch(() => undefined);
        this.log.log(`${this.channel.channel} contact stopped by the provider (${error.code})`);
        return 'blocked';
      case 'ambiguous':
        // It may have gone out: sending again could text her twice. Staff see the `unknown` rows.
        await this.deps.messages.markFinal(rowId, 'unknown', error.code);
        this.log.warn(`${this.channel.channel} send outcome unknown (${error.code}); not resent`);
        return 'unknown';
      default:
        await this.deps.messages.markFinal(rowId, 'failed', error.code);
        this.log.warn(`${this.channel.channel} message refused by the provider (${error.code})`);
        return 'failed';
    }
  }
}

/** What one run did that its failure handler must know: whether its claim stood (a provider call may follow). */
interface RunState {
  claimStood: boolean;
}

function noEarlierClaimStood(job: Pick<Job<OutboundJobData>, 'data' | 'attemptsMade' | 'stalledCounter'>): boolean {
  return !job.data.claimSpent && job.attemptsMade === 0 && job.stalledCounter === 0;
}

/** Bounded backoff for a job put back while the database (or Redis) is unreachable. */
function deferDelay(job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>): number {
  // starts not ended by an attempt: the deferrals (and holds) so far, this one included
  const deferrals = Math.max(job.attemptsStarted - job.attemptsMade, 1);
  return Math.min(DEFER_BASE_MS * 2 ** Math.min(deferrals - 1, 10), DEFER_MAX_MS);
}

/** Bounded exponential backoff, or the provider's own retry-after when it gave one. */
export function backoffDelay(attemptsMade: number, err: unknown, base = 1_000, max = 60_000): number {
  if (err instanceof SendError && err.retryAfterMs !== undefined) return Math.min(Math.max(err.retryAfterMs, 0), max);
  return Math.min(base * 2 ** Math.max(attemptsMade - 1, 0), max);
}

function errorName(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') return (err as { code: string }).code;
  return err instanceof Error ? err.name : 'error';
}
