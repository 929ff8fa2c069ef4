/**
 * Reads `FLOWS_DIR`: one YAML file per flow (the file name is the flow id) plus `_index.yaml`.
 *
 * ```yaml
 * # flows/reparations.yaml
 * id: reparations              # must equal the file name
 * start: overview              # first node
 * sensitive: false             # true → 30 min expiry unless `expiry` is given
 * expiry: 24h                  # optional: <n>m, <n>h or <n>d
 * nodes:
 *   overview:                  # node id: snake_case, unique in the flow
 *     type: message            # sends `text`, continues to `next` at once
 *     text: reparations:overview        # i18next key "namespace:dotted.path" (namespace = locale file name)
 *     next: reparations_menu            # `node`, `@flow` (its start) or `@flow/node`
 *   reparations_menu:
 *     type: menu               # numbered choices; also matched by label text and keywords, any language
 *     text: reparations:menu.prompt
 *     choices:
 *       - { id: forms, label: reparations:menu.forms, keywords: reparations:menu.forms_keywords, go: forms }
 *       - { id: home, label: common:choice.home, go: "@menu" }
 *   ask_number:
 *     type: ask                # free input, checked by `validate`, saved to vars[save_as]
 *     text: callback:ask_number
 *     validate: { type: phone }         # or { type: digits, min_length: 4, max_length: 8 } or { type: one_of, options: [a, b] }
 *     save_as: number
 *     invalid: callback:ask_number_invalid
 *     next: done
 *   pick_bm:
 *     type: action             # set_language, go_to, request_callback, opt_out, opt_in, erase_me, end
 *     action: { type: set_language, language: bm }
 *     next: "@menu"
 * ```
 *
 * ```yaml
 * # flows/_index.yaml: flow-set settings; every target is "@flow" or "@flow/node"
 * entry: "@language"           # first contact: language choice
 * home: "@menu"                # main menu (home command, 0, expiry)
 * rescue: "@help/rescue"       # after three misses in a row (optional, default home)
 * callback: "@callback"        # optional
 * voice_note: "@voice_messages/offer"  # optional: where a voice note leads on a chat channel (the listen-mode offer)
 * commands: { help: "@help", language: "@language", stop: "@privacy/stopped", start: "@privacy/restarted", erase: "@privacy/erase_confirm" }
 * ```
 *
 * This file checks each file on its own (syntax, shape, id); cross-file rules live in content.check.ts.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Flow } from '../engine/engine.types';
import { ContentProblem, FlowIndexSpec, makeProblem } from './content.types';
import { readFlow } from './flow.parser';
import { isRecord, readYaml } from './yaml-file';

export const INDEX_FILE = '_index.yaml';

export interface LoadedFlows {
  flows: Record<string, Flow>;
  index: FlowIndexSpec | null;
  /** `flow/node` of nodes reported and left out (unknown type…): targets to them are not reported again. */
  dropped: string[];
  problems: ContentProblem[];
}

export function loadFlows(flowsDir: string): LoadedFlows {
  const problems: ContentProblem[] = [];
  const dirName = basename(flowsDir.replace(/\/+$/, '')) || 'flows';
  let files: string[];
  try {
    files = readdirSync(flowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return { flows: {}, index: null, dropped: [], problems: [makeProblem(dirName, undefined, 'folder cannot be read')] };
  }
  const flows: Record<string, Flow> = {};
  const dropped: string[] = [];
  for (const file of files.filter((f) => f !== INDEX_FILE)) {
    const display = `${dirName}/${file}`;
    const raw = readYaml(join(flowsDir, file), display, problems);
    if (raw === undefined) continue;
    const flow = readFlow(raw, file.replace(/\.ya?ml$/, ''), display, problems, dropped);
    if (flow) flows[flow.id] = flow;
  }
  const index = readIndex(flowsDir, dirName, files.includes(INDEX_FILE), problems);
  return { flows, index, dropped, problems };
}

function readIndex(flowsDir: string, dirName: string, exists: boolean, problems: ContentProblem[]): FlowIndexSpec | null {
  const display = `${dirName}/${INDEX_FILE}`;
  if (!exists) {
    problems.push(makeProblem(display, undefined, 'file missing'));
    return null;
  }
  const raw = readYaml(join(flowsDir, INDEX_FILE), display, problems);
  if (raw === undefined) return null;
  if (!isRecord(raw)) {
    problems.push(makeProblem(display, undefined, 'must be a mapping'));
    return null;
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const commands: Record<string, string> = {};
  if (isRecord(raw.commands)) {
    for (const [name, target] of Object.entries(raw.commands)) if (typeof target === 'string') commands[name] = target;
  }
  return { file: display, entry: str(raw.entry), home: str(raw.home), rescue: str(raw.rescue), callback: str(raw.callback), voice_note: str(raw.voice_note), commands };
}
