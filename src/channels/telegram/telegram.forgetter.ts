import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Api, GrammyError } from 'grammy';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetContext, type ForgetResult } from '../contact-forgetter';

/** Telegram lets a bot delete messages in a private chat for 48 h only. */
export const TELEGRAM_DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;
/** at most this many deleteMessage calls per erasure (ids are guessed around the bot's own). */
export const TELEGRAM_MAX_DELETES = 200;

/**
 * Deletes the bot's and her messages in their private chat, for the messages sent within the Bot API's
 * deletion window. Sira records the ids of its own messages only (never hers: no text, no id of what
 * she wrote is kept); in a private chat both sides share one increasing message_id sequence, so her
 * messages are the ids between and just around the bot's. Ids that are not there are refused by
 * Telegram and skipped, not retried.
 */
@Injectable()
export class TelegramForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'telegram' as const;
  readonly provider = 'telegram' as const;
  private readonly api: Api;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters,
  ) {
    const telegram = config.telegram;
    if (!telegram) throw new Error('TelegramForgetter needs TELEGRAM_BOT_TOKEN');
    this.api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget({ address, sent, now }: ForgetContext): Promise<ForgetResult> {
    const result = emptyForgetResult();
    const since = now - TELEGRAM_DELETE_WINDOW_MS;
    const botMessageIds = sent
      .filter((m) => m.provider === this.provider && (m.sentAt === null || m.sentAt >= since))
      .map((m) => Number(m.providerId))
      .filter((n) => Number.isSafeInteger(n) && n > 0);
    for (const id of conversationIds(botMessageIds, TELEGRAM_MAX_DELETES)) {
      try {
        await this.api.deleteMessage(address, id);
        result.deleted++;
      } catch (err) {
        if (!(err instanceof GrammyError)) throw new Error(`telegram deletion interrupted (${err instanceof Error ? err.name : 'error'})`);
        // too old, already gone, or never hers: skipped
      }
    }
    return result;
  }
}

/**
 * The message ids of a private chat from the bot's own: from one before the first (her first message)
 * to two after the last (her answer to it, e.g. the "yes, erase"), newest first so that, if the cap
 * cuts the range, what goes first is what she wrote last.
 */
export function conversationIds(botMessageIds: readonly number[], maxDeletes: number): number[] {
  if (botMessageIds.length === 0) return [];
  const first = Math.max(1, Math.min(...botMessageIds) - 1);
  const last = Math.max(...botMessageIds) + 2;
  const ids: number[] = [];
  for (let id = last; id >= first && ids.length < maxDeletes; id--) ids.push(id);
  return ids;
}
