import { randomBytes } from 'node:crypto';
import { TWILIO_VOICE_PATH } from '../../src/channels/twilio-voice/twilio-voice.paths';
import { PUBLIC_BASE_URL, postTwilio, type RunningSmsApp } from '../sms/twilio-test.harness';
import { TEST_ACCOUNT_SID } from '../sms/sms-test.helpers';

/** The Twilio number that answers with the voice menus in these tests. */
export const VOICE_NUMBER = '+15005550009';

export function callSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/** What a TwiML answer makes her hear and what it waits for, read from the XML. */
export interface Heard {
  xml: string;
  said: string[];
  played: string[];
  /** the path (and query) of the `<Gather>` action, or undefined when the call ends. */
  action?: string;
  numDigits?: string;
  finishOnKey?: string;
  hangup: boolean;
  rejected: boolean;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export function heard(xml: string): Heard {
  const gather = /<Gather ([^>]*)>/.exec(xml)?.[1] ?? '';
  const attr = (name: string) => {
    const m = new RegExp(`${name}="([^"]*)"`).exec(gather);
    return m ? unescape(m[1]) : undefined;
  };
  const action = attr('action');
  return {
    xml,
    said: [...xml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => unescape(m[1])),
    played: [...xml.matchAll(/<Play>([^<]*)<\/Play>/g)].map((m) => unescape(m[1])),
    action: action?.startsWith(PUBLIC_BASE_URL) ? action.slice(PUBLIC_BASE_URL.length) : action,
    numDigits: attr('numDigits'),
    finishOnKey: attr('finishOnKey'),
    hangup: xml.includes('<Hangup/>'),
    rejected: xml.includes('<Reject/>'),
  };
}

/** One phone call as Twilio makes it: the call comes in, then each key press goes to the last action. */
export class FakeCall {
  readonly sid = callSid();
  last?: Heard;

  constructor(
    private readonly app: RunningSmsApp,
    readonly from: string,
    private readonly to = VOICE_NUMBER,
  ) {}

  params(extra: Record<string, string> = {}): Record<string, string> {
    return { CallSid: this.sid, AccountSid: TEST_ACCOUNT_SID, From: this.from, To: this.to, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01', ...extra };
  }

  async dial(): Promise<Heard> {
    return this.post(TWILIO_VOICE_PATH, this.params({ CallStatus: 'ringing' }));
  }

  /** Presses keys ('' = no key before the timeout) on the last prompt. */
  async press(digits: string): Promise<Heard> {
    if (!this.last?.action) throw new Error('the call is not waiting for a key');
    return this.post(this.last.action, this.params({ Digits: digits }));
  }

  async post(path: string, params: Record<string, string>): Promise<Heard> {
    const res = await postTwilio(this.app, path, params);
    if (res.status !== 200) throw new Error(`voice webhook answered ${res.status}: ${res.text}`);
    expect(res.contentType).toMatch(/text\/xml/);
    this.last = heard(res.text);
    return this.last;
  }
}
