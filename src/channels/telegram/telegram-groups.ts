import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Bot } from 'grammy';
import { CONTENT } from '../../content/content.module';
import type { LoadedContent } from '../../content/content.types';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { BlindIndex } from '../../crypto/blind-index';
import { TELEGRAM_BOT } from './telegram.bot';
import { TelegramOnce } from './telegram-once';
import { escapeTelegramHtml } from './telegram.renderer';

export const PRIVATE_ONLY_KEY = 'common:private_only';
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Sira talks to one woman at a time: in a group, what she reads and answers would be seen by others.
 * In a group or channel the bot says once that it works in private chats, then leaves.
 */
@Injectable()
export class TelegramGroups {
  private readonly log = new Logger(TelegramGroups.name);

  constructor(
    @Inject(TELEGRAM_BOT) private readonly bot: Bot,
    @Inject(TelegramOnce) private readonly once: TelegramOnce,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
  ) {}

  async leave(chatId: string): Promise<void> {
    if (await this.once.claim(`group:${this.index.of('telegram', chatId)}`, WEEK_MS)) {
      const text = escapeTelegramHtml(this.noticeInEveryLanguage());
      // Not a contact and not a conversation: a direct call, and a failure here must not keep us in.
      await this.bot.api.sendMessage(chatId, text, { parse_mode: 'HTML' }).catch((err: unknown) => this.warn('notice', err));
    }
    await this.bot.api.leaveChat(chatId).catch((err: unknown) => this.warn('leaveChat', err));
    this.log.log('left a telegram group or channel');
  }

  /** Nobody's language is known in a group: say it in each translated language, French first. */
  private noticeInEveryLanguage(): string {
    const languages = [this.content.base, ...this.translator.languages];
    return [...new Set(languages.map((lng) => this.translator.t(lng)(PRIVATE_ONLY_KEY)))].join('\n\n');
  }

  private warn(what: string, err: unknown): void {
    const code = (err as { error_code?: number }).error_code;
    this.log.warn(`telegram ${what} failed (${code ?? (err instanceof Error ? err.name : 'error')})`);
  }
}
