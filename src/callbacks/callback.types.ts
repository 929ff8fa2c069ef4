import type { ChannelName } from '../common/channel-name';

export const CALLBACK_TOPICS = ['reparations', 'testimony', 'legal', 'other', 'safety'] as const;
/** What it is about; `safety` ("I am not safe now") makes the request urgent. */
export type CallbackTopic = (typeof CALLBACK_TOPICS)[number];

export const CALLBACK_STATUSES = ['pending', 'claimed', 'completed', 'no_answer', 'cancelled', 'unreachable', 'erased'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** What a staff member records after a call; each one moves the request (CallbackWorkflow.recordOutcome). */
export const CALL_OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'asked_to_stop', 'rescheduled'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Statuses in which a request is still open (one per contact at most). */
export const OPEN_STATUSES: readonly CallbackStatus[] = ['pending', 'claimed', 'no_answer'];

/**
 * A time she said is safe to be called, in Africa/Bamako local time: ISO weekdays (1 = Monday …
 * 7 = Sunday) and a half-open range of minutes after local midnight.
 */
export interface CallWindow {
  days: number[];
  fromMinute: number;
  toMinute: number;
}

/** Who changed a status: she did, the system did (timers), or a staff member (`staff:<id>`). */
export type CallbackActor = 'contact' | 'system' | `staff:${string}`;

/** A request as the rest of the application sees it: never her number (only `revealNumber` decrypts it). */
export interface CallbackRequest {
  id: string;
  contactId: string;
  channel: ChannelName;
  refCode: string;
  topic: CallbackTopic;
  urgent: boolean;
  callLanguage: string;
  windows: CallWindow[];
  voicemailSafe: boolean;
  smsSafe: boolean;
  consentVersion: string;
  status: CallbackStatus;
  attempt: number;
  claims: number;
  claimedBy: string | null;
  claimedAt: Date | null;
  dueAt: Date;
  notifiedAt: Date | null;
  escalatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** What she answered, checked: everything a request needs except its id, code and status. */
export interface NewCallbackRequest {
  contactId: string;
  channel: ChannelName;
  topic: CallbackTopic;
  urgent: boolean;
  callLanguage: string;
  windows: CallWindow[];
  voicemailSafe: boolean;
  smsSafe: boolean;
  /**
   * E.164 as libphonenumber writes it (requestFromAnswers checks and writes it so): encrypted before it
   * is stored, and blind-indexed as it is, without being parsed again (another spelling is refused).
   */
  number: string;
  consentVersion: string;
}
