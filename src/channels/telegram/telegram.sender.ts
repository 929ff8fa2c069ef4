import { Inject, Injectable, Optional } from '@nestjs/common';
import { GrammyError, HttpError, type Bot } from 'grammy';
import { BlindIndex } from '../../crypto/blind-index';
import { SendError, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import type { TelegramMessage } from '../render.types';
import { TELEGRAM_BOT } from './telegram.bot';
import { TelegramChatPacer } from './telegram-chat.pacer';
import { TelegramVoice } from './telegram-voice';

/** Connection failures that prove the request never reached Telegram: safe to try again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends one rendered message with the Bot API (HTML parse mode, one button per row), paced per chat.
 * Returns Telegram's message_id, which the outbound table keeps (for deletion on erasure), never the text.
 */
@Injectable()
export class TelegramSender implements Sender<TelegramMessage> {
  constructor(
    @Inject(TELEGRAM_BOT) private readonly bot: Bot,
    @Inject(TelegramChatPacer) private readonly pacer: TelegramChatPacer,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Optional() @Inject(TelegramVoice) private readonly voice?: TelegramVoice,
  ) {}

  async send(request: SendRequest<TelegramMessage>): Promise<SendResult> {
    const { text } = request.message;
    await this.pacer.waitForSlot(this.index.of('telegram', request.address));
    try {
      // listen mode: a recorded prompt (telegram-listen.ts); no voice sender, no voice message
      if (request.message.voice) {
        if (!this.voice) throw new SendError('permanent', 'no-voice');
        return { providerId: String(await this.voice.send(request.address, request.message.voice)), provider: 'telegram' };
      }
      const sent = await this.bot.api.sendMessage(request.address, text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: telegramReplyMarkup(request.message),
      });
      return { providerId: String(sent.message_id), provider: 'telegram' };
    } catch (err) {
      throw classifyTelegramError(err);
    }
  }
}

type ReplyMarkup =
  | { inline_keyboard: { text: string; callback_data: string }[][] }
  | { keyboard: { text: string; request_contact: true }[][]; one_time_keyboard: true; resize_keyboard: true }
  | { remove_keyboard: true };

/**
 * Inline buttons, or the reply keyboard sharing her own contact, or else the removal of a reply
 * keyboard left on screen. `one_time_keyboard` hides it once tapped, but when she types her number
 * instead it would stay up for the rest of the conversation (a later tap would answer another
 * question with her number). Which message comes next is known to no process without shared state,
 * so every message without a keyboard of its own removes it: a no-op when none is shown.
 * (A menu sent right after cannot carry both: a typed number followed by one leaves it until the next plain message.)
 */
export function telegramReplyMarkup(message: TelegramMessage): ReplyMarkup {
  if (message.buttons.length) return { inline_keyboard: message.buttons.map((b) => [{ text: b.label, callback_data: b.data }]) };
  if (message.contactButton) {
    return { keyboard: [[{ text: message.contactButton, request_contact: true }]], one_time_keyboard: true, resize_keyboard: true };
  }
  return { remove_keyboard: true };
}

/**
 * 429 and 5xx: Telegram did not take it (retried; 429 after its retry_after). 403: she blocked the bot
 * or deleted her account (the contact is stopped). Other 4xx: it will never work. A network failure is
 * retried only when the request surely never left; a timeout or reset may have sent it: ambiguous.
 */
export function classifyTelegramError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof GrammyError) {
    const code = err.error_code;
    if (code === 429) return new SendError('retryable', '429', (err.parameters.retry_after ?? 1) * 1000);
    if (code >= 500) return new SendError('retryable', String(code));
    if (code === 403) return new SendError('blocked', '403', undefined, 'blocked');
    return new SendError('permanent', String(code));
  }
  if (err instanceof HttpError) {
    const code = (err.error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return new SendError('retryable', code);
    return new SendError('ambiguous', typeof code === 'string' ? code : 'network');
  }
  return new SendError('ambiguous', err instanceof Error ? err.name : 'error');
}
