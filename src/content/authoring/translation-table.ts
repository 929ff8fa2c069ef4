/**
 * The translator's table for one language: every text of the base language (French), its current
 * translation, review status, sources and SMS cost. The same table is written to CSV by
 * `i18n:export` and compared with the edited CSV by `i18n:import`.
 */
import type { LoadedContent } from '../content.types';
import { localeStrings } from '../locale-keys';
import type { ReviewLevel } from '../review-status';
import { smsCostByKey, type SmsCostOptions } from './sms-cost.index';
import { sourcesByKey } from './sources.index';

export interface TranslationRow {
  key: string;
  /** the base-language text (information: edits to it are ignored unless the file's language is the base). */
  french: string;
  /** the text in the file's language; empty when not translated yet. */
  text: string;
  status: ReviewLevel;
  reviewedBy: string;
  reviewedOn: string;
  sources: string;
  smsBudget: number;
  smsEncoding: string;
  smsSegments: number;
  smsWhere: string;
}

export type TableContent = Pick<LoadedContent, 'flowSet' | 'resources' | 'languages' | 'base' | 'reviews'>;

export function translationTable(content: TableContent, language: string, localesDir: string, sms: SmsCostOptions): TranslationRow[] {
  const french = localeStrings(content.resources, content.base);
  const own = localeStrings(content.resources, language);
  const keys = [...french.keys()].sort();
  // A key not translated yet is sent in French: its cost is the cost of the French text.
  const sent = (key: string) => own.get(key) ?? french.get(key) ?? '';
  const costs = smsCostByKey(content, language, keys, sent, sms);
  const sourceOf = sourcesByKey(localesDir);
  return keys.map((key) => {
    const review = content.reviews[language]?.[key];
    const cost = costs.get(key);
    return {
      key,
      french: french.get(key) ?? '',
      text: own.get(key) ?? '',
      status: review?.status ?? 'draft',
      reviewedBy: review?.by ?? '',
      reviewedOn: review?.on ?? '',
      sources: sourceOf(key),
      smsBudget: sms.maxSegments,
      smsEncoding: cost?.encoding ?? '',
      smsSegments: cost?.segments ?? 0,
      smsWhere: cost?.where ?? '',
    };
  });
}
