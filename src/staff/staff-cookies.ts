import type { CookieOptions } from 'express';
import type { Config } from '../config/config';

export interface StaffCookieNames {
  session: string;
  csrf: string;
  /** an anonymous id the login form's CSRF token is bound to before there is a session. */
  pre: string;
}

/**
 * In production the cookies carry the `__Host-` prefix (Secure, Path=/, no Domain: a sibling host
 * cannot plant one). All are httpOnly and SameSite=Strict: a link from another site arrives without them.
 */
export function staffCookieNames(config: Pick<Config, 'production'>): StaffCookieNames {
  const p = config.production ? '__Host-' : '';
  return { session: `${p}sira_staff`, csrf: `${p}sira_staff_csrf`, pre: `${p}sira_staff_pre` };
}

export function staffCookieOptions(config: Pick<Config, 'production'>): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: config.production, path: '/' };
}
