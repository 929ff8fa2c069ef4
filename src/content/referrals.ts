/**
 * The referral directory (`locales/referrals.yaml`, domain-facts §10). Entries come from the fact
 * sheet unverified; a woman is only ever shown an entry that a staff member verified (date and
 * name, a contact) and whose verification has not expired. `servableReferrals` is the only way
 * entries leave this file, so an unverified or stale contact cannot reach a message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord, readYaml } from './yaml-file';
import { ContentProblem, makeProblem } from './content.types';

export const REFERRALS_FILE = 'referrals.yaml';
const DAY_MS = 86_400_000;

export interface Referral {
  id: string;
  name: string;
  place: string | null;
  service: string;
  contact: string | null;
  source: string;
  /** YYYY-MM-DD, when staff last confirmed it works; null = never verified. */
  verified_on: string | null;
  verified_by: string | null;
  /** days after verified_on during which it may be shown. */
  expires_after: number;
}

export interface LoadedReferrals {
  entries: Referral[];
  problems: ContentProblem[];
}

export function loadReferrals(localesDir: string, localesName = 'locales'): LoadedReferrals {
  const display = `${localesName}/${REFERRALS_FILE}`;
  const problems: ContentProblem[] = [];
  const path = join(localesDir, REFERRALS_FILE);
  if (!existsSync(path)) return { entries: [], problems };
  const raw = readYaml(path, display, problems);
  const list = isRecord(raw) && Array.isArray(raw.entries) ? raw.entries : [];
  const entries: Referral[] = [];
  list.forEach((item, i) => {
    const entry = readReferral(item);
    if (typeof entry === 'string') problems.push(makeProblem(display, undefined, `entry ${i + 1}: ${entry}`));
    else entries.push(entry);
  });
  return { entries, problems };
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
}

function day(v: unknown): string | null {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
}

function readReferral(item: unknown): Referral | string {
  if (!isRecord(item)) return 'must be a mapping';
  const id = text(item.id);
  const name = text(item.name);
  const service = text(item.service);
  const source = text(item.source);
  if (!id || !name || !service || !source) return 'needs "id", "name", "service" and "source"';
  const expires = Number(item.expires_after);
  if (!Number.isInteger(expires) || expires <= 0) return `"${id}": "expires_after" must be a number of days`;
  const verifiedOn = day(item.verified_on);
  if (item.verified_on != null && !verifiedOn) return `"${id}": "verified_on" must be a date (YYYY-MM-DD)`;
  const verifiedBy = text(item.verified_by);
  if (!!verifiedOn !== !!verifiedBy) return `"${id}": "verified_on" and "verified_by" go together`;
  return { id, name, place: text(item.place), service, contact: text(item.contact), source, verified_on: verifiedOn, verified_by: verifiedBy, expires_after: expires };
}

/** Verified by a named person, with a contact, not in the future and not expired at `now`. */
export function servableReferrals(entries: readonly Referral[], now: number): Referral[] {
  return entries.filter((r) => {
    if (!r.verified_on || !r.verified_by || !r.contact) return false;
    const verified = Date.parse(`${r.verified_on}T00:00:00Z`);
    return Number.isFinite(verified) && verified <= now && now < verified + r.expires_after * DAY_MS;
  });
}

/**
 * The engine fact `referrals` (flows/safety.yaml): one line per servable entry, or no fact at all
 * when none is servable, so the flow says plainly that none is verified yet.
 */
export function referralFacts(entries: readonly Referral[], now: number): Record<string, string> {
  const shown = servableReferrals(entries, now);
  if (shown.length === 0) return {};
  return { referrals: shown.map((r) => `${r.name}${r.place ? `, ${r.place}` : ''} (${r.service}) : ${r.contact}`).join('\n') };
}
