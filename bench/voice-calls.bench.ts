import { randomBytes } from 'node:crypto';
import type { Step as Request } from 'autocannon';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TWILIO_VOICE_PATH } from '../src/channels/twilio-voice/twilio-voice.paths';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../test/sms/sms-test.helpers';

/** The Twilio number that answers with the voice menus in the bench (the SMS one is TWILIO_FROM). */
export const BENCH_VOICE_NUMBER = '+15005550009';
/** what she presses once the call is answered: choice 1 of the first menu (French, for a new caller), then
 * through the menus and home again. */
const KEYS = ['1', '1', '0', '2', '0', '*', '#', '0'];
/** like the SMS senders: every caller known after the warm-up, and no two calls from one number at once. */
const POOL = 200;

/** The callers of one bench run: the same numbers in the warm-up and in every timed round. */
export interface VoiceCallers {
  base: number;
  next: number;
}

export function voiceCallers(): VoiceCallers {
  return { base: 71_000_000 + Math.floor(Math.random() * 1_000_000), next: 0 };
}

/** requests built (a few more than answered: autocannon builds the next one ahead): proof the calls walk the menus. */
export interface VoiceCallCounts {
  calls: number;
  presses: number;
}

interface CallContext extends Record<string, unknown> {
  sid?: string;
  from?: string;
  /** the last prompt's `<Gather>` action (path and query, signed with the rest), or undefined when it hung up. */
  action?: string;
}

const unescapeXml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

function signed(publicBaseUrl: string, path: string, params: Record<string, string>): Pick<Request, 'path' | 'headers' | 'body'> {
  return {
    path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${publicBaseUrl}${path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

/**
 * One phone call per connection at a time, as Twilio makes it: the signed call webhook, then each key
 * press posted (signed) to the action of the `<Gather>` that the previous answer returned. A call that
 * hung up starts over as a new call (autocannon goes back to the first request with a fresh context).
 * Fresh CallSid per call; callers rotate through a pool (`dialsOnly`: calls that hang up at once).
 */
export function voiceCallRequests(publicBaseUrl: string, callers: VoiceCallers, counts: VoiceCallCounts = { calls: 0, presses: 0 }, dialsOnly = false): Request[] {
  const params = (ctx: CallContext, extra: Record<string, string>) => ({
    CallSid: ctx.sid!, AccountSid: TEST_ACCOUNT_SID, From: ctx.from!, To: BENCH_VOICE_NUMBER, Direction: 'inbound', ApiVersion: '2010-04-01', ...extra,
  });
  const remember = (_status: number, body: string, ctx: Record<string, unknown>) => {
    const action = /<Gather [^>]*action="([^"]*)"/.exec(body)?.[1];
    (ctx as CallContext).action = action && unescapeXml(action).startsWith(publicBaseUrl) ? unescapeXml(action).slice(publicBaseUrl.length) : undefined;
  };
  const dial: Request = {
    method: 'POST',
    setupRequest: (req, context) => {
      const ctx = context as CallContext;
      ctx.sid = `CA${randomBytes(16).toString('hex')}`;
      ctx.from = `+223${callers.base + (callers.next++ % POOL)}`;
      counts.calls++;
      return { ...req, method: 'POST', ...signed(publicBaseUrl, TWILIO_VOICE_PATH, params(ctx, { CallStatus: 'ringing' })) };
    },
    onResponse: remember,
  };
  const press = (digits: string): Request => ({
    method: 'POST',
    // no action (the call ended): undefined makes autocannon start the next call
    setupRequest: (req, context) => {
      const ctx = context as CallContext;
      if (!ctx.action || !ctx.sid) return undefined as unknown as Request;
      counts.presses++;
      return { ...req, method: 'POST', ...signed(publicBaseUrl, ctx.action, params(ctx, { CallStatus: 'in-progress', Digits: digits })) };
    },
    onResponse: remember,
  });
  // the warm-up: one call from each caller of the pool, so that the timed calls come from known contacts
  return dialsOnly ? [dial] : [dial, ...KEYS.map(press)];
}
