import { Injectable, Logger } from '@nestjs/common';
import type { Output } from '../engine/engine.types';
import type { ChannelName } from '../common/channel-name';

/** What a channel receives with the replies, besides her address: ids only, never her words. */
export interface OutboundMeta {
  /** null when she was erased in this turn (the confirmation then belongs to no contact). */
  contactId: string | null;
  /**
   * the inbound message these replies answer: the channel's queue derives each reply's id from it and
   * its position, so replies handed over again after an interrupted turn are recognised, not re-sent.
   */
  providerMessageId: string;
}

/**
 * A channel's sink for replies. `deliver` should only queue (the channel sends, paced, later):
 * it runs while the contact's lock is held, and a throw makes the provider redeliver the message.
 */
export interface OutboundPort {
  deliver(address: string, language: string, outputs: Output[], meta: OutboundMeta): Promise<void>;
}

/**
 * The conversation core's one way out for replies: every channel (the simulator included) has a port,
 * registered by `OutboundService.registerChannel` once the channel's queue has started. It lives here,
 * not in `outbound/`, because `outbound/` depends on `conversations/` (ContactFacts); it is also the seam
 * tests put a recording port in. A channel with no port has nowhere to send: its replies are dropped
 * (and logged), never handed back to a caller to render.
 */
@Injectable()
export class OutboundRegistry {
  private readonly log = new Logger(OutboundRegistry.name);
  private readonly ports = new Map<ChannelName, OutboundPort>();

  register(channel: ChannelName, port: OutboundPort): void {
    if (this.ports.has(channel)) throw new Error(`an outbound port is already registered for ${channel}`);
    this.ports.set(channel, port);
  }

  unregister(channel: ChannelName): void {
    this.ports.delete(channel);
  }

  /** Hands replies to the channel's port; false when the channel has none (nothing is sent). */
  async deliver(channel: ChannelName, address: string, language: string, outputs: Output[], meta: OutboundMeta): Promise<boolean> {
    const port = this.ports.get(channel);
    if (!port) {
      this.log.warn(`no outbound port for channel ${channel}; replies not sent`);
      return false;
    }
    if (outputs.length) await port.deliver(address, language, outputs, meta);
    return true;
  }
}
