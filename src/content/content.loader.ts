import { basename } from 'node:path';
import { buildFlowSet } from './flowset.builder';
import { checkContent, translationCoverage } from './content.check';
import type { ContentPaths, LoadedContent, RawContent } from './content.types';
import { loadFlows } from './flow.loader';
import { loadLocales } from './locales.loader';
import { loadReferrals } from './referrals';
import { loadReviewStatuses } from './review-status';
import { checkSources } from './sources.check';

/**
 * Reads flows and locales from disk (the only I/O of content handling), checks them and builds
 * the engine's FlowSet. Never throws on bad content: callers decide what `problems` mean
 * (`flows:check` prints them, ContentModule refuses to boot).
 */
export function loadContent(paths: ContentPaths): LoadedContent {
  const flows = loadFlows(paths.flowsDir);
  const locales = loadLocales(paths.localesDir);
  const raw: RawContent = {
    flows: flows.flows,
    index: flows.index,
    dropped: flows.dropped,
    resources: locales.resources,
    languages: locales.languages,
    base: locales.base,
    localesName: basename(paths.localesDir.replace(/\/+$/, '')) || 'locales',
  };
  const reviews = loadReviewStatuses(paths.localesDir, raw.localesName, raw.resources);
  const sources = checkSources({ ...paths, ...raw, languages: raw.languages.map((l) => l.code) });
  const referrals = loadReferrals(paths.localesDir, raw.localesName);
  const problems = [...flows.problems, ...locales.problems, ...checkContent(raw), ...sources, ...reviews.problems, ...referrals.problems];
  return {
    flowSet: buildFlowSet(raw),
    resources: raw.resources,
    languages: raw.languages,
    base: raw.base,
    problems,
    coverage: translationCoverage(raw),
    reviews: reviews.statuses,
    referrals: referrals.entries,
  };
}
