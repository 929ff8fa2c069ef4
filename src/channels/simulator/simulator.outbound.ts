import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { OutboundService } from '../../outbound/outbound.service';
import { OutboundQueueName, type OutboundChannel, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import { SimulatorListen } from './simulator-listen';
import { SimulatorOutbox } from './simulator.outbox';
import { SimulatorRenderer, type SimulatorRendering } from './simulator.renderer';

/** The simulator's sender: "sending" a reply is keeping it in the outbox for the page to take. */
@Injectable()
export class SimulatorSender implements Sender<SimulatorRendering> {
  constructor(@Inject(SimulatorOutbox) private readonly outbox: SimulatorOutbox) {}

  async send(request: SendRequest<SimulatorRendering>): Promise<SendResult> {
    await this.outbox.keep(request.address, request.rowId, request.message);
    return { providerId: request.rowId, provider: 'simulator' };
  }
}

/**
 * Makes the shared outbound queue the simulator's way out, like every channel's: a turn's replies are
 * rendered (one message: both renderings side by side), recorded in `outbound_messages`, queued and
 * "sent" at most once by the worker, to the outbox the page and `npm run chat` read.
 */
@Injectable()
export class SimulatorOutbound implements OnModuleInit {
  constructor(
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(SimulatorSender) private readonly sender: SimulatorSender,
    @Inject(SimulatorRenderer) private readonly renderer: SimulatorRenderer,
    @Inject(SimulatorListen) private readonly listen: SimulatorListen,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.outbound.registerChannel(this.definition());
  }

  definition(): OutboundChannel<SimulatorRendering> {
    return {
      channel: 'simulator',
      queue: OutboundQueueName.Simulator,
      // listen mode (simulator-listen.ts): the recorded prompts go first, as one more simulator message
      spoken: (outputs, language, contactId) => this.listen.spoken(outputs, language, contactId),
      render: (outputs, language) => [{ message: this.renderer.render(outputs, language) }],
      sender: this.sender,
      // nothing leaves the machine: no provider's pace to keep
      limiter: { max: 1000, durationMs: 1000 },
      retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 },
    };
  }
}
