import { smsBudgetReport } from '../channels/sms/sms-budget';
import { DEFAULT_SMS_SPELLING } from '../common/sms-spelling';
import type { FlowSet } from '../engine/engine.types';
import { ContentProblem, RawContent, makeProblem } from './content.types';

/** House rule (README): every French SMS she can receive fits in two segments — plain, short answers. */
export const FRENCH_MAX_SEGMENTS = 2;
const FRENCH = 'fr';

/**
 * The French rendering of every message, menu (with its numbered choices), question and re-prompt,
 * measured exactly as the SMS channel sends it (one SMS per engine output, default SMS spelling).
 * Unlike SMS_MAX_SEGMENTS (a deployment's cost ceiling, all languages), this is a content rule: it
 * holds whatever the configuration says, so it runs at boot and in `flows:check` alike.
 */
export function checkFrenchSmsLength(raw: RawContent): ContentProblem[] {
  if (!raw.languages.some((l) => l.code === FRENCH)) return [];
  // the budget report reads only `flowSet.flows`; entry and home are not needed to render texts
  const flowSet = { flows: raw.flows } as Pick<FlowSet, 'flows'> as FlowSet;
  const content = { flowSet, resources: raw.resources, languages: raw.languages.filter((l) => l.code === FRENCH), base: raw.base };
  const { rows } = smsBudgetReport(content, { maxSegments: FRENCH_MAX_SEGMENTS, spelling: DEFAULT_SMS_SPELLING });
  return rows
    .filter((r) => r.segments > FRENCH_MAX_SEGMENTS)
    .map((r) => makeProblem(fileOf(raw, r.where), nodeOf(r.where), `French SMS is ${r.segments} segments ${r.encoding} (max ${FRENCH_MAX_SEGMENTS}): shorten it`));
}

function fileOf(raw: RawContent, where: string): string {
  if (where.startsWith('engine:')) return `${raw.localesName}/${FRENCH}/${where.slice('engine:'.length).split(':')[0]}.json`;
  return raw.flows[where.split('/')[0]]?.file ?? where;
}

function nodeOf(where: string): string | undefined {
  if (where.startsWith('engine:')) return undefined;
  return where.split('/')[1];
}
