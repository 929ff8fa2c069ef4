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

  /**
   * One page of subscribers: the refusals first, then the day's budget for the SMS among the rest (booked
   * at once, else one by one until it is spent: `spent`, and the others stay undecided for tomorrow), their
   * addresses in one query, and each channel's notices handed to its outbound queue in one batch.
   */
  async deliverPage(b: BroadcastRow, page: Recipient[]): Promise<{ done: NewDelivery[]; spent: boolean }> {
    const done: NewDelivery[] = [];
    const candidates: Array<{ r: Recipient; base: Omit<NewDelivery, 'state'>; text: string; segments: number }> = [];
    for (const r of page) {
      const language = r.language ?? this.content.base;
      const base = { broadcastId: b.id, contactId: r.contactId, channel: r.channel, language };
      const reason = this.refusal(r);
      const oneWay = r.channel === 'sms' && this.config.broadcasts.oneWayLines.includes(r.source);
      const chosen = reason ? null : textFor(oneWay ? (b.noticeOneWay ?? {}) : b.notice, language, this.content.base);
      if (reason || !chosen) {
        done.push({ ...base, state: 'skipped', reason: reason ?? 'one_way_line' });
        continue;
      }
      const sms = r.channel === 'sms';
      const text = sms ? smsNoticeText(chosen.text, chosen.lang, this.config.sms.spelling) : chosen.text;
      candidates.push({ r, base, text, segments: sms ? noticeCost(chosen.text, chosen.lang, this.config.sms.spelling).segments : 0 });
    }
    const { admitted, spent } = await this.withinBudget(candidates);
    const addresses = await this.contacts.revealAddresses(admitted.map((c) => c.r.contactId));
    const byChannel = new Map<string, typeof admitted>();
    for (const c of admitted) {
      if (!addresses.has(c.r.contactId)) {
        await this.budget.refund(c.segments);
        done.push({ ...c.base, state: 'skipped', reason: 'no_address' });
      } else byChannel.set(c.r.channel, [...(byChannel.get(c.r.channel) ?? []), c]);
    }
    for (const [channel, list] of byChannel) {
      const ids = await this.outbound.enqueueBatch(
        channel as ChannelName,
        list.map((c) => ({
          address: addresses.get(c.r.contactId)!,
          contactId: c.r.contactId,
          language: c.base.language,
          outputs: [{ text: NOTICE_KEY, params: { notice: c.text } }],
          kind: OutboundJobKind.Broadcast,
          rowKey: noticeRowKey(b.id, c.r.contactId),
        })),
      );
      for (const [i, c] of list.entries()) {
        const queued = ids[i] ?? [];
        if (queued.length > 0) done.push({ ...c.base, state: 'queued', outboundId: queued[0]!, segments: c.segments });
        else {
          await this.budget.refund(c.segments);
          done.push({ ...c.base, state: 'skipped', reason: channel === 'whatsapp' ? 'no_template' : 'refused' });
        }
      }
    }
    return { done, spent };
  }

  /** The page's SMS segments booked at once; when that passes the day's budget, one by one until it does. */
  private async withinBudget<C extends { segments: number }>(candidates: C[]): Promise<{ admitted: C[]; spent: boolean }> {
    const total = candidates.reduce((n, c) => n + c.segments, 0);
    if (total === 0 || (await this.budget.book(total))) return { admitted: candidates, spent: false };
    const admitted: C[] = [];
    for (const c of candidates) {
      if (c.segments > 0 && !(await this.budget.book(c.segments))) return { admitted, spent: true };
      admitted.push(c);
    }
    return { admitted, spent: false };
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
