import { BadRequestException, Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../common/clock';
import { CONTENT } from '../../content/content.module';
import type { LoadedContent } from '../../content/content.types';
import { TRANSLATOR, Translator } from '../../content/translator.provider';
import { ConversationService } from '../../conversations/conversation.service';
import type { Input } from '../../engine/engine.types';
import { isSimulatorAsset, simulatorAsset } from './simulator.assets';
import { SIMULATOR_CSP, simulatorPage } from './simulator.page';
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
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'languages' | 'base'>,
    @Inject(TRANSLATOR) private readonly translator: Translator,
  ) {}

  /** The two phones side by side (GET /simulator). */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', SIMULATOR_CSP)
  @Header('Cache-Control', 'no-store')
  page(): string {
    const words = this.translator.t(this.content.base)('common:commands.language');
    return simulatorPage({
      languages: this.content.languages,
      base: this.content.base,
      languageWord: words.split(',')[0].trim(),
    });
  }

  /** The page's script and style sheet; any other name is a 404. */
  @Get(':asset')
  asset(@Param('asset') name: string, @Res({ passthrough: true }) res: Response): string {
    if (!isSimulatorAsset(name)) throw new NotFoundException();
    const { body, type } = simulatorAsset(name);
    res.type(type).set('Cache-Control', 'no-store');
    return body;
  }

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
