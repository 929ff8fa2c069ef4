import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { createClient } from 'redis';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { ChannelName } from '../conversations/inbound-message';
import { OutboundRegistry, type OutboundMeta, type OutboundPort } from '../conversations/outbound.registry';
import { AddressCipher } from '../crypto/address-cipher';
import type { Output } from '../engine/engine.types';
import { PROACTIVE_POLICY, type ProactivePolicy } from '../privacy/erasure.hook';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { backoffDelay, DEFAULT_ATTEMPTS, OutboundProcessor } from './outbound.processor';
import {
  JOB_PRIORITY,
  OutboundJobKind,
  outboundAddressContext,
  outboundJobId,
  type OutboundChannel,
  type OutboundJobData,
} from './outbound.types';

interface RunningChannel {
  def: OutboundChannel;
  queue: Queue<OutboundJobData>;
  worker: Worker<OutboundJobData>;
  processor: OutboundProcessor;
}

export interface EnqueueRequest {
  address: string;
  /** null only for the answer to her erasure. */
  contactId: string | null;
  language: string;
  outputs: Output[];
  kind: OutboundJobKind;
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
  /** BullMQ does not close clients it was given: they are closed here, after the workers. */
  private readonly clients: Array<{ isOpen: boolean; close(): Promise<void>; destroy(): void }> = [];

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(OutboundRegistry) private readonly registry: OutboundRegistry,
    @Optional() @Inject(PROACTIVE_POLICY) private readonly proactive?: ProactivePolicy,
  ) {}

  /** Starts the channel's queue and worker and makes it the conversation service's way out. */
  registerChannel<M>(def: OutboundChannel<M>): void {
    if (this.channels.has(def.channel)) throw new Error(`outbound channel ${def.channel} is already registered`);
    const channel = def as OutboundChannel;
    const queue = new Queue<OutboundJobData>(def.queue, { connection: this.connection(), prefix: this.config.redis.prefix });
    queue.on('error', (err) => this.log.warn(`${def.queue} queue: ${err.name}`));
    const processor = new OutboundProcessor({ messages: this.messages, contacts: this.contacts, cipher: this.cipher }, channel, async (row) => {
      const pause = def.pauseAfterMs?.({ segments: row.segments }) ?? 0;
      if (pause > 0) await queue.rateLimit(pause);
    });
    const retry = def.retry ?? {};
    const worker = new Worker<OutboundJobData>(def.queue, (job: Job<OutboundJobData>) => processor.process(job), {
      connection: this.connection(),
      prefix: this.config.redis.prefix,
      concurrency: 1,
      limiter: { max: def.limiter.max, duration: def.limiter.durationMs },
      settings: { backoffStrategy: (made, _type, err) => backoffDelay(made, err, retry.baseDelayMs, retry.maxDelayMs) },
    });
    worker.on('error', (err) => this.log.warn(`${def.queue} worker: ${err.name}`));
    this.channels.set(def.channel, { def: channel, queue, worker, processor });
    const port: OutboundPort = {
      deliver: (address, language, outputs, meta: OutboundMeta) => this.deliverReplies(def.channel, address, language, outputs, meta),
    };
    this.registry.register(def.channel, port);
  }

  /**
   * Queues one job per rendered message. Replies are admitted as the conversation service decided
   * (it already knows about opt-out, and lets the STOP confirmation through); proactive messages are
   * refused here for anyone opted out or unknown, and checked again when sent.
   */
  async enqueue(channelName: ChannelName, request: EnqueueRequest): Promise<string[]> {
    const running = this.require(channelName);
    if (request.kind === OutboundJobKind.Proactive) {
      const contact = request.contactId ? await this.contacts.findById(request.contactId) : undefined;
      if (!contact || contact.optedOut) return [];
      // she asked Sira never to write first (src/privacy)
      if (this.proactive && !(await this.proactive.allows(contact.id))) return [];
    }
    const ids: string[] = [];
    for (const rendered of running.def.render(request.outputs, request.language)) {
      const segments = rendered.segments ?? 0;
      const admitted = running.def.admit
        ? await running.def.admit({ contactId: request.contactId, address: request.address, kind: request.kind, segments })
        : true;
      if (!admitted) continue;
      ids.push(await this.enqueueOne(running, request, rendered));
    }
    return ids;
  }

  /** A proactive message to a contact whose address is stored (she consented): used by callbacks. */
  async enqueueProactive(channelName: ChannelName, contactId: string, language: string, outputs: Output[]): Promise<string[]> {
    const contact = await this.contacts.findById(contactId);
    if (!contact || contact.optedOut || !contact.hasAddress) return [];
    const address = await this.contacts.revealAddress(contactId);
    if (!address) return [];
    return this.enqueue(channelName, { address, contactId, language, outputs, kind: OutboundJobKind.Proactive });
  }

  /** The queue of a channel (tests and the staff board read it); undefined when not registered. */
  queueOf(channel: ChannelName): Queue<OutboundJobData> | undefined {
    return this.channels.get(channel)?.queue;
  }

  outcomes(channel: ChannelName): OutboundProcessor['counts'] | undefined {
    return this.channels.get(channel)?.processor.counts;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { def, queue, worker } of this.channels.values()) {
      this.registry.unregister(def.channel);
      await worker.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
    }
    this.channels.clear();
    for (const client of this.clients.splice(0)) {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    }
  }

  private async deliverReplies(channel: ChannelName, address: string, language: string, outputs: Output[], meta: OutboundMeta): Promise<void> {
    // After an erase the contact is gone: the confirmation is recorded without a contact.
    const contactId = (await this.contacts.findById(meta.contactId)) ? meta.contactId : null;
    await this.enqueue(channel, { address, contactId, language, outputs, kind: OutboundJobKind.Reply });
  }

  private async enqueueOne(running: RunningChannel, request: EnqueueRequest, rendered: { message: unknown; segments?: number; encoding?: string }): Promise<string> {
    const row = await this.messages.create({
      channel: running.def.channel,
      contactId: request.contactId,
      kind: request.kind,
      segments: rendered.segments,
      encoding: rendered.encoding,
    });
    const { token } = this.cipher.encrypt(request.address, outboundAddressContext(row.id));
    const data: OutboundJobData = { rowId: row.id, contactId: request.contactId, kind: request.kind, to: token, message: rendered.message };
    await running.queue.add(request.kind, data, {
      jobId: outboundJobId(request.kind, row.id),
      priority: JOB_PRIORITY[request.kind],
      attempts: running.def.retry?.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'outbound' },
      removeOnComplete: true,
      removeOnFail: true,
    });
    return row.id;
  }

  private require(channel: ChannelName): RunningChannel {
    const running = this.channels.get(channel);
    if (!running) throw new Error(`no outbound channel registered for ${channel}`);
    return running;
  }

  /** Each queue and worker gets its own node-redis client (BullMQ blocks on the worker's). */
  private connection() {
    const client = createClient({ url: this.config.redis.url, socket: { reconnectStrategy: (n: number) => Math.min(100 * 2 ** n, 5_000) } });
    client.on('error', () => undefined); // reported once by the queue/worker 'error' handlers
    this.clients.push(client);
    return client as never;
  }
}
