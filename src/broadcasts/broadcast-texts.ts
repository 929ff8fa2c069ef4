import { applySmsSpelling } from '../common/sms-spelling';
import { smsCost, type SmsEncoding } from '../common/sms-segments';
import { levelRank, type ReviewLevel } from '../content/review-status';
import { proactiveWordsIn } from '../privacy/discretion';
import type { BroadcastTexts } from './broadcasts.schema';
import { SUBSCRIPTION_TOPICS, type SubscriptionTopic } from './subscriptions.schema';

/** A draft as staff typed it, checked: what the repository stores. */
export interface BroadcastDraft {
  topic: SubscriptionTopic;
  notice: BroadcastTexts;
  noticeOneWay: BroadcastTexts | null;
  news: BroadcastTexts;
  source: string;
  sendAt: Date | null;
}

/** Input a person must correct; `status` 422 for a text the discretion or segment check refuses. */
export class BroadcastInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 422 = 400,
  ) {
    super(message);
    this.name = 'BroadcastInputError';
  }
}

export interface TextRules {
  languages: readonly string[];
  base: string;
  /** config.sms.spelling: the languages whose SMS folding is on. */
  spelling: readonly string[];
  maxSegments: number;
}

const MAX_NEWS_CHARS = 1000;

/**
 * Checks a draft: a known topic, texts in known languages with the base language present, a notice that
 * names nothing (the proactive discretion check: topics, organisations, reparations, violence,
 * testimony, calls…) and fits the SMS segment budget once folded for SMS, a news text and its source.
 */
export function checkDraft(body: Record<string, unknown>, rules: TextRules): BroadcastDraft {
  const topic = body.topic;
  if (typeof topic !== 'string' || !(SUBSCRIPTION_TOPICS as readonly string[]).includes(topic)) {
    throw new BroadcastInputError(`topic must be one of ${SUBSCRIPTION_TOPICS.join(', ')}`);
  }
  const notice = texts('notice', body.notice, rules, true);
  for (const [lang, text] of Object.entries(notice)) checkNotice('notice', lang, text, rules);
  const noticeOneWay = body.noticeOneWay === undefined || body.noticeOneWay === null ? null : texts('noticeOneWay', body.noticeOneWay, rules, false);
  for (const [lang, text] of Object.entries(noticeOneWay ?? {})) checkNotice('noticeOneWay', lang, text, rules);
  const news = texts('news', body.news, rules, true);
  for (const [lang, text] of Object.entries(news)) {
    if (text.length > MAX_NEWS_CHARS) throw new BroadcastInputError(`news (${lang}) is longer than ${MAX_NEWS_CHARS} characters`);
    // INFO answers it by SMS too: the same budget as every SMS Sira sends (SMS_MAX_SEGMENTS)
    const cost = noticeCost(text, lang, rules.spelling);
    if (cost.segments > rules.maxSegments) throw new BroadcastInputError(`news (${lang}) takes ${cost.segments} SMS segments (${cost.encoding}); at most ${rules.maxSegments}`, 422);
  }
  const source = typeof body.source === 'string' ? body.source.trim() : '';
  return { topic: topic as SubscriptionTopic, notice, noticeOneWay, news, source: source.slice(0, 300) || 'domain-facts.md', sendAt: sendAtOf(body.sendAt) };
}

function texts(field: string, value: unknown, rules: TextRules, baseRequired: boolean): BroadcastTexts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BroadcastInputError(`${field} must be an object of language → text`);
  const out: BroadcastTexts = {};
  for (const [lang, text] of Object.entries(value as Record<string, unknown>)) {
    if (!rules.languages.includes(lang)) throw new BroadcastInputError(`${field}: unknown language "${lang}"`);
    if (typeof text !== 'string' || !text.trim()) throw new BroadcastInputError(`${field} (${lang}) must be a text`);
    out[lang] = text.trim();
  }
  if (baseRequired && !out[rules.base]) throw new BroadcastInputError(`${field} needs a text in ${rules.base} (the base language others fall back to)`);
  return out;
}

/** The discretion check of texts that land on her phone, then the SMS budget once folded. */
function checkNotice(field: string, lang: string, text: string, rules: TextRules): void {
  const words = proactiveWordsIn(text);
  if (words.length > 0) throw new BroadcastInputError(`${field} (${lang}) names "${words[0]}": a notice says only that there is news and how to read it`, 422);
  const cost = noticeCost(text, lang, rules.spelling);
  if (cost.segments > rules.maxSegments) {
    throw new BroadcastInputError(`${field} (${lang}) takes ${cost.segments} SMS segments (${cost.encoding}); at most ${rules.maxSegments}`, 422);
  }
}

/** The notice as the SMS carries it: folded with her language's SMS spelling. */
export function smsNoticeText(text: string, lang: string, spelling: readonly string[]): string {
  return applySmsSpelling(text, lang, spelling);
}

export function noticeCost(text: string, lang: string, spelling: readonly string[]): { segments: number; encoding: SmsEncoding; nonGsm: string[] } {
  const { segments, encoding, nonGsm } = smsCost(smsNoticeText(text, lang, spelling));
  return { segments, encoding, nonGsm };
}

function sendAtOf(value: unknown): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const at = typeof value === 'string' ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw new BroadcastInputError('sendAt must be an ISO time or null');
  return at;
}

/** Which text a contact in `lang` gets: her own, else the base language's (`fallback` says so). */
export function textFor(texts: BroadcastTexts, lang: string, base: string): { lang: string; text: string; fallback: boolean } | null {
  if (texts[lang]) return { lang, text: texts[lang], fallback: false };
  if (texts[base]) return { lang: base, text: texts[base], fallback: lang !== base };
  return null;
}

/**
 * The news a contact in `lang` can open with INFO: her language's if its review status reaches the gate,
 * else the base language's at the gate (with the fallback note), else none (skipped).
 */
export function servedNews(news: BroadcastTexts, status: Record<string, ReviewLevel>, lang: string, base: string, min: ReviewLevel): { lang: string; text: string; fallback: boolean } | null {
  const passes = (l: string) => Boolean(news[l]) && levelRank(status[l] ?? 'draft') >= levelRank(min);
  if (passes(lang)) return { lang, text: news[lang], fallback: false };
  if (passes(base)) return { lang: base, text: news[base], fallback: lang !== base };
  return null;
}
