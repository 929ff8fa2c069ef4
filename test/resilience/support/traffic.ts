import { randomBytes } from 'node:crypto';
import { TWILIO_SMS_PATH } from '../../../src/channels/twilio/twilio-webhook.paths';
import { inboundParams, twilioSignature } from '../../sms/twilio-test.harness';

/**
 * What a scenario tried and what became of it. `lost`: accepted (answered 200) but its effect never
 * showed; `duplicated`: an effect seen more than once. Printed by every scenario.
 */
export class Counts {
  tried = 0;
  accepted = 0;
  lost = 0;
  duplicated = 0;
  /** responses with a status ≥ 500, each retried like a provider would. */
  errors5xx = 0;
  /** attempts nobody answered (connection refused, timeout), retried too. */
  unanswered = 0;
  /** the longest time any single webhook attempt took to be answered. */
  slowestMs = 0;
  readonly extra: Record<string, number> = {};

  print(scenario: string): string {
    const line = `[resilience] ${scenario}: tried=${this.tried} accepted=${this.accepted} lost=${this.lost} duplicated=${this.duplicated} responses>=500=${this.errors5xx} unanswered=${this.unanswered} slowest_ms=${this.slowestMs}${Object.entries(this.extra)
      .map(([k, v]) => ` ${k}=${v}`)
      .join('')}`;
    // eslint-disable-next-line no-console
    console.log(line);
    return line;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A Malian number unique within a run (the index keeps two conversations from sharing one). */
export function numberFor(run: string, i: number): string {
  return `+2237${run}${String(i).padStart(5, '0')}`.slice(0, 12);
}

/** A 2-digit run tag so numbers differ between scenarios. */
export function runTag(): string {
  return String(randomBytes(1)[0]! % 90 + 10);
}

export interface PostSmsOptions {
  /** base URLs to send to, read at each attempt (a load balancer: the scenario may change the list). */
  urls: string[];
  /** which URL an attempt goes to (default: rotates from `route` or 0 through the list). */
  route?: number;
  counts: Counts;
  /** attempts before giving up (each retry keeps the MessageSid, as a provider's redelivery does). */
  attempts?: number;
  timeoutMs?: number;
}

/**
 * Posts one signed inbound SMS and retries it with the same MessageSid while the answer is ≥ 500 or
 * missing. Returns the status it ended with (200 = accepted).
 */
export async function postSms(from: string, body: string, options: PostSmsOptions, sid = `SM${randomBytes(16).toString('hex')}`): Promise<number> {
  const params = inboundParams(from, body, sid);
  const signature = twilioSignature(TWILIO_SMS_PATH, params);
  const attempts = options.attempts ?? 20;
  options.counts.tried++;
  let status = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const url = options.urls[((options.route ?? 0) + attempt) % options.urls.length]!;
    const started = Date.now();
    status = await postOnce(`${url}${TWILIO_SMS_PATH}`, params, signature, options.timeoutMs ?? 15_000);
    options.counts.slowestMs = Math.max(options.counts.slowestMs, Date.now() - started);
    if (status > 0 && status < 500) break;
    if (status === 0) options.counts.unanswered++;
    else options.counts.errors5xx++;
    await sleep(Math.min(200 * 2 ** attempt, 2_000));
  }
  if (status === 200) options.counts.accepted++;
  return status;
}

async function postOnce(url: string, params: Record<string, string>, signature: string, timeoutMs: number): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

/** Runs `task` for every item with at most `width` at a time. */
export async function inPool<T>(items: T[], width: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Polls until `check` holds; returns false (instead of throwing) at the deadline so counts still print. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * Compares what each number received with the reference (the same script, undisturbed): more SMS
 * than the reference count as duplicated (a turn handled twice), fewer as lost. With `reprompt`, a
 * number that got as many SMS as the reference and ended where it ends, but was asked one question
 * again on the way (a turn whose reply was lost with Redis is retried by the provider and answered
 * "please choose a number" — the issue's "resume, at worst at the menu"), is counted in
 * `extra.reprompted`, not as lost; one visibly greeted at the menu again, `extra.resumed_at_menu`. One that got
 * exactly the reference's replies in another order is counted `extra.reordered` (neither lost nor doubled; the
 * caller decides whether order matters). Returns the numbers that differ.
 */
export function compareWithReference(received: (to: string) => string[], numbers: string[], reference: string[], counts: Counts, reprompt = false): string[] {
  const odd: string[] = [];
  const ref = reference.map(withoutCodes);
  for (const to of numbers) {
    const got = received(to).map(withoutCodes);
    const same = got.length === ref.length && got.every((body, i) => body === ref[i]);
    if (same) continue;
    odd.push(to);
    const firstDifference = got.findIndex((body, i) => body !== ref[i]);
    const sameReplies = got.length === ref.length && [...got].sort().every((body, i) => body === [...ref].sort()[i]);
    if (got.length > ref.length) counts.duplicated += got.length - ref.length;
    // every reply arrived once, but one came late (after the next turn's): not lost, counted apart
    else if (sameReplies) counts.extra['reordered'] = (counts.extra['reordered'] ?? 0) + 1;
    else if (reprompt && got.length === ref.length && got.at(-1) === ref.at(-1)) counts.extra['reprompted'] = (counts.extra['reprompted'] ?? 0) + 1;
    // her session was lost with Redis and she was greeted at the menu again: the issue's "at worst at the menu"
    else if (reprompt && firstDifference > 0 && MENU_START.test(got[firstDifference]!)) counts.extra['resumed_at_menu'] = (counts.extra['resumed_at_menu'] ?? 0) + 1;
    else counts.lost += Math.max(1, ref.length - got.length);
  }
  return odd;
}

/** The main menu or the language question, as a conversation that restarts begins (French or Bambara). */
const MENU_START = /^(Menu Sira|Sira ka menu|Sira\. Choisissez)/;

/** A callback reference code (six symbols of the unambiguous alphabet): differs for every request. */
export const REF_CODE = /\b[A-HJKMNP-Z2-9]{6}\b/g;

function withoutCodes(body: string): string {
  return body.replace(REF_CODE, '<code>');
}
