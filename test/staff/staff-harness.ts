import { ManualClock } from '../../src/common/clock';
import type { RunningSmsApp } from '../sms/twilio-test.harness';
import { startApp } from '../support/app-harness';

export const ADMIN_EMAIL = 'admin@sira.test';
export const ADMIN_PASSWORD = 'admin-password-1234';

/** Thursday 15 January 2026, 09:30 in Bamako (UTC+0): inside weekday mornings and staff hours. */
export const THURSDAY_0930 = Date.UTC(2026, 0, 15, 9, 30);

export interface StaffApp extends RunningSmsApp {
  clock: ManualClock;
}

/** The whole application on a free port with an injected clock and a first admin from configuration. */
export async function startStaffApp(prefix: string, databaseUrl: string, env: Record<string, string> = {}, clock = new ManualClock(THURSDAY_0930)): Promise<StaffApp> {
  // the second factor is off unless a test turns it on (test/staff/staff-second-factor*.spec.ts do): the others sign in by password
  const staffEnv = { STAFF_ADMIN_EMAIL: ADMIN_EMAIL, STAFF_ADMIN_PASSWORD: ADMIN_PASSWORD, STAFF_2FA_REQUIRED_ROLES: 'none', ...env };
  return { ...(await startApp({ prefix, databaseUrl, env: staffEnv, clock })), clock };
}

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A browser-like client for the staff pages and API: keeps cookies, reads the CSRF token from the last
 * page (or the API), never follows redirects (tests look at them).
 */
export class StaffClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  async get(path: string): Promise<Reply> {
    const reply = await this.send('GET', path);
    const token = /name="_csrf" value="([^"]+)"/.exec(reply.text)?.[1];
    if (token) this.csrf = token;
    return reply;
  }

  /** A form post with the page's CSRF token (unless `fields._csrf` says otherwise). */
  post(path: string, fields: Record<string, string | string[]> = {}): Promise<Reply> {
    const form = new URLSearchParams();
    if (!('_csrf' in fields)) form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    return this.send('POST', path, form.toString(), 'application/x-www-form-urlencoded');
  }

  /** A JSON API call; state-changing ones carry X-CSRF-Token. */
  api(method: string, path: string, body?: unknown): Promise<Reply> {
    return this.send(method, `/staff/api${path}`, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json', {
      'x-csrf-token': this.csrf,
    });
  }

  async login(email: string, password: string): Promise<Reply> {
    await this.get('/staff/login');
    return this.post('/staff/login', { email, password });
  }

  async apiLogin(email: string, password: string): Promise<Reply> {
    this.csrf = (await this.api('GET', '/session')).json<{ csrfToken: string }>().csrfToken;
    const reply = await this.api('POST', '/session', { email, password });
    if (reply.status === 200) this.csrf = reply.json<{ csrfToken: string }>().csrfToken;
    return reply;
  }

  async send(method: string, path: string, body?: string, type?: string, extra: Record<string, string> = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...extra };
    if (type) headers['content-type'] = type;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, location: res.headers.get('location'), json: <T>() => JSON.parse(text) as T };
  }
}
