import { isIP } from 'node:net';
import Bowser from 'bowser';
import type { Request } from 'express';
import { clientAddress } from './staff-http';
import type { SessionOrigin } from './staff-sessions.repository';

/**
 * What a session keeps of where it came from, enough for its owner to recognise it and no more:
 * the browser and system families (bowser), and the address with its host part hidden.
 */
export function sessionOrigin(req: Request): SessionOrigin {
  return { userAgent: agentFamily(req.headers['user-agent']), addressHint: addressHint(clientAddress(req)) };
}

export function agentFamily(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const parts = [parsed.browser.name, parsed.os.name].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' · ') : undefined;
}

/** `192.0.2.x` for IPv4, the first three groups for IPv6 (`2001:db8:85a3:…`), nothing else. */
export function addressHint(address: string): string | undefined {
  const plain = address.replace(/^::ffff:/, '');
  if (isIP(plain) === 4) return `${plain.split('.').slice(0, 3).join('.')}.x`;
  if (isIP(plain) === 6) return `${plain.split(':').slice(0, 3).join(':')}:…`;
  return undefined;
}
