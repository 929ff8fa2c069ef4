import type { Config } from '../config/config';
import type { ReviewLevel } from '../content/review-status';
import { broadcastMinutesPerDay } from './broadcast-hours';
import { noticeCost, servedNews, textFor } from './broadcast-texts';
import type { AudienceRow, ReportRow } from './broadcasts.repository';
import type { BroadcastRow } from './broadcasts.schema';

/** SMS segments a minute the configured lines send at (Twilio's pacing, each relay SIM's own pace). */
export function smsSegmentsPerMinute(config: Config): number {
  const twilio = config.twilio ? config.sms.segmentsPerSecond * 60 : 0;
  const relay = (config.smsGateway?.lines ?? []).reduce((n, l) => n + (l.segmentsPerMinute ?? config.smsGateway!.segmentsPerMinute), 0);
  return twilio + relay;
}

/**
 * What staff see before approving: who would get the notice (by language and channel), what it costs in
 * SMS segments and encoding per language, the estimated price, which languages fall back and to what,
 * the one-way lines, and how many days delivery takes at the lines' paces and the daily budget. Counts only.
 */
export function preview(b: BroadcastRow, audience: AudienceRow[], config: Config, base: string, languages: string[]) {
  const oneWayLines = config.broadcasts.oneWayLines;
  const byLanguageAndChannel: Record<string, Record<string, number>> = {};
  const notSent = { stopped: 0, discreet: 0, no_address: 0, voice_not_supported: 0, one_way_line: 0 };
  let oneWay = 0;
  let smsSegments = 0;
  let whatsapp = 0;
  const smsByLanguage: Record<string, { recipients: number; noticeLanguage: string; segments: number; encoding: string; nonGsm: string[] }> = {};
  for (const row of audience) {
    notSent.stopped += row.stopped;
    notSent.discreet += row.discreet;
    notSent.no_address += row.noAddress;
    if (row.eligible === 0) continue;
    if (row.channel === 'voice') {
      notSent.voice_not_supported += row.eligible;
      continue;
    }
    const lineOneWay = row.channel === 'sms' && oneWayLines.includes(row.source);
    if (lineOneWay) oneWay += row.eligible;
    const chosen = textFor(lineOneWay ? (b.noticeOneWay ?? {}) : b.notice, row.language, base);
    if (!chosen) {
      notSent.one_way_line += row.eligible;
      continue;
    }
    (byLanguageAndChannel[row.language] ??= {})[row.channel] = (byLanguageAndChannel[row.language]?.[row.channel] ?? 0) + row.eligible;
    if (row.channel === 'whatsapp') whatsapp += row.eligible;
    if (row.channel !== 'sms') continue;
    const cost = noticeCost(chosen.text, chosen.lang, config.sms.spelling);
    smsSegments += cost.segments * row.eligible;
    const entry = (smsByLanguage[row.language] ??= { recipients: 0, noticeLanguage: chosen.lang, segments: cost.segments, encoding: cost.encoding, nonGsm: cost.nonGsm });
    entry.recipients += row.eligible;
  }
  const recipients = Object.values(byLanguageAndChannel).reduce((n, byChannel) => n + Object.values(byChannel).reduce((m, c) => m + c, 0), 0);
  const statuses = b.newsStatus as Record<string, ReviewLevel>;
  const min = config.content.minStatus;
  const fallbacks = languages.map((lang) => {
    const notice = textFor(b.notice, lang, base);
    const news = servedNews(b.news, statuses, lang, base, min);
    return { language: lang, notice: notice?.lang ?? null, news: news ? news.lang : 'skipped', newsStatus: statuses[lang] ?? (b.news[lang] ? 'draft' : null) };
  });
  const prices = config.broadcasts.prices;
  const perMinute = smsSegmentsPerMinute(config);
  const perDay = Math.min(config.broadcasts.dailySegments, perMinute * broadcastMinutesPerDay(config.broadcasts.hours));
  return {
    recipients,
    byLanguageAndChannel,
    notSent,
    sms: smsByLanguage,
    languages: fallbacks,
    fallsBack: fallbacks.filter((f) => f.notice !== f.language || f.news !== f.language).map((f) => ({ language: f.language, notice: f.notice, news: f.news })),
    oneWayLines: {
      lines: oneWayLines,
      recipients: oneWay,
      warning: oneWay > 0 ? (b.noticeOneWay ? 'these recipients get noticeOneWay, which must name the way that works for them (the flash/voice line, Telegram or WhatsApp)' : 'their line cannot carry INFO back: they are skipped unless the broadcast has a noticeOneWay naming the way that works') : null,
    },
    cost: {
      currency: prices.currency,
      pricesConfigured: prices.segment > 0 || prices.template > 0,
      smsSegments,
      sms: smsSegments * prices.segment,
      // an upper bound: inside her 24-hour window the notice goes as free text
      whatsappTemplates: whatsapp,
      whatsapp: whatsapp * prices.template,
      callMinutes: 0,
      calls: 0,
      total: smsSegments * prices.segment + whatsapp * prices.template,
    },
    delivery: {
      dailyBudgetSegments: config.broadcasts.dailySegments,
      smsSegmentsPerMinute: perMinute,
      hours: config.broadcasts.hours,
      days: smsSegments === 0 ? (recipients > 0 ? 1 : 0) : perDay > 0 ? Math.ceil(smsSegments / perDay) : null,
    },
  };
}

/** The report: counts by outcome and skip reason, and the cost so far (sent SMS segments and WhatsApp messages). */
export function report(rows: ReportRow[], config: Config) {
  const out = { queued: 0, waiting: 0, sent: 0, delivered: 0, failed: 0, withdrawn: 0, skipped: {} as Record<string, number>, decided: 0, costSoFar: 0, currency: config.broadcasts.prices.currency };
  for (const r of rows) {
    out.decided += r.count;
    if (r.state === 'skipped') {
      out.skipped[r.reason ?? 'refused'] = (out.skipped[r.reason ?? 'refused'] ?? 0) + r.count;
      continue;
    }
    if (r.state === 'withdrawn') {
      out.withdrawn += r.count;
      continue;
    }
    out.queued += r.count;
    const status = r.outboundStatus;
    if (status === 'queued' || status === 'sending') out.waiting += r.count;
    else if (status === 'sent' || status === 'delivered') {
      out.sent += r.count;
      if (status === 'delivered') out.delivered += r.count;
      out.costSoFar += r.channel === 'sms' ? r.segments * config.broadcasts.prices.segment : r.channel === 'whatsapp' ? r.count * config.broadcasts.prices.template : 0;
    } else out.failed += r.count;
  }
  return out;
}
