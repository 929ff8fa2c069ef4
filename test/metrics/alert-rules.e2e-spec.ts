import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { processRegistry } from '../../src/metrics/process-metrics';
import { ScrapeGauges } from '../../src/metrics/scrape-gauges';
import type { FakeSmsGatewayPhone } from '../fakes/fake-sms-gateway.server';
import { newFakePhone, startApp, type TestApp } from '../support/app-harness';
import { VOICE_NUMBER } from '../voice/voice-call.helpers';
import { scrape, type Exposition } from './prometheus-text';

const ROOT = join(__dirname, '..', '..');
const RULES_FILE = join(ROOT, 'docs', 'alerts.rules.yml');
const TOKEN = randomBytes(32).toString('hex');

/** Series Prometheus makes itself for every target (not on /metrics). */
const PROMETHEUS_SERIES: Record<string, string[]> = { up: ['job', 'instance'] };
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

const PROMQL_WORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset',
  'sum', 'min', 'max', 'avg', 'count', 'topk', 'bottomk', 'quantile', 'stddev', 'stdvar', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'absent', 'absent_over_time',
  'clamp_min', 'clamp_max', 'time', 'vector', 'scalar', 'max_over_time', 'min_over_time', 'avg_over_time', 'changes', 'resets', 'inf', 'nan',
]);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Each `metric{matchers}` of an expression, with the label matchers it uses. */
function selectorsOf(expr: string): { metric: string; matchers: { label: string; op: string; value: string }[] }[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, (s) => `"${' '.repeat(s.length - 2)}"`) // string contents are no identifiers (read from the original below)
    .replace(/\[[^\]]*\]/g, ' '); // range selectors
  const original = expr.replace(/\[[^\]]*\]/g, ' ');
  const found: { metric: string; matchers: { label: string; op: string; value: string }[] }[] = [];
  // label lists of by/without/on/ignoring are labels, not metrics
  const masked = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (all) => ' '.repeat(all.length));
  for (const match of masked.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const at = match.index!;
    const after = masked.slice(at + word.length).trimStart();
    if (PROMQL_WORDS.has(word) || after.startsWith('(')) continue; // a keyword or a function
    if (/^\d/.test(word) || /[0-9.]$/.test(masked.slice(Math.max(0, at - 1), at))) continue; // part of a number (1e-9)
    // inside {…}: a label name, read with its selector below
    const opened = masked.lastIndexOf('{', at);
    if (opened > masked.lastIndexOf('}', at)) continue;
    const matchers: { label: string; op: string; value: string }[] = [];
    if (after.startsWith('{')) {
      const start = at + word.length + (masked.slice(at + word.length).length - after.length);
      const block = original.slice(start + 1, original.indexOf('}', start));
      for (const [, label, op, value] of block.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) matchers.push({ label: label!, op: op!, value: value! });
    }
    found.push({ metric: word, matchers });
  }
  return found;
}

/**
 * docs/alerts.rules.yml: it parses as a Prometheus rule file, and every metric and label its expressions
 * name is one a running Sira (every channel and a relay phone configured) exposes on GET /metrics — so a
 * renamed metric or label cannot leave an alert that never fires.
 */
describe('alert rules (docs/alerts.rules.yml)', () => {
  let app: TestApp;
  let phone: FakeSmsGatewayPhone;
  let exposed: Exposition;
  /** label names per sample name, from the registries' own definitions (a counter not yet counted has no sample). */
  const labelNames = new Map<string, Set<string>>();
  const rules: Rule[] = [];

  beforeAll(async () => {
    phone = await newFakePhone().start();
    app = await startApp({ label: 'alertrules', twilio: true, telegram: true, whatsapp: true, relay: [{ id: 'orange', fake: phone }], env: { METRICS_TOKEN: TOKEN, TWILIO_VOICE_NUMBERS: VOICE_NUMBER } });
    const res = await scrape(app.url, TOKEN);
    expect(res.status).toBe(200);
    exposed = res.exposition!;
    for (const metric of Registry.merge([processRegistry, app.get<ScrapeGauges>(ScrapeGauges).registry]).getMetricsAsArray()) {
      const { name, labelNames: own = [], type } = metric as unknown as { name: string; labelNames?: string[]; type: string };
      const names = type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      for (const n of names) labelNames.set(n, new Set([...own, ...(n.endsWith('_bucket') ? ['le'] : [])]));
    }
    const file = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
    for (const group of file.groups) rules.push(...group.rules);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await phone?.stop();
  });

  it('is a rule file: named groups of alerts, each with an expression, a valid `for`, a severity, a summary and a description', () => {
    const file = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
    expect(Object.keys(file)).toEqual(['groups']);
    expect(new Set(file.groups.map((g) => g.name)).size).toBe(file.groups.length);
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(Object.keys(rule).filter((k) => !['alert', 'expr', 'for', 'labels', 'annotations'].includes(k))).toEqual([]);
      expect(rule.alert).toMatch(/^Sira[A-Z][A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      if (rule.for !== undefined) expect([rule.alert, rule.for]).toEqual([rule.alert, expect.stringMatching(/^\d+[smh]$/)]);
      expect([rule.alert, rule.labels?.severity]).toEqual([rule.alert, expect.stringMatching(/^(critical|warning)$/)]);
      expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
      expect(rule.annotations?.description?.length).toBeGreaterThan(40);
      // balanced brackets and quotes, durations PromQL knows
      const unquoted = rule.expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(unquoted).not.toContain('"""');
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) {
        expect([rule.alert, unquoted.split(open).length, unquoted.split(close).length]).toEqual([rule.alert, unquoted.split(close).length, unquoted.split(open).length]);
      }
      for (const [, range] of rule.expr.matchAll(/\[([^\]]*)\]/g)) expect(range).toMatch(/^\d+[smhdw]$/);
    }
  });

  it('covers the alerts that matter: relay phone silent, spool depth, urgent request waiting, provider errors', () => {
    const uses = (metric: string) => rules.filter((r) => selectorsOf(r.expr).some((s) => s.metric === metric)).map((r) => r.alert);
    expect(uses('sira_sms_gateway_outage')).toContain('SiraRelayPhoneSilent');
    expect(rules.find((r) => r.alert === 'SiraSmsSpoolNotDraining')!.expr).toContain('queue="sms-spool"');
    expect(rules.find((r) => r.alert === 'SiraUrgentRequestWaiting')!.expr).toContain('urgency="urgent"');
    expect(uses('sira_provider_errors_total')).toEqual(expect.arrayContaining(['SiraProviderErrors', 'SiraProviderCredentialsRefused']));
    for (const metric of ['sira_queue_jobs', 'sira_callback_waiting_seconds', 'sira_outbound_total', 'sira_webhook_duration_seconds_bucket', 'sira_scrape_source_up']) {
      expect([metric, uses(metric).length > 0]).toEqual([metric, true]);
    }
  });

  it('uses only metrics and labels a running Sira exposes, and label values it reports', () => {
    // the registries' definitions and the scrape agree on the names
    for (const name of labelNames.keys()) expect([name, exposed.names.has(name)]).toEqual([name, true]);
    const seenValues = new Map<string, Set<string>>();
    for (const sample of exposed.samples) {
      for (const [label, value] of Object.entries(sample.labels)) {
        const key = `${sample.name}\u0000${label}`;
        seenValues.set(key, (seenValues.get(key) ?? new Set()).add(value));
      }
    }
    let checked = 0;
    for (const rule of rules) {
      const selectors = selectorsOf(rule.expr);
      expect([rule.alert, selectors.length > 0]).toEqual([rule.alert, true]);
      for (const { metric, matchers } of selectors) {
        checked++;
        const own = labelNames.get(metric) ?? (PROMETHEUS_SERIES[metric] ? new Set(PROMETHEUS_SERIES[metric]) : undefined);
        expect([rule.alert, metric, own !== undefined]).toEqual([rule.alert, metric, true]);
        for (const { label, op, value } of matchers) {
          expect([rule.alert, metric, label, own!.has(label) || TARGET_LABELS.includes(label)]).toEqual([rule.alert, metric, label, true]);
          // a value Sira reports (when the scrape shows the label's values): a typo would never match
          const values = seenValues.get(`${metric}\u0000${label}`);
          if (!values || op.startsWith('!')) continue;
          const alternatives = op === '=' ? [value] : value.split('|').filter((v) => /^[A-Za-z0-9_-]+$/.test(v));
          if (op === '=~' && alternatives.length !== value.split('|').length) {
            expect([rule.alert, label, [...values].some((v) => new RegExp(`^(?:${value})$`).test(v))]).toEqual([rule.alert, label, true]);
            continue;
          }
          for (const v of alternatives) expect([rule.alert, metric, label, v, values.has(v)]).toEqual([rule.alert, metric, label, v, true]);
        }
        // grouping labels must be labels of some metric the expression reads
      }
      for (const [, list] of rule.expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
        for (const label of list!.split(',').map((l) => l.trim()).filter(Boolean)) {
          const known = selectors.some(({ metric }) => (labelNames.get(metric) ?? new Set(PROMETHEUS_SERIES[metric] ?? [])).has(label)) || TARGET_LABELS.includes(label);
          expect([rule.alert, label, known]).toEqual([rule.alert, label, true]);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(rules.length);
  });

  it('reads a misspelt metric as one that does not exist (the check bites)', () => {
    const selectors = selectorsOf('max by (relay) (sira_sms_gateway_outage{relay="1"}) == 1 and sum(rate(sira_outbound_totl[5m])) > 1e-9');
    expect(selectors.map((s) => s.metric)).toEqual(['sira_sms_gateway_outage', 'sira_outbound_totl']);
    expect(selectors[0]!.matchers).toEqual([{ label: 'relay', op: '=', value: '1' }]);
    expect(labelNames.has('sira_outbound_totl')).toBe(false);
    expect(labelNames.has('sira_outbound_total')).toBe(true);
  });
});
