import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { CLOCK, type Clock } from '../../common/clock';
import { ConversationService } from '../../conversations/conversation.service';
import type { Input } from '../../engine/engine.types';
import { TELEGRAM_BOT } from './telegram.bot';
import { BLOCKED_SOURCE, TelegramContacts } from './telegram-contacts';
import { TelegramGroups } from './telegram-groups';
import { normaliseUpdate, type TelegramEvent } from './telegram.normaliser';

/**
 * One Telegram update, from the webhook or from long polling: normalise, then do what it means.
 * Replies are queued (never sent here), so the webhook answers Telegram quickly.
 */
@Injectable()
export class TelegramUpdateHandler {
  private readonly log = new Logger(TelegramUpdateHandler.name);

  constructor(
    @Inject(ConversationService) private readonly conversations: ConversationService,
    @Inject(TelegramContacts) private readonly contacts: TelegramContacts,
    @Inject(TelegramGroups) private readonly groups: TelegramGroups,
    @Inject(TELEGRAM_BOT) private readonly bot: Bot,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async process(update: Update): Promise<TelegramEvent['kind']> {
    const event = normaliseUpdate(update, this.clock.now());
    // A tap is always answered, even a stale or foreign one: her client shows a spinner until then.
    if ('callbackQueryId' in event && event.callbackQueryId) await this.answerCallback(event.callbackQueryId);
    switch (event.kind) {
      case 'input':
        await this.handInput(event.updateId, event.chatId, event.input, event.receivedAt);
        break;
      case 'blocked':
        await this.contacts.markBlocked(event.chatId);
        break;
      case 'group':
        await this.groups.leave(event.chatId);
        break;
      case 'unsupported':
        // a voice note, when she is not listening yet: the offer of listen mode (never switched on by itself)
        if (event.voiceNote && (await this.contacts.offersListen(event.chatId))) {
          await this.handInput(event.updateId, event.chatId, { kind: 'voice_note' }, event.receivedAt);
        } else await this.contacts.sendHint(event.updateId, event.chatId);
        break;
      default:
        break; // 'unblocked' and 'ignored': her next message is what counts.
    }
    return event.kind;
  }

  private async handInput(updateId: number, chatId: string, input: Input, receivedAt: number): Promise<void> {
    await this.conversations.handle({
      channel: 'telegram',
      providerMessageId: String(updateId),
      address: chatId,
      input,
      receivedAt,
      source: 'telegram',
      // writing again after blocking the bot lifts the block (a STOP stays): see TelegramContacts
      liftsOptOut: BLOCKED_SOURCE,
    });
  }

  private async answerCallback(id: string): Promise<void> {
    try {
      await this.bot.api.answerCallbackQuery(id);
    } catch (err) {
      // A late or repeated answer is refused by Telegram; the tap is still handled.
      this.log.warn(`answerCallbackQuery failed (${(err as { error_code?: number }).error_code ?? 'network'})`);
    }
  }
}
