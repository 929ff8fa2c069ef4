/**
 * Redis keys of the SMS channel, under the configured prefix. Numbers never appear: a sender is named
 * by her blind index, days by their UTC date.
 */
export class SmsRedisKeys {
  constructor(private readonly prefix: string) {}

  /** messages accepted while PostgreSQL was unreachable, oldest first (encrypted items). */
  spool(): string {
    return `${this.prefix}:sms:spool`;
  }

  /** only one process drains the spool at a time. */
  spoolLock(): string {
    return `${this.prefix}:sms:spool-lock`;
  }

  senderMinute(blindIndex: string, minute: number): string {
    return `${this.prefix}:sms:rate:${blindIndex}:${minute}`;
  }

  senderSegments(blindIndex: string, day: string): string {
    return `${this.prefix}:sms:segments:${blindIndex}:${day}`;
  }

  totalSegments(day: string): string {
    return `${this.prefix}:sms:segments:all:${day}`;
  }

  /** the line (a provider account, or one SIM of a relay phone) she last wrote through. */
  lastLine(blindIndex: string): string {
    return `${this.prefix}:sms:line:${blindIndex}`;
  }

  /** set once a per-number cap has stopped her replies in this window (`day` or `m<minute>`): one notice per window. */
  capNoticeSent(blindIndex: string, window: string): string {
    return `${this.prefix}:sms:cap-notice:${blindIndex}:${window}`;
  }

  /** set once she is counted among the capped contacts of that day. */
  cappedCounted(blindIndex: string, day: string): string {
    return `${this.prefix}:sms:capped:${blindIndex}:${day}`;
  }

  /** how many contacts a per-number cap stopped that day: a count, never a number. */
  cappedContacts(day: string): string {
    return `${this.prefix}:sms:capped-contacts:${day}`;
  }

  /** what was refused today, per reason: counted without any number. */
  refused(reason: string, day: string): string {
    return `${this.prefix}:sms:refused:${reason}:${day}`;
  }
}

export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10).replace(/-/g, '');
}
