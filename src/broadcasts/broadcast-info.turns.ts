import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import type { ReviewLevel } from '../content/review-status';
import { TakesPartInTurns, type TurnParticipant } from '../conversations/contact-event.registry';
import type { TurnContext } from '../conversations/conversation-hooks';
import { normalizeText, splitKeywords } from '../engine/normalize';
import type { Output } from '../engine/engine.types';
import { servedNews } from './broadcast-texts';
import { BroadcastsRepository } from './broadcasts.repository';

/** What INFO answers (locales/<lng>/broadcast.json). */
export const INFO_TEXTS = {
  news: 'broadcast:info.news',
  fallback: 'broadcast:info.fallback',
  none: 'broadcast:info.none',
} as const;

/**
 * INFO (each language's `broadcast:words.info`), alone in a message, opens the news the notice announced:
 * the latest broadcast sent for a topic she is subscribed to now, in her language if its news reaches
 * CONTENT_MIN_STATUS, else the base language's with a note saying so, else nothing new. Inside the
 * conversation only: she asked, on her own phone.
 */
@Injectable()
@TakesPartInTurns()
export class BroadcastInfoTurns implements TurnParticipant {
  private readonly words: Set<string>;

  constructor(
    @Inject(BroadcastsRepository) private readonly broadcasts: BroadcastsRepository,
    @Inject(CONTENT) private readonly content: LoadedContent,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.words = new Set();
    for (const byNs of Object.values(content.resources)) {
      const list = (byNs.broadcast?.words as Record<string, unknown> | undefined)?.info;
      if (typeof list === 'string') for (const w of splitKeywords(list)) this.words.add(w);
    }
  }

  async intercept({ contact, msg }: TurnContext): Promise<Output[] | null> {
    if (msg.input.kind !== 'text' || msg.input.text.length > 20 || !this.words.has(normalizeText(msg.input.text))) return null;
    const latest = await this.broadcasts.latestFor(contact.id);
    const language = contact.language ?? this.content.base;
    const news = latest ? servedNews(latest.news, latest.newsStatus as Record<string, ReviewLevel>, language, this.content.base, this.config.content.minStatus) : null;
    if (!news) return [{ text: INFO_TEXTS.none }];
    return [...(news.fallback ? [{ text: INFO_TEXTS.fallback }] : []), { text: INFO_TEXTS.news, params: { news: news.text } }];
  }
}
