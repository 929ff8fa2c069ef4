import { parseStaffHours, windowFor } from './call-windows';
import { assertOneHandlerPerJob, CALLBACK_JOB_NAMES, CallbackJobName } from './callback-jobs';
import { planJobs } from './callback-jobs.plan';
import { requestFromAnswers } from './callback-answers';
import type { CallbackSettings } from './callback.settings';
import type { CallbackRequest } from './callback.types';

const HOUR = 3_600_000;
const settings: CallbackSettings = {
  staffHours: parseStaffHours('08:00-18:00', '1-6'),
  offeredChoices: {},
  noticeFacts: { kept_days: '90', unfinished_minutes: '60' },
  urgentEscalateMs: HOUR,
  escalateMs: 48 * HOUR,
  claimTtlMs: 30 * 60_000,
  maxAttempts: 3,
  watchIntervalMs: 1000,
  sweepPattern: '*/15 * * * *',
};
const T = Date.UTC(2026, 0, 15, 9, 30); // Thursday, Bamako

function request(overrides: Partial<CallbackRequest> = {}): CallbackRequest {
  const d = new Date(T);
  return {
    id: '6f0c1d2e-0000-4000-8000-000000000001', contactId: 'c', channel: 'sms', refCode: 'K7M2QX', topic: 'other', urgent: false,
    callLanguage: 'fr', windows: [windowFor('morning', 'weekdays')], voicemailSafe: false, smsSafe: false, consentVersion: 'v',
    status: 'pending', attempt: 1, claims: 0, claimedBy: null, claimedAt: null, dueAt: d, notifiedAt: null, escalatedAt: null,
    createdAt: d, updatedAt: d, closedAt: null, ...overrides,
  };
}

describe('callback jobs an open request should have', () => {
  it('new request: notify staff now, escalate after 48 h', () => {
    expect(planJobs(request(), settings, T)).toEqual([
      { name: 'notify-staff', id: 'notify-staff-6f0c1d2e-0000-4000-8000-000000000001-1', delayMs: 0, data: { requestId: request().id, attempt: 1 } },
      { name: 'escalate', id: 'escalate-6f0c1d2e-0000-4000-8000-000000000001-1', delayMs: 48 * HOUR, data: { requestId: request().id, attempt: 1 } },
    ]);
  });

  it('urgent request: escalate after one hour; time already waited counts', () => {
    const [, escalate] = planJobs(request({ urgent: true }), settings, T + 20 * 60_000);
    expect(escalate.delayMs).toBe(40 * 60_000);
  });

  it('does not plan work already done', () => {
    expect(planJobs(request({ notifiedAt: new Date(T), escalatedAt: new Date(T) }), settings, T)).toEqual([]);
  });

  it('no answer on Thursday morning: the retry waits for Friday 08:00 (injected clock)', () => {
    const noAnswer = request({ status: 'no_answer', attempt: 1, updatedAt: new Date(T) });
    const [retry] = planJobs(noAnswer, settings, T + 60_000);
    expect(retry.name).toBe(CallbackJobName.Retry);
    expect(T + 60_000 + retry.delayMs).toBe(Date.UTC(2026, 0, 16, 8, 0));
  });

  it('no answer on Friday morning: the retry waits for Monday 08:00 (she chose weekdays)', () => {
    const friday = Date.UTC(2026, 0, 16, 11, 0);
    const [retry] = planJobs(request({ status: 'no_answer', updatedAt: new Date(friday) }), settings, friday);
    expect(friday + retry.delayMs).toBe(Date.UTC(2026, 0, 19, 8, 0));
  });

  it('claimed: the claim expires after its time, named by the claim count', () => {
    const claimedAt = new Date(T);
    expect(planJobs(request({ status: 'claimed', claims: 2, claimedAt }), settings, T + 10 * 60_000)).toEqual([
      expect.objectContaining({ name: 'expire-claim', id: `expire-claim-${request().id}-2`, delayMs: 20 * 60_000 }),
    ]);
  });

  it('closed requests have no jobs', () => {
    for (const status of ['completed', 'cancelled', 'unreachable', 'erased'] as const) expect(planJobs(request({ status }), settings, T)).toEqual([]);
  });

  it('job ids never contain ":"', () => {
    for (const status of ['pending', 'claimed', 'no_answer'] as const) {
      for (const job of planJobs(request({ status, claimedAt: new Date(T) }), settings, T)) expect(job.id).not.toContain(':');
    }
  });
});

describe('job handlers', () => {
  const all = Object.fromEntries(CALLBACK_JOB_NAMES.map((n) => [n, async () => 'done']));
  it('accepts exactly one handler per job name', () => {
    expect(() => assertOneHandlerPerJob(all)).not.toThrow();
  });
  it('refuses to start with a job nobody handles, or a handler for no job', () => {
    const { escalate: _e, ...missing } = all;
    expect(() => assertOneHandlerPerJob(missing)).toThrow('missing [escalate]');
    expect(() => assertOneHandlerPerJob({ ...all, remind: async () => 'done' })).toThrow('unknown [remind]');
  });
});

describe('answers → request', () => {
  const ctx = { contactId: 'c', channel: 'sms' as const, address: '+22370123456', languages: ['fr', 'bm'], consentVersion: 'v1' };
  const answers = { topic: 'safety', call_language: 'bm', part_of_day: 'evening', days: 'weekend', voicemail: 'no', sms: 'yes', number_source: 'own' };

  it('makes "I am not safe now" urgent and uses her own SMS number when she confirmed it', () => {
    expect(requestFromAnswers(answers, ctx)).toMatchObject({
      topic: 'safety', urgent: true, callLanguage: 'bm', number: '+22370123456', voicemailSafe: false, smsSafe: true,
      windows: [{ days: [6, 7], fromMinute: 17 * 60, toMinute: 20 * 60 }],
    });
  });

  it('never takes a Telegram chat id for a phone number', () => {
    expect(() => requestFromAnswers(answers, { ...ctx, channel: 'telegram', address: '123456789' })).toThrow('number');
  });

  it('names the bad field, never its value', () => {
    expect(() => requestFromAnswers({ ...answers, call_language: 'xx' }, ctx)).toThrow(/call_language$/);
  });
});
