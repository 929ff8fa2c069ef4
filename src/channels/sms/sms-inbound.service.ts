import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConversationService } from '../../conversations/conversation.service';
import { SmsGuards } from './sms-guards';
import { toInboundMessage, type SmsInbound } from './sms-inbound';
import { SmsRouter } from './sms-router';
import { SmsSpool } from './sms-spool';

/** What became of an accepted SMS; every case is answered 200 to the provider. */
export type SmsAcceptance = 'processed' | 'duplicate' | 'spooled' | 'refused';

/**
 * The provider-neutral entry of the SMS channel: a provider adapter has verified the request and
 * normalised it; here the country allow-list applies, then the conversation service handles it — or,
 * when PostgreSQL is unreachable (or earlier messages still wait), it joins the spool.
 */
@Injectable()
export class SmsInboundService {
  private readonly log = new Logger(SmsInboundService.name);

  constructor(
    @Inject(ConversationService) private readonly conversations: ConversationService,
    @Inject(SmsGuards) private readonly guards: SmsGuards,
    @Inject(SmsSpool) private readonly spool: SmsSpool,
    @Inject(SmsRouter) private readonly router: SmsRouter,
  ) {}

  async accept(sms: SmsInbound): Promise<SmsAcceptance> {
    if (!this.guards.countryAllowed(sms.from)) {
      await this.guards.refuse('country');
      return 'refused';
    }
    // Replies leave by the line she wrote to (a lost memory only means the contact's first line). The line
    // memory and the spool's length go out in the same tick as the turn's first round trip, so all share
    // it (node-redis pipelines commands sent in one tick); earlier messages still spooled keep this one
    // from jumping ahead of them: the turn is then not run ('deferred') and the message joins the spool.
    const checks = Promise.all([this.router.remember(sms.provider, sms.from).catch(() => undefined), this.spool.length()]);
    checks.catch(() => undefined); // awaited inside the turn; if the turn fails before, its own error is the one reported
    const message = toInboundMessage(sms);
    try {
      const result = await this.conversations.handle(message, { defer: async () => (await checks)[1] > 0 });
      if (result.status !== 'deferred') return result.status;
      await this.spool.push(message);
      void this.spool.drain().catch(() => undefined);
      return 'spooled';
    } catch (err) {
      if (await this.spool.databaseUp()) throw err;
      await this.spool.push(message);
      return 'spooled';
    }
  }
}
