import { BadRequestException, Body, Controller, GatewayTimeoutException, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../common/clock';
import { CONTENT } from '../../content/content.module';
import type { LoadedContent } from '../../content/content.types';
import { TRANSLATOR, Translator } from '../../content/translator.provider';
import { ConversationService } from '../../conversations/conversation.service';
import type { Input } from '../../engine/engine.types';
import { OutboundMessagesRepository } from '../../outbound/outbound-messages.repository';
import { replyRowId } from '../../outbound/outbound.service';
import { isSimulatorAsset, simulatorAsset } from './simulator.assets';
import { SIMULATOR_CSP, simulatorPage } from './simulator.page';
import { SimulatorOutbox } from './simulator.outbox';
import { simulatorReply, type SimulatorRendering, type SimulatorReply } from './simulator.renderer';
import { SimulatorMessage, simulatorMessageSchema } from './simulator.dto';

/** How long a simulated message waits for its reply to leave the outbound queue (a bounded wait). */
export const SIMULATOR_REPLY_WAIT_MS = 10_000;
/** A turn queues its rendering, preceded in listen mode by its recordings: two messages at most. */
const MAX_MESSAGES_PER_TURN = 2;

/**
 * Development-only endpoint behind `npm run chat` and the web simulator: the simulator's inbound
 * webhook. It feeds the same conversation service as the real channels; the replies leave by the
 * same outbound queue (SimulatorOutbound) to the simulator's outbox, where this endpoint waits for
 * them (at most SIMULATOR_REPLY_WAIT_MS) and answers with every rendering (SMS, Telegram, WhatsApp), so
 * content authors see exactly what a woman would receive.
 */
@Controller('simulator')
export class SimulatorController {
  constructor(
    private readonly conversations: ConversationService,
    @Inject(SimulatorOutbox) private readonly outbox: SimulatorOutbox,
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'languages' | 'base'>,
    @Inject(TRANSLATOR) private readonly translator: Translator,
  ) {}

  /** The phones side by side (GET /simulator). */
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
    const providerMessageId = randomUUID();
    const result = await this.conversations.handle({
      channel: 'simulator',
      providerMessageId,
      address: message.from,
      input: toInput(message),
      receivedAt: this.clock.now(),
    });
    if (result.status !== 'processed' || !result.deliver) return simulatorReply(result, undefined);
    // A turn's replies are one simulator message (two in listen mode: its recordings, then the texts),
    // queued (recorded) before handle() returned, or none.
    const kept: SimulatorRendering[] = [];
    for (let position = 0; position < MAX_MESSAGES_PER_TURN; position++) {
      const rowId = replyRowId('simulator', providerMessageId, position);
      if (!(await this.messages.findById(rowId))) break;
      const one = await this.outbox.take(message.from, rowId, SIMULATOR_REPLY_WAIT_MS);
      if (!one) throw new GatewayTimeoutException(`the reply was queued but not sent within ${SIMULATOR_REPLY_WAIT_MS / 1000} s: is a worker running (SIRA_ROLE)?`);
      kept.push(one);
    }
    if (kept.length === 0) return simulatorReply(result, undefined);
    return simulatorReply(result, {
      sms: kept.flatMap((k) => k.sms),
      telegram: kept.flatMap((k) => k.telegram),
      whatsapp: kept.flatMap((k) => k.whatsapp ?? []),
    });
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
