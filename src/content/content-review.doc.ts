/**
 * Builds docs/content-review.md: every French text that rests on facts, sentence by sentence, beside
 * the fact-sheet lines it cites in locales/sources.yaml, for a human reviewer holding domain-facts.md.
 * `npx tsx src/cli/content-review-doc.cli.ts` rewrites the file; a test fails when it is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LanguageCoverage, LocaleResources } from './content.types';
import { localeStrings } from './locale-keys';
import type { ReviewStatuses } from './review-status';

const HEADER = `# Content review: every factual French sentence beside its fact

Generated from \`locales/fr/*.json\` and \`locales/sources.yaml\` (\`npx tsx src/cli/content-review-doc.cli.ts\`;
a test fails when this file is stale). Read each sentence against the cited line of
[\`domain-facts.md\`](domain-facts.md) (a copy of \`shared/domain-facts.md\`). Check that nothing is false or
overstated, that nothing judges who qualifies, and that nothing gives an opinion on a law or an institution.
Interface texts (\`kind: ui\`) state no fact and are not listed. Status is the French text's review status
(\`locales/review-status.yaml\`): everything is **draft** until a native speaker (\`reviewed\`) or a lawyer
(\`legal\`) raises it.
`;

/** Sentences of a text: split after . ? ! when a space and a capital or a digit follow. */
export function sentences(text: string): string[] {
  return text.split(/(?<=[.?!])\s+(?=[A-ZÀ-Ý0-9])/u).map((s) => s.trim()).filter(Boolean);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * For the translators: per language that lacks texts, each key it still needs and the French text it
 * gets meanwhile. The list is the coverage `npm run flows:check` prints (same `missing` keys), so the
 * doc and the check cannot disagree.
 */
export function missingKeysSection(coverage: readonly LanguageCoverage[], frenchTexts: ReadonlyMap<string, string>): string[] {
  const out = [
    '# Texts each language still needs\n',
    'For the translators: every key Sira uses that a language has no text of its own for. Until a native',
    'speaker writes it, she receives the French text shown here (i18next falls back to French). Same',
    'count as the coverage table of `npm run flows:check`. Anything new in bm/ff/ses/taq stays draft.\n',
  ];
  for (const { code, name, missing, total } of coverage.filter((c) => c.missing.length > 0)) {
    out.push(`## ${name} (\`${code}\`): ${missing.length} of ${total} keys missing\n`, '| key | French text |', '| --- | --- |');
    for (const key of missing) out.push(`| \`${key}\` | ${cell(frenchTexts.get(key) ?? '')} |`);
    out.push('');
  }
  return out;
}

export function contentReviewDoc(
  localesDir: string,
  resources: LocaleResources,
  base: string,
  reviews: ReviewStatuses,
  coverage: readonly LanguageCoverage[] = [],
): string {
  const sources = parse(readFileSync(join(localesDir, 'sources.yaml'), 'utf8')) as { keys: Record<string, { facts?: string[] }> };
  const texts = localeStrings(resources, base);
  const out = [HEADER];
  for (const [key, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    const facts = sources.keys[key]?.facts;
    if (!facts) continue;
    const status = reviews[base]?.[key]?.status ?? 'draft';
    out.push(`## \`${key}\` (${status})\n`, '| sentence | rests on |', '| --- | --- |');
    const cited = facts.map((f) => cell(f)).join('<br>');
    sentences(text).forEach((s, i) => out.push(`| ${cell(s)} | ${i === 0 ? cited : '〃'} |`));
    out.push('');
  }
  if (coverage.some((c) => c.missing.length > 0)) out.push(...missingKeysSection(coverage, texts));
  return out.join('\n');
}
