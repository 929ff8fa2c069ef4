import type { ChannelName } from '../common/channel-name';
import type { SentRecord } from '../channels/contact-forgetter';

/** The privacy queue and its jobs, in one place (names never contain ':'). */
export enum PrivacyQueueName {
  Privacy = 'privacy',
}

export enum PrivacyJobName {
  /** ask the providers of her channel to forget one erased contact's messages. */
  ForgetAtProviders = 'forget-at-providers',
  /** recurring (job scheduler): delete what is older than its retention period. */
  Retention = 'retention',
}

export const RETENTION_SCHEDULER_ID = 'privacy-retention';
export const PRIVACY_TIME_ZONE = 'Africa/Bamako';

/**
 * What the provider clean-up needs once her rows are gone. Her address is only here encrypted (bound
 * to this job's id), so a dump of Redis or a kept job shows no number or chat id.
 */
export interface ForgetJobData {
  channel: ChannelName;
  addressEnc: string;
  /** every message Sira sent her with a provider id, and which provider (and line) sent it. */
  sent: SentRecord[];
  /** the provider id of the erase message (its de-dup key goes once the turn is over). */
  dedupId: string;
  /** her callback requests' ids (rows already gone): their entries in BullMQ's event stream go too. */
  requestIds: string[];
}

export function forgetContext(jobId: string): string {
  return `privacy_forget:${jobId}`;
}
