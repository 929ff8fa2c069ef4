import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { startedBullmq, startedWorker } from '../common/bullmq-start';
import { runsWorkers } from '../config/process-role';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { ContactsRepository } from '../contacts/contacts.repository';
import { ContactFacts } from '../conversations/contact-facts.service';
import type { ChannelName } from '../common/channel-name';
import { OutboundRegistry, type OutboundMeta, type OutboundPort } from '../conversations/outbound.registry';
import { AddressCipher } from '../crypto/address-cipher';
import type { Output } from '../engine/engine.types';
import { proactiveWordsIn, renderedStrings } from '../privacy/discretion';
import { PROACTIVE_POLICY, type ProactivePolicy } from '../privacy/erasure.hook';
import { OutboundMessagesRepository, type NewOutboundRow } from './outbound-messages.repository';
import { backoffDelay, DEFAULT_ATTEMPTS, OutboundProcessor, STALLS_ALLOWED } from './outbound.processor';
import {
  JOB_PRIORITY,
  OutboundJobKind,
  outboundAddressContext,
  outboundJobId,
  type OutboundChannel,
  type OutboundJobData,
  type RefusedWithNotice,
} from './outbound.types';

interface RunningChannel {
  def: OutboundChannel;
  queue: Queue<OutboundJobData>;
  /** absent in a web process (SIRA_ROLE=web): it only enqueues. */
  worker?: Worker<OutboundJobData>;
  processor: OutboundProcessor;
  /** closes the worker, then the queue, each with its Redis client */
  close(): Promise<void>;
}

export interface EnqueueRequest {
  address: string;
  /** null only for the answer to her erasure. */
  contactId: string | null;
  language: string;
  outputs: Output[];
  kind: OutboundJobKind;
  /** a reply: the provider id of the message it answers (its rows are keyed by it, see enqueueKeyed). */
  answering?: string;
  /** not a reply: a key its rows are derived from all the same (a broadcast and her contact id), so handing it over twice queues it once. */
  rowKey?: string;
}

type Rendered = { message: unknown; segments?: number; encoding?: string };
/** A rendered message with its row id and her address sealed to that row (the row and its job hold the same token). */
type Sealed = Rendered & { id: string; to: string; kid: string };

/** The row id of the reply at `position` to one inbound message: the same on every hand-over. */
export function replyRowId(channel: ChannelName, providerMessageId: string, position: number): string {
  const hex = createHash('sha256').update(`${channel}\u0000${providerMessageId}\u0000${position}`).digest('hex');
  // shaped as an RFC 9562 version 8 (custom) UUID
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** PostgreSQL's foreign key violation: the contact row a reply points to no longer exists. */
function isMissingContact(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23503') return true;
  }
  return false;
}

/**
 * The channel-neutral outbound queue. A channel module calls `registerChannel` at init with its
 * renderer and sender; from then on replies handed to the conversation registry are rendered, recorded
 * in `outbound_messages` and queued one job per message; a paced worker sends them at most once.
 */
@Injectable()
export class OutboundService implements OnApplicationShutdown {
  private readonly log = new Logger(OutboundService.name);
  private readonly channels = new Map<ChannelName, RunningChannel>();
  private readonly starting = new Set<ChannelName>();
  /** proactive messages refused by the discretion check, per channel (since this process started). */
  private readonly indiscreet = new Map<ChannelName, number>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(OutboundRegistry) private readonly registry: OutboundRegistry,
    @Inject(ContactFacts) private readonly facts: ContactFacts,
    @Optional() @Inject(PROACTIVE_POLICY) private readonly proactive?: ProactivePolicy,
  ) {}

  /**
   * Starts the channel's queue and worker, then makes it the conversation service's way out: a channel
   * is registered only once both have started (see bullmq-start), so no reply waits on a broken queue.
   */
  async registerChannel<M>(def: OutboundChannel<M>): Promise<void> {
    if (this.channels.has(def.channel) || this.starting.has(def.channel)) throw new Error(`outbound channel ${def.channel} is already registered`);
    this.starting.add(def.channel);
    try {
      const running = await this.start(def as OutboundChannel);
      this.channels.set(def.channel, running);
    } finally {
      this.starting.delete(def.channel);
    }
    const port: OutboundPort = {
      deliver: (address, language, outputs, meta: OutboundMeta) => this.deliverReplies(def.channel, address, language, outputs, meta),
    };
    this.registry.register(def.channel, port);
  }

  /** Each queue and worker gets its own node-redis client (BullMQ blocks on the worker's). */
  private async start(channel: OutboundChannel): Promise<RunningChannel> {
    const { prefix, url } = this.config.redis;
    const buildQueue = (connection: never) => {
      const built = new Queue<OutboundJobData>(channel.queue, { connection, prefix });
      built.on('error', (err) => this.log.warn(`${channel.queue} queue: ${err.name}`));
      return built;
    };
    const started = await startedBullmq(`${channel.queue} queue`, url, buildQueue, this.log);
    const queue = started.item;
    const processor = new OutboundProcessor({ messages: this.messages, contacts: this.contacts, cipher: this.cipher, facts: this.facts }, channel, async (sent) => {
      const pause = channel.pauseAfterMs?.(sent) ?? 0;
      if (pause > 0) await queue.rateLimit(pause);
    });
    try {
      // a web process only enqueues: the sends run in a worker process (SIRA_ROLE)
      const worker = runsWorkers(this.config) ? await startedWorker(`${channel.queue} worker`, url, (connection) => this.buildWorker(channel, processor, connection), this.log) : undefined;
      const close = async () => {
        await worker?.close();
        await started.close();
      };
      return { def: channel, queue, worker: worker?.item, processor, close };
    } catch (err) {
      await started.close();
      throw err;
    }
  }

  private buildWorker(channel: OutboundChannel, processor: OutboundProcessor, connection: never): Worker<OutboundJobData> {
    const retry = channel.retry ?? {};
    const worker = new Worker<OutboundJobData>(channel.queue, (job: Job<OutboundJobData>, token?: string) => processor.process(job, token), {
      connection,
      prefix: this.config.redis.prefix,
      autorun: false,
      concurrency: 1,
      // a job whose process died comes back after its lock runs out (its row is then marked unknown)
      lockDuration: this.config.workers.lockMs,
      stalledInterval: this.config.workers.lockMs,
      maxStalledCount: STALLS_ALLOWED,
      limiter: { max: channel.limiter.max, duration: channel.limiter.durationMs },
      settings: { backoffStrategy: (made, _type, err) => backoffDelay(made, err, retry.baseDelayMs, retry.maxDelayMs) },
    });
    worker.on('error', (err) => this.log.warn(`${channel.queue} worker: ${err.name}`));
    return worker;
  }

  /**
   * Queues one job per rendered message. Replies are admitted as the conversation service decided
   * (it already knows about opt-out, and lets the STOP confirmation through); proactive messages are
   * refused here for anyone opted out or unknown, and checked again when sent. A turn's messages are
   * recorded in one statement and their guards and jobs each go to Redis in one round trip (commands
   * issued together are written together, and run in their order).
   */
  async enqueue(channelName: ChannelName, request: EnqueueRequest): Promise<string[]> {
    const running = this.require(channelName);
    if (request.kind !== OutboundJobKind.Reply) {
      const contact = request.contactId ? await this.contacts.findById(request.contactId) : undefined;
      if (!contact || contact.optedOut) return [];
      // she asked Sira never to write first (src/privacy)
      if (this.proactive && !(await this.proactive.allows(contact.id))) return [];
    }
    const spoken = request.kind === OutboundJobKind.Reply && running.def.spoken ? await running.def.spoken(request.outputs, request.language, request.contactId) : [];
    const rendered = [...spoken, ...running.def.render(request.outputs, request.language)];
    if (request.kind !== OutboundJobKind.Reply && !this.discreet(channelName, rendered)) return [];
    const key = request.answering ?? request.rowKey;
    if (key) return this.enqueueKeyed(running, request, rendered, key);
    const verdicts = await this.admitAll(running, request, rendered);
    const admitted = [...rendered.filter((_, i) => verdicts[i] === true), ...this.noticeOf(running, request, verdicts)];
    const queued = admitted.map((r) => this.seal(request, r, randomUUID()));
    await this.messages.createMany(queued.map((r) => this.newRow(running, request, r)));
    await this.addJobs(running, request, queued);
    return queued.map((r) => r.id);
  }

  /** A proactive message to a contact whose address is stored (she consented): used by callbacks. */
  async enqueueProactive(channelName: ChannelName, contactId: string, language: string, outputs: Output[]): Promise<string[]> {
    const contact = await this.contacts.findById(contactId);
    if (!contact || contact.optedOut || !contact.hasAddress) return [];
    const address = await this.contacts.revealAddress(contactId);
    if (!address) return [];
    return this.enqueue(channelName, { address, contactId, language, outputs, kind: OutboundJobKind.Proactive });
  }

  /**
   * A proactive message lands on a phone someone else may hold: the whole turn is refused (and counted,
   * never logged with its text) when any rendered string names a call, a topic, an organisation or the
   * subject (src/privacy/discretion.ts). `flows:check` catches such texts before they ship; this catches
   * a key or parameter that slipped through.
   */
  private discreet(channel: ChannelName, rendered: Rendered[]): boolean {
    const words = rendered.flatMap((r) => renderedStrings(r.message).flatMap(proactiveWordsIn));
    if (words.length === 0) return true;
    this.indiscreet.set(channel, (this.indiscreet.get(channel) ?? 0) + 1);
    this.log.warn(`${channel}: proactive message refused by the discretion check (${words.length} sensitive word${words.length === 1 ? '' : 's'})`);
    return false;
  }

  /** How many proactive messages the discretion check refused on a channel. */
  refusedAsIndiscreet(channel: ChannelName): number {
    return this.indiscreet.get(channel) ?? 0;
  }

  /** The queue of a channel (tests and the staff board read it); undefined when not registered. */
  queueOf(channel: ChannelName): Queue<OutboundJobData> | undefined {
    return this.channels.get(channel)?.queue;
  }

  outcomes(channel: ChannelName): OutboundProcessor['counts'] | undefined {
    return this.channels.get(channel)?.processor.counts;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const running of this.channels.values()) {
      this.registry.unregister(running.def.channel);
      await running.close();
    }
    this.channels.clear();
  }

  private async deliverReplies(channel: ChannelName, address: string, language: string, outputs: Output[], meta: OutboundMeta): Promise<void> {
    const request: EnqueueRequest = { address, contactId: meta.contactId, language, outputs, kind: OutboundJobKind.Reply, answering: meta.providerMessageId };
    try {
      await this.enqueue(channel, request);
    } catch (err) {
      // erased by staff while this turn ran: her rows are gone, the reply is recorded without a contact
      if (!isMissingContact(err)) throw err;
      await this.enqueue(channel, { ...request, contactId: null });
    }
  }

  /** Each message's guards (caps, rate limits), issued together: one round trip, booked in their order. */
  private admitAll(running: RunningChannel, request: EnqueueRequest, rendered: Rendered[]): Promise<Array<boolean | RefusedWithNotice>> {
    const admit = running.def.admit;
    if (!admit) return Promise.resolve(rendered.map(() => true));
    const { contactId, address, kind, language } = request;
    return Promise.all(rendered.map((r) => admit({ contactId, address, kind, segments: r.segments ?? 0, language, message: r.message })));
  }

  /**
   * The notice a guard admitted in place of a refused reply (her cap: else she meets silence and thinks
   * Sira is broken), rendered in her language; the guard claims it at most once per window.
   */
  private noticeOf(running: RunningChannel, request: EnqueueRequest, verdicts: Array<boolean | RefusedWithNotice>): Rendered[] {
    const refused = verdicts.find((v): v is RefusedWithNotice => typeof v === 'object');
    return refused ? running.def.render(refused.notice, request.language) : [];
  }

  /**
   * Replies whose row ids are derived from the message they answer: the first hand-over records, admits and
   * queues them; a second one (the same turn replayed after an interruption) finds the rows and only puts
   * back a job Redis may have lost meanwhile — never a second row, never a second send.
   */
  private async enqueueKeyed(running: RunningChannel, request: EnqueueRequest, rendered: Rendered[], answering: string): Promise<string[]> {
    return (await this.enqueueKeyedMany(running, [{ request, rendered, key: answering }]))[0]!;
  }

  /**
   * Many senders' proactive messages of one channel at once (a broadcast's page): each request keyed
   * (`rowKey`), rendered and checked for discretion as `enqueue` does, their rows recorded in one
   * statement. The caller has read each contact's opt-out and discreet mode in the same query that found
   * them (the send re-checks opt-out); a contact erased meanwhile fails the whole batch (her row's foreign
   * key), which the caller hands over again. Returns the row ids queued per request, in order.
   */
  async enqueueBatch(channelName: ChannelName, requests: EnqueueRequest[]): Promise<string[][]> {
    const running = this.require(channelName);
    const items = requests.map((request) => {
      if (request.kind === OutboundJobKind.Reply || !request.rowKey) throw new Error('enqueueBatch takes keyed proactive messages only');
      const rendered = running.def.render(request.outputs, request.language);
      return { request, rendered: this.discreet(channelName, rendered) ? rendered : [], key: request.rowKey };
    });
    return this.enqueueKeyedMany(running, items);
  }

  private async enqueueKeyedMany(running: RunningChannel, items: Array<{ request: EnqueueRequest; rendered: Rendered[]; key: string }>): Promise<string[][]> {
    const sealed = items.map(({ request, rendered, key }) => rendered.map((r, position) => this.seal(request, r, replyRowId(running.def.channel, key, position))));
    const created = await this.messages.createMany(items.flatMap(({ request }, i) => sealed[i]!.map((r) => this.newRow(running, request, r))));
    return Promise.all(items.map(({ request, key }, i) => this.queueKeyed(running, request, sealed[i]!, key, created)));
  }

  private async queueKeyed(running: RunningChannel, request: EnqueueRequest, keyed: Sealed[], answering: string, created: Set<string>): Promise<string[]> {
    const fresh = keyed.filter((r) => created.has(r.id));
    const verdicts = await this.admitAll(running, request, fresh);
    const refused = fresh.filter((_, i) => verdicts[i] !== true);
    for (const { id } of refused) await this.messages.discard(id);
    // the cap notice's rows are keyed too (claimed once, so never queued twice)
    const notice = this.noticeOf(running, request, verdicts).map((r, position) => this.seal(request, r, replyRowId(running.def.channel, `${answering}\u0000cap-notice`, position)));
    await this.messages.createMany(notice.map((r) => this.newRow(running, request, r)));
    // handed over again: the rows that exist say what is left to queue
    const existing = await this.messages.statusesOf(keyed.filter((r) => !created.has(r.id)).map((r) => r.id));
    const toQueue = keyed.filter((r) => (created.has(r.id) ? !refused.includes(r) : existing.get(r.id) === 'queued'));
    await this.addJobs(running, request, [...toQueue, ...notice]);
    return [...keyed.filter((r) => (created.has(r.id) ? !refused.includes(r) : existing.has(r.id))), ...notice].map((r) => r.id);
  }

  private seal(request: EnqueueRequest, rendered: Rendered, id: string): Sealed {
    const { token, kid } = this.cipher.encrypt(request.address, outboundAddressContext(id));
    return { ...rendered, id, to: token, kid };
  }

  /** The row keeps what its job carries until it settles: a job Redis loses is rebuilt from it (OutboundSweep). */
  private newRow(running: RunningChannel, request: EnqueueRequest, sealed: Sealed): NewOutboundRow {
    const { id, segments, encoding, to, kid, message } = sealed;
    return { id, channel: running.def.channel, contactId: request.contactId, kind: request.kind, segments, encoding, addressEnc: to, addressKeyId: kid, message };
  }

  /**
   * Adds the jobs concurrently, in their order (each add is its own script, and leaves a job with the same
   * id alone). Not one MULTI/addBulk: BullMQ's node-redis adapter falls back to EVAL when Redis lost its
   * scripts (a restart) only outside a transaction. Rejects, once every add has ended, if any failed.
   */
  private async addJobs(running: RunningChannel, request: EnqueueRequest, rows: Sealed[]): Promise<void> {
    await this.addJobData(
      running.def.channel,
      rows.map(({ id: rowId, to, message }) => ({ rowId, contactId: request.contactId, kind: request.kind, to, message })),
    );
  }

  /**
   * Adds one job per row under its fixed id (`<kind>-<row id>-1`): a job that exists, waiting, delayed
   * or running, is left alone, so adding again (a turn handed over twice, the sweep) never doubles it.
   * Rejects, once every add has ended, if any failed.
   */
  async addJobData(channel: ChannelName, jobs: OutboundJobData[]): Promise<void> {
    const running = this.require(channel);
    const attempts = running.def.retry?.attempts ?? DEFAULT_ATTEMPTS;
    const results = await Promise.allSettled(
      jobs.map((data) =>
        running.queue.add(data.kind, data, {
          jobId: outboundJobId(data.kind, data.rowId),
          priority: JOB_PRIORITY[data.kind],
          attempts,
          backoff: { type: 'outbound' },
          removeOnComplete: true,
          removeOnFail: true,
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }



  private require(channel: ChannelName): RunningChannel {
    const running = this.channels.get(channel);
    if (!running) throw new Error(`no outbound channel registered for ${channel}`);
    return running;
  }

}
