import { SESSION_SCHEMA_VERSION } from '../engine.types';
import type { ActionSpec, EngineEvent, Output, Session } from '../engine.types';
import { testFlowSet } from '../engine.test-flows';
import { actionRegistry } from './index';
import type { ActionOutcome } from './action.types';

interface ActionCase {
  name: string;
  spec: ActionSpec;
  before?: Partial<Session>;
  events: EngineEvent[];
  jump?: string;
  end?: boolean;
  /** what the session holds afterwards (only the listed fields are compared). */
  after?: Partial<Session>;
  facts?: Record<string, string>;
  /** what the action says itself (default: nothing). */
  outputs?: Output[];
}

/** One table per action type. A registered action without cases fails the suite (see last test). */
const cases: Record<string, ActionCase[]> = {
  set_language: [
    { name: 'switches to Bambara', spec: { type: 'set_language', language: 'bm' }, before: { language: 'fr' },
      events: [{ type: 'language_changed', language: 'bm' }], after: { language: 'bm' } },
    { name: 'sets a first language', spec: { type: 'set_language', language: 'fr' },
      events: [{ type: 'language_changed', language: 'fr' }], after: { language: 'fr' } },
  ],
  go_to: [
    { name: 'jumps to another flow', spec: { type: 'go_to', target: '@help' }, events: [], jump: '@help' },
    { name: 'jumps to a node of the same flow', spec: { type: 'go_to', target: 'main' }, events: [], jump: 'main' },
  ],
  request_callback: [
    { name: 'hands over every answer and forgets it', spec: { type: 'request_callback' },
      before: { vars: { number: '+22370123456', window: 'morning' } },
      events: [{ type: 'callback_requested', vars: { number: '+22370123456', window: 'morning' } }], after: { vars: {} } },
    { name: 'hands over the consent she gave with the request, and forgets it', spec: { type: 'request_callback', fields: ['number'] },
      before: { vars: { number: '+22370123456', _consent: 'callback-v2' } },
      events: [{ type: 'callback_requested', vars: { number: '+22370123456' }, consentVersion: 'callback-v2' }], after: { vars: {} } },
    { name: 'hands over only the listed fields', spec: { type: 'request_callback', fields: ['number'] },
      before: { vars: { number: '+22370123456', other: 'x' } },
      events: [{ type: 'callback_requested', vars: { number: '+22370123456' } }], after: { vars: { other: 'x' } } },
    { name: 'says its confirmation awaiting its own event', spec: { type: 'request_callback', confirm: 'callback:registered' },
      before: { vars: { topic: 'other' } }, events: [{ type: 'callback_requested', vars: { topic: 'other' } }],
      outputs: [{ text: 'callback:registered', awaits: 0 }], after: { vars: {} } },
  ],
  change_callback: [
    { name: 'hands over only the changes she answered, and forgets them', spec: { type: 'change_callback', fields: ['part_of_day', 'days', 'voicemail'] },
      before: { vars: { part_of_day: 'afternoon', days: 'weekdays', other: 'x' } },
      events: [{ type: 'callback_changed', vars: { part_of_day: 'afternoon', days: 'weekdays' } }], after: { vars: { other: 'x' } } },
    { name: 'says its confirmation awaiting its own event', spec: { type: 'change_callback', fields: ['sms'], confirm: 'callback:change.done' },
      before: { vars: { sms: 'yes' } }, events: [{ type: 'callback_changed', vars: { sms: 'yes' } }],
      outputs: [{ text: 'callback:change.done', awaits: 0 }], after: { vars: {} } },
  ],
  give_consent: [
    { name: 'records consent to the notice version in the session only, for the request it covers', spec: { type: 'give_consent', version: '2026-01' },
      events: [{ type: 'consent_given', version: '2026-01' }], after: { vars: { _consent: '2026-01' } } },
  ],
  branch: [
    { name: 'jumps when the fact is reported', spec: { type: 'branch', fact: 'open_callback', go: 'open' },
      facts: { open_callback: 'K7M2QX' }, events: [], jump: 'open' },
    { name: 'goes on when the fact is absent', spec: { type: 'branch', fact: 'open_callback', go: 'open' }, events: [] },
    { name: 'treats an empty fact as absent', spec: { type: 'branch', fact: 'own_number', go: 'confirm' },
      facts: { own_number: '' }, events: [] },
  ],
  opt_out: [{ name: 'records the wish to receive nothing more', spec: { type: 'opt_out' }, events: [{ type: 'opted_out' }] }],
  opt_in: [{ name: 'records the wish to receive messages again', spec: { type: 'opt_in' }, events: [{ type: 'opted_in' }] }],
  erase_me: [
    { name: 'asks for erasure and forgets the session answers', spec: { type: 'erase_me' },
      before: { vars: { number: '+22370123456' }, history: [{ flow: 'menu', node: 'main' }] },
      events: [{ type: 'erase_requested' }], after: { vars: {}, history: [] } },
  ],
  withdraw_consent: [
    { name: 'asks the shell to drop what her consent covered', spec: { type: 'withdraw_consent' }, events: [{ type: 'consent_withdrawn' }] },
  ],
  set_proactive: [
    { name: 'records that Sira must never write first', spec: { type: 'set_proactive', allow: false }, events: [{ type: 'proactive_changed', allow: false }] },
    { name: 'records that Sira may write first again', spec: { type: 'set_proactive', allow: true }, events: [{ type: 'proactive_changed', allow: true }] },
  ],
  request_return_call: [
    { name: 'asks for a return call and says its confirmation awaiting its own event', spec: { type: 'request_return_call', confirm: 'listen:scheduled' },
      before: { vars: { other: 'x' } }, events: [{ type: 'return_call_requested' }],
      outputs: [{ text: 'listen:scheduled', awaits: 0 }], after: { vars: { other: 'x' } } },
  ],
  set_listen_mode: [
    { name: 'records that she chose to listen', spec: { type: 'set_listen_mode', on: true }, events: [{ type: 'listen_mode_changed', on: true }] },
    { name: 'records that she reads again', spec: { type: 'set_listen_mode', on: false }, events: [{ type: 'listen_mode_changed', on: false }] },
  ],
  subscribe_news: [
    { name: 'asks for news on a topic with the consent version, its confirmation awaiting its own event', spec: { type: 'subscribe_news', topic: 'reparations', version: 'news-2026-12', confirm: 'news:subscribed' },
      events: [{ type: 'news_subscribed', topic: 'reparations', consentVersion: 'news-2026-12' }], outputs: [{ text: 'news:subscribed', awaits: 0 }] },
  ],
  stop_news: [
    { name: 'stops the news on every topic', spec: { type: 'stop_news', confirm: 'news:stopped' }, events: [{ type: 'news_stopped' }], outputs: [{ text: 'news:stopped', awaits: 0 }] },
    { name: 'stops the news on one topic', spec: { type: 'stop_news', topic: 'testimony', confirm: 'news:stopped_topic' },
      events: [{ type: 'news_stopped', topic: 'testimony' }], outputs: [{ text: 'news:stopped_topic', awaits: 0 }] },
  ],
  renew_news: [
    { name: 'keeps the news (her yes to the keep-it question)', spec: { type: 'renew_news', confirm: 'news:renewed' }, events: [{ type: 'news_renewed' }], outputs: [{ text: 'news:renewed', awaits: 0 }] },
  ],
  end: [{ name: 'ends the conversation', spec: { type: 'end' }, events: [], end: true }],
};

function session(overrides: Partial<Session> = {}): Session {
  return { v: SESSION_SCHEMA_VERSION, at: { flow: 'menu', node: 'main' }, history: [], misses: 0, question: 1, lastActiveAt: 0, vars: {}, ...overrides };
}

describe('actions', () => {
  for (const [type, table] of Object.entries(cases)) {
    describe(type, () => {
      it.each(table.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const s = session(structuredClone(c.before ?? {}));
        const def = actionRegistry[c.spec.type] as unknown as { run(spec: ActionSpec, st: unknown): ActionOutcome };
        const outcome = def.run(c.spec, { flowSet: testFlowSet(), session: s, flow: 'menu', facts: c.facts ?? {} });
        expect(outcome.events).toEqual(c.events);
        expect(outcome.outputs ?? []).toEqual(c.outputs ?? []);
        expect(outcome.jump).toBe(c.jump);
        expect(!!outcome.end).toBe(!!c.end);
        for (const [field, value] of Object.entries(c.after ?? {})) expect(s[field as keyof Session]).toEqual(value);
      });
    });
  }

  it('has cases for every registered action type', () => {
    const missing = Object.keys(actionRegistry).filter((type) => !(cases[type]?.length > 0));
    expect(missing).toEqual([]);
  });

  it('registers each action under its own type', () => {
    for (const [type, def] of Object.entries(actionRegistry)) expect(def.type).toBe(type);
  });
});
