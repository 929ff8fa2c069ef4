import { Inject, Injectable } from '@nestjs/common';
import type { ChannelName } from '../common/channel-name';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { ContactsRepository } from '../contacts/contacts.repository';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { OutboundService } from '../outbound/outbound.service';
import { OutboundJobKind } from '../outbound/outbound.types';
import { BroadcastBudget } from './broadcast-budget';
import { noticeCost, smsNoticeText, textFor } from './broadcast-texts';
import type { NewDelivery, Recipient } from './broadcasts.repository';
import type { BroadcastRow } from './broadcasts.schema';

/**
 * The one text key a notice goes out as: its text is the notice itself (`{{notice}}`). A proactive key,
 * so WHATSAPP_TEMPLATES may name the approved template standing for it outside her 24-hour window.
 */
export const NOTICE_KEY = 'callback:proactive.news';

/** Why a subscriber got nothing (the report counts these, never who). */
export type SkipReason = 'stopped' | 'discreet' | 'capped' | 'no_address' | 'no_channel' | 'voice_not_supported' | 'one_way_line' | 'no_template' | 'refused';

/** Her notice, or why none; `budget`: today's broadcast budget is spent, she waits for tomorrow. */
export type DeliveryDecision = { delivery: NewDelivery } | 'budget';

/** The key a notice's outbound rows are derived from: one broadcast, one contact, one message (job id too). */
export function noticeRowKey(broadcastId: string, contactId: string): string {
  return `broadcast\u0000${broadcastId}\u0000${contactId}`;
}

/**
 * Decides and queues one subscriber's notice: STOP, discreet mode, a stored address, a channel that runs
 * here, a line that can carry her answer back, then the broadcast budget (SMS), then the outbound queue of
 * her channel (which checks again, and for WhatsApp applies the 24-hour rule: template or nothing).
 */
@Injectable()
export class BroadcastDelivery {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTENT) private readonly content: LoadedContent,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(BroadcastBudget) private readonly budget: BroadcastBudget,
  ) {}

  async deliver(b: BroadcastRow, r: Recipient): Promise<DeliveryDecision> {
    const language = r.language ?? this.content.base;
    const base = { broadcastId: b.id, contactId: r.contactId, channel: r.channel, language };
    const skip = (reason: SkipReason): DeliveryDecision => ({ delivery: { ...base, state: 'skipped', reason } });
    const reason = this.refusal(r);
    if (reason) return skip(reason);
    const oneWay = r.channel === 'sms' && this.config.broadcasts.oneWayLines.includes(r.source);
    const chosen = textFor(oneWay ? (b.noticeOneWay ?? {}) : b.notice, language, this.content.base);
    if (!chosen) return skip('one_way_line');
    const sms = r.channel === 'sms';
    const text = sms ? smsNoticeText(chosen.text, chosen.lang, this.config.sms.spelling) : chosen.text;
    const segments = sms ? noticeCost(chosen.text, chosen.lang, this.config.sms.spelling).segments : 0;
    if (sms && !(await this.budget.book(segments))) return 'budget';
    const address = await this.contacts.revealAddress(r.contactId).catch(() => null);
    const ids = address
      ? await this.outbound.enqueue(r.channel as ChannelName, {
          address,
          contactId: r.contactId,
          language,
          outputs: [{ text: NOTICE_KEY, params: { notice: text } }],
          kind: OutboundJobKind.Broadcast,
          rowKey: noticeRowKey(b.id, r.contactId),
        })
      : [];
    if (ids.length === 0) {
      if (sms) await this.budget.refund(segments);
      return skip(!address ? 'no_address' : r.channel === 'whatsapp' ? 'no_template' : 'refused');
    }
    return { delivery: { ...base, state: 'queued', outboundId: ids[0]!, segments } };
  }

  private refusal(r: Recipient): SkipReason | null {
    if (r.optedOut) return 'stopped';
    if (!r.proactiveAllowed) return 'discreet';
    if (r.channel === 'voice') return 'voice_not_supported';
    if (!r.hasAddress) return 'no_address';
    if (!this.outbound.queueOf(r.channel as ChannelName)) return 'no_channel';
    // her consent said "at most N a month"
    if (r.recentNotices >= this.config.subscriptions.maxPerMonth) return 'capped';
    return null;
  }
}
