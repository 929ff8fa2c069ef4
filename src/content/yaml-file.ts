import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ContentProblem, makeProblem } from './content.types';

/** Reads one YAML file; a syntax error becomes a problem naming the file, line and column. */
export function readYaml(path: string, display: string, problems: ContentProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push(makeProblem(display, undefined, 'cannot be read'));
    return undefined;
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0].message.split('\n')[0].replace(/:\s*$/, '');
    problems.push(makeProblem(display, undefined, `YAML syntax error: ${first}`));
    return undefined;
  }
  return doc.toJS();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
