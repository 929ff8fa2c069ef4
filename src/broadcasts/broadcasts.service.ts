import { BadRequestException, ConflictException, ForbiddenException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { levelRank } from '../content/review-status';
import { AuditLogRepository } from '../staff/audit-log.repository';
import type { StaffUser } from '../staff/staff.types';
import { preview, report } from './broadcast-preview';
import { BroadcastInputError, checkDraft } from './broadcast-texts';
import { BroadcastSender } from './broadcast.sender';
import { BroadcastsRepository } from './broadcasts.repository';
import type { BroadcastRow } from './broadcasts.schema';

/** What a single approver types to approve her own draft (BROADCAST_TWO_PERSON=false). */
export const SELF_APPROVAL_CONFIRMATION = 'APPROUVER';

export interface ApproveInput {
  /** with BROADCAST_TWO_PERSON=false, the drafter's typed confirmation. */
  confirm?: string;
  /** languages whose news the approver has read and raises to `reviewed` (never by its drafter). */
  newsReviewed?: string[];
}

/**
 * Drafting, previewing, approving (by a second supervisor or admin) and cancelling broadcasts; each
 * action is audited with the broadcast's id and counts only.
 */
@Injectable()
export class BroadcastsService {
  constructor(
    @Inject(BroadcastsRepository) private readonly broadcasts: BroadcastsRepository,
    @Inject(BroadcastSender) private readonly sender: BroadcastSender,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTENT) private readonly content: LoadedContent,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async draft(staff: StaffUser, body: Record<string, unknown>): Promise<BroadcastRow> {
    let checked;
    try {
      checked = checkDraft(body, { languages: this.languages(), base: this.content.base, spelling: this.config.sms.spelling, maxSegments: this.config.sms.maxSegments });
    } catch (err) {
      if (!(err instanceof BroadcastInputError)) throw err;
      await this.audit.record({ staffId: staff.id, action: 'broadcast_refused', detail: { reason: err.message.slice(0, 200) } });
      throw new HttpException({ statusCode: err.status, message: err.message }, err.status);
    }
    const row = await this.broadcasts.create(checked, staff.id);
    await this.audit.record({ staffId: staff.id, action: 'broadcast_drafted', detail: { broadcast: row.id, topic: row.topic, languages: Object.keys(row.notice).join(',') } });
    return row;
  }

  async get(id: string): Promise<BroadcastRow> {
    const row = await this.broadcasts.find(id);
    if (!row) throw new NotFoundException('no such broadcast');
    return row;
  }

  list(): Promise<BroadcastRow[]> {
    return this.broadcasts.list();
  }

  /** Status, preview and report, as the API and the page show them. */
  async view(id: string) {
    const b = await this.get(id);
    const [audience, rows] = await Promise.all([this.broadcasts.audience(b.topic), this.broadcasts.report(b.id)]);
    return {
      id: b.id,
      status: b.status,
      topic: b.topic,
      sendAt: b.sendAt,
      notice: b.notice,
      noticeOneWay: b.noticeOneWay,
      news: b.news,
      newsStatus: b.newsStatus,
      source: b.source,
      createdBy: b.createdBy,
      createdAt: b.createdAt,
      approvedBy: b.approvedBy,
      approvedAt: b.approvedAt,
      selfApproved: b.selfApproved,
      cancelledAt: b.cancelledAt,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      twoPerson: this.config.broadcasts.twoPerson,
      preview: preview(b, audience, this.config, this.content.base, this.languages()),
      report: report(rows, this.config),
    };
  }

  async approve(staff: StaffUser, id: string, input: ApproveInput): Promise<BroadcastRow> {
    const b = await this.get(id);
    if (b.status !== 'draft') throw new ConflictException(`the broadcast is ${b.status}, not a draft`);
    const own = b.createdBy === staff.id;
    if (own && this.config.broadcasts.twoPerson) {
      await this.audit.record({ staffId: staff.id, action: 'broadcast_refused', detail: { broadcast: b.id, reason: 'drafter_approval' } });
      throw new ForbiddenException('a broadcast is approved by another supervisor or admin than the one who drafted it');
    }
    if (own && input.confirm?.trim().toUpperCase() !== SELF_APPROVAL_CONFIRMATION) {
      throw new BadRequestException(`approving your own broadcast needs the typed confirmation "${SELF_APPROVAL_CONFIRMATION}"`);
    }
    const newsStatus = { ...b.newsStatus };
    // a second reader raises the news' status; the drafter never reviews her own text
    if (!own) for (const lang of input.newsReviewed ?? []) if (b.news[lang] && levelRank(newsStatus[lang] ?? 'draft') < levelRank('reviewed')) newsStatus[lang] = 'reviewed';
    const min = this.config.content.minStatus;
    if (levelRank(newsStatus[this.content.base] ?? 'draft') < levelRank(min)) {
      throw new ConflictException(`the ${this.content.base} news is below CONTENT_MIN_STATUS (${min}): nobody could read it; a second reader marks it reviewed (newsReviewed)`);
    }
    const approved = await this.broadcasts.approve(b.id, staff.id, own, newsStatus, new Date(this.clock.now()));
    if (!approved) throw new ConflictException('the broadcast has moved on');
    await this.audit.record({ staffId: staff.id, action: 'broadcast_approved', detail: { broadcast: b.id, self: own, reviewed: (input.newsReviewed ?? []).join(',') } });
    await this.sender.schedule(b.id);
    return approved;
  }

  /** Stops what is not yet sent: the job stops at its next page, the queued notices are taken back. */
  async cancel(staff: StaffUser, id: string): Promise<{ broadcast: BroadcastRow; withdrawn: number }> {
    const b = await this.get(id);
    const cancelled = await this.broadcasts.cancel(b.id, staff.id, new Date(this.clock.now()));
    if (!cancelled) throw new ConflictException(`the broadcast is already ${b.status}`);
    const withdrawn = await this.broadcasts.withdrawQueued(b.id);
    await this.audit.record({ staffId: staff.id, action: 'broadcast_cancelled', detail: { broadcast: b.id, withdrawn } });
    return { broadcast: cancelled, withdrawn };
  }

  private languages(): string[] {
    return this.content.languages.map((l) => l.code);
  }
}
