import { Api, GrammyError } from 'grammy';
import type { Config } from '../config/config';

type TelegramConfig = NonNullable<Config['telegram']>;

export interface DeletionReport {
  deleted: number;
  /** ids Telegram refused (too old, already gone, or never hers): counted, not retried. */
  refused: number;
}

/**
 * Deletes the bot's and her messages in their private chat. The Bot API allows it for 48 hours.
 * Sira records the ids of its own messages only (never hers: no text, no id of what she wrote is
 * kept); in a private chat both sides share one increasing message_id sequence, so her messages are
 * the ids between and just around the bot's. Ids that are not there are refused by Telegram and skipped.
 */
export class TelegramEraser {
  private readonly api: Api;

  constructor(telegram: TelegramConfig) {
    this.api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  }

  async deleteConversation(chatId: string, botMessageIds: readonly number[], maxDeletes: number): Promise<DeletionReport> {
    const report: DeletionReport = { deleted: 0, refused: 0 };
    for (const id of conversationIds(botMessageIds, maxDeletes)) {
      try {
        await this.api.deleteMessage(chatId, id);
        report.deleted++;
      } catch (err) {
        if (!(err instanceof GrammyError)) throw new Error(`telegram deletion interrupted (${err instanceof Error ? err.name : 'error'})`);
        report.refused++;
      }
    }
    return report;
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
