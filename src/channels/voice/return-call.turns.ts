import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ContactEventContext, ContactEventOutcome } from '../../conversations/contact-event';
import { OnContactEvent, TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { Settlement, TurnContext } from '../../conversations/conversation-hooks';
import { ReturnCalls, type ReturnCallOutcome } from './return-calls.service';

/** What she reads about the call she asked for (locales/<lng>/listen.json; `scheduled` is the flow's own text). */
export const RETURN_CALL_TEXTS = {
  cooldown: 'listen:cooldown',
  refused: 'listen:refused',
} as const;

/**
 * Return calls asked by SMS (the word APPEL / CALL, the main menu's last choice: flows/listen.yaml).
 * Provided only where a voice line is configured, so without one the flow never offers or asks a
 * call. Only an SMS address is a number to call back: not a Telegram chat, and never a caller who is
 * already on the phone. The call itself goes through ReturnCalls, the same path as a flash call.
 */
@Injectable()
@TakesPartInTurns()
export class ReturnCallTurns implements TurnParticipant {
  private readonly log = new Logger(ReturnCallTurns.name);

  constructor(@Inject(ReturnCalls) private readonly returnCalls: ReturnCalls) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    return msg.channel === 'sms' ? { return_calls: 'yes' } : {};
  }

  @OnContactEvent('return_call_requested')
  async requested(_event: unknown, ctx: ContactEventContext): Promise<ContactEventOutcome> {
    if (ctx.msg?.channel !== 'sms') return { settlement: { text: RETURN_CALL_TEXTS.refused } };
    try {
      const outcome = await this.returnCalls.request(ctx.msg.address);
      this.log.debug(`return call asked by message: ${outcome}`);
      return { settlement: returnCallSettlement(outcome) };
    } catch (err) {
      // nothing scheduled, or we cannot know: she is never told a call is coming
      this.log.warn(`return call not scheduled: ${err instanceof Error ? err.name : 'error'}`);
      return { settlement: { text: RETURN_CALL_TEXTS.refused } };
    }
  }
}

/** Scheduled: the flow's confirmation as written; otherwise the short honest reason, never the policy's details. */
export function returnCallSettlement(outcome: ReturnCallOutcome): Settlement {
  if (outcome === 'scheduled') return {};
  return { text: outcome === 'cooldown' ? RETURN_CALL_TEXTS.cooldown : RETURN_CALL_TEXTS.refused };
}
