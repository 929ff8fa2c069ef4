import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ChannelName } from '../common/channel-name';
import { DAY_SETS, PARTS_OF_DAY, windowFor, type DaySet, type PartOfDay } from './call-windows';
import { CALLBACK_TOPICS, type CallWindow, type CallbackTopic, type NewCallbackRequest } from './callback.types';

/**
 * The names the callback flow saves her answers under (flows/callback.yaml `save_as`), and the
 * choice ids it uses as values. The flow and this file must agree; the callback specs check both.
 */
export const ANSWER_NAMES = ['topic', 'call_language', 'part_of_day', 'days', 'voicemail', 'sms', 'number_source', 'number'] as const;

/** Her own number is the one she writes from: only an SMS (or a simulated phone) address is a number. */
export function ownPhoneNumber(channel: ChannelName, address: string): string | null {
  if (channel === 'telegram') return null;
  const parsed = parsePhoneNumberFromString(address.trim());
  return parsed?.isValid() ? parsed.number : null;
}

const PART_IDS = Object.keys(PARTS_OF_DAY) as PartOfDay[];
const DAY_SET_IDS = Object.keys(DAY_SETS) as DaySet[];
const YES_NO = ['yes', 'no'] as const;

export class InvalidAnswersError extends Error {
  constructor(field: string) {
    // the field name only: her answers never reach a log line
    super(`callback answers incomplete or invalid: ${field}`);
    this.name = 'InvalidAnswersError';
  }
}

/**
 * The urgent path's window (issue 19 §2): the soonest safe time is any time staff work, on any day
 * they work — she is called first, and only ever inside staff hours.
 */
export const SOONEST_PART = 'staff_hours';
export const SOONEST_DAYS = 'staff_days';

export interface AnswerContext {
  /** staff working hours: the window of an urgent request that asks for the soonest call. */
  staffHours?: CallWindow;
  contactId: string;
  channel: ChannelName;
  address: string;
  languages: string[];
  consentVersion: string;
}

/** Turns the flow's answers into a request, or throws naming the first bad field (never its value). */
export function requestFromAnswers(vars: Record<string, string>, ctx: AnswerContext): NewCallbackRequest {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T => {
    const value = vars[name];
    if (!allowed.includes(value as T)) throw new InvalidAnswersError(name);
    return value as T;
  };
  const topic = pick<CallbackTopic>('topic', CALLBACK_TOPICS);
  const windows = [vars.part_of_day === SOONEST_PART && vars.days === SOONEST_DAYS ? soonest(ctx) : windowFor(pick<PartOfDay>('part_of_day', PART_IDS), pick<DaySet>('days', DAY_SET_IDS))];
  const number = vars.number_source === 'own' ? ownPhoneNumber(ctx.channel, ctx.address) : checkedNumber(vars.number);
  if (!number) throw new InvalidAnswersError('number');
  return {
    contactId: ctx.contactId,
    channel: ctx.channel,
    topic,
    urgent: topic === 'safety',
    callLanguage: pick('call_language', ctx.languages),
    windows,
    voicemailSafe: pick('voicemail', YES_NO) === 'yes',
    smsSafe: pick('sms', YES_NO) === 'yes',
    number,
    consentVersion: ctx.consentVersion,
  };
}

function soonest(ctx: AnswerContext): CallWindow {
  if (!ctx.staffHours) throw new InvalidAnswersError('part_of_day');
  return { days: [...ctx.staffHours.days], fromMinute: ctx.staffHours.fromMinute, toMinute: ctx.staffHours.toMinute };
}

function checkedNumber(value: string | undefined): string | null {
  if (!value) return null;
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() ? parsed.number : null;
}

/** What she may change in her open request herself (CHANGER): the call time, voicemail, SMS. */
export interface RequestChanges {
  windows?: CallWindow[];
  voicemailSafe?: boolean;
  smsSafe?: boolean;
}

/**
 * Turns the change flow's answers into changes (only those she answered), or throws naming the first
 * bad field. A call time needs both its part of the day and its days.
 */
export function changesFromAnswers(vars: Record<string, string>): RequestChanges {
  const changes: RequestChanges = {};
  if (vars.part_of_day !== undefined || vars.days !== undefined) {
    if (!PART_IDS.includes(vars.part_of_day as PartOfDay)) throw new InvalidAnswersError('part_of_day');
    if (!DAY_SET_IDS.includes(vars.days as DaySet)) throw new InvalidAnswersError('days');
    changes.windows = [windowFor(vars.part_of_day as PartOfDay, vars.days as DaySet)];
  }
  for (const [name, key] of [['voicemail', 'voicemailSafe'], ['sms', 'smsSafe']] as const) {
    if (vars[name] === undefined) continue;
    if (!YES_NO.includes(vars[name] as 'yes' | 'no')) throw new InvalidAnswersError(name);
    changes[key] = vars[name] === 'yes';
  }
  if (Object.keys(changes).length === 0) throw new InvalidAnswersError('changes');
  return changes;
}
