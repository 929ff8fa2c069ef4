import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { CookieOptions, Request, Response } from 'express';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { KeyRing } from '../crypto/key-ring';
import type { StaffRequest } from './staff-access';
import { staffCookieNames, staffCookieOptions, type StaffCookieNames } from './staff-cookies';

/** The form field and the header a CSRF token may come in. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * A multipart form (a recording's upload) carries its token in the action's query string
 * (`?_csrf=…`): the guard checks it before the body is read, so nothing of a refused upload is
 * buffered, whereas a hidden field would only be parsed after the guard (by multer, in the route's
 * interceptor). Only multipart requests are read there; the logs never keep a query string
 * (src/logging/log-redaction.ts) and staff pages send no referrer.
 */
function multipartQueryToken(req: Request): string | undefined {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) return undefined;
  const value = (req.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/**
 * CSRF protection with csrf-csrf (signed double-submit): the token is an HMAC of the session (or, before
 * login, of an anonymous id) and a random value, kept in an httpOnly cookie and repeated in every
 * state-changing form (`_csrf`) or API call (`X-CSRF-Token`). Its key is derived from the blind-index
 * key, so every process of a deployment accepts the others' tokens.
 */
@Injectable()
export class StaffCsrf {
  readonly cookies: StaffCookieNames;
  private readonly utils: DoubleCsrfUtilities;
  private readonly options: CookieOptions;

  constructor(@Inject(CONFIG) config: Config, @Inject(KeyRing) keys: KeyRing) {
    this.cookies = staffCookieNames(config);
    const secret = createHmac('sha256', keys.blindIndexKey).update('sira-staff-csrf-v1').digest('hex');
    this.utils = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => this.identifier(req as StaffRequest),
      cookieName: this.cookies.csrf,
      cookieOptions: staffCookieOptions(config),
      getCsrfTokenFromRequest: (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        const field = body?.[CSRF_FIELD];
        if (typeof field === 'string') return field;
        if (req.headers[CSRF_HEADER]) return req.headers[CSRF_HEADER];
        return multipartQueryToken(req);
      },
    });
    this.options = staffCookieOptions(config);
  }

  /** A token for the forms of this page (re-used while valid for the current session). */
  token(req: Request, res: Response, fresh = false): string {
    const r = req as StaffRequest;
    r.cookies ??= {};
    if (!r.cookies[this.cookies.session] && !r.cookies[this.cookies.pre]) {
      const pre = randomBytes(24).toString('base64url');
      res.cookie(this.cookies.pre, pre, this.options);
      r.cookies[this.cookies.pre] = pre;
    }
    return this.utils.generateCsrfToken(req, res, { overwrite: fresh });
  }

  valid(req: Request): boolean {
    return this.utils.validateRequest(req);
  }

  private identifier(req: StaffRequest): string {
    const session = req.cookies?.[this.cookies.session];
    return session ? `s:${session}` : `p:${req.cookies?.[this.cookies.pre] ?? ''}`;
  }
}
