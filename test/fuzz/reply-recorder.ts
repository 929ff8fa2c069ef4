import type { INestApplication } from '@nestjs/common';
import type { ChannelName } from '../../src/common/channel-name';
import { OutboundRegistry, type OutboundPort } from '../../src/conversations/outbound.registry';

/**
 * Sits in front of a channel's real outbound port: every reply still goes to the channel's queue
 * (rendering, guards and all), and the fuzz spec can see at once which address was answered.
 */
export class ReplyRecorder {
  private readonly answered = new Map<string, number>();

  static install(app: INestApplication, channel: ChannelName): ReplyRecorder {
    const registry = app.get(OutboundRegistry);
    const real = (registry as unknown as { ports: Map<ChannelName, OutboundPort> }).ports.get(channel);
    if (!real) throw new Error(`no outbound port for ${channel}`);
    const recorder = new ReplyRecorder();
    registry.unregister(channel);
    registry.register(channel, {
      deliver: async (address, language, outputs, meta) => {
        recorder.answered.set(address, (recorder.answered.get(address) ?? 0) + outputs.length);
        await real.deliver(address, language, outputs, meta);
      },
    });
    return recorder;
  }

  /** how many outputs this address has been sent so far. */
  repliesTo(address: string): number {
    return this.answered.get(address) ?? 0;
  }
}
