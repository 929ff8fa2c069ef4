import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../common/clock';
import { ConversationService } from '../../conversations/conversation.service';
import type { Input } from '../../engine/engine.types';
import { SimulatorRenderer, SimulatorReply } from './simulator.renderer';
import { SimulatorMessage, simulatorMessageSchema } from './simulator.dto';

/**
 * Development-only endpoint behind `npm run chat` and the web simulator: it feeds the same
 * conversation service as the real channels and answers with both renderings (SMS and Telegram),
 * so content authors see exactly what a woman would receive.
 */
@Controller('simulator')
export class SimulatorController {
  constructor(
    private readonly conversations: ConversationService,
    private readonly renderer: SimulatorRenderer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('messages')
  @HttpCode(200)
  async receive(@Body() body: unknown): Promise<SimulatorReply> {
    const message = parse(body);
    const result = await this.conversations.handle({
      channel: 'simulator',
      providerMessageId: randomUUID(),
      address: message.from,
      input: toInput(message),
      receivedAt: this.clock.now(),
    });
    return this.renderer.render(result);
  }
}

function parse(body: unknown): SimulatorMessage {
  const parsed = simulatorMessageSchema.safeParse(body);
  if (!parsed.success) {
    // Name the fields that are wrong, never echo what was sent.
    const fields = parsed.error.issues.map((i) => i.path.join('.') || i.message);
    throw new BadRequestException(`invalid message: ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}

function toInput(m: SimulatorMessage): Input {
  if (m.start) return { kind: 'start' };
  if (m.choice) return { kind: 'choice', question: m.choice.question, choice: m.choice.id };
  return { kind: 'text', text: m.text ?? '' };
}
