/**
 * A small reader of Prometheus's text exposition format (what GET /metrics answers), for the tests:
 * every sample with its labels, and the metric families with their types.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** family name → type (`# TYPE` lines). */
  types: Map<string, string>;
  /** every sample name a query may use: families, and a histogram's _bucket/_sum/_count. */
  names: Set<string>;
  /** the label names each sample name carries. */
  labelsOf: Map<string, Set<string>>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  const names = new Set<string>(types.keys());
  const labelsOf = new Map<string, Set<string>>();
  for (const s of samples) {
    names.add(s.name);
    const set = labelsOf.get(s.name) ?? new Set<string>();
    for (const key of Object.keys(s.labels)) set.add(key);
    labelsOf.set(s.name, set);
  }
  for (const [family, type] of types) {
    if (type !== 'histogram' && type !== 'summary') continue;
    const own = new Set([...(labelsOf.get(`${family}_count`) ?? [])]);
    labelsOf.set(family, own);
  }
  return { samples, types, names, labelsOf };
}

/** The value of one series (labels matched exactly on the keys given); undefined when absent. */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.length ? found.reduce((sum, s) => sum + s.value, 0) : undefined;
}

/** GET /metrics with the token (or another header); the answer and its parsed samples. */
export async function scrape(url: string, token: string | null, header?: string): Promise<{ status: number; text: string; contentType: string; cacheControl: string; exposition?: Exposition }> {
  const authorization = header ?? (token === null ? undefined : `Bearer ${token}`);
  const res = await fetch(`${url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
  const text = await res.text();
  return { status: res.status, text, contentType: res.headers.get('content-type') ?? '', cacheControl: res.headers.get('cache-control') ?? '', exposition: res.status === 200 ? parseExposition(text) : undefined };
}
