import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { REVIEW_LEVELS, type ReviewLevel } from '../content/review-status';
import { AudioRefused } from '../recordings/audio-transcoder';
import { audioCoverage, toRecord, untranslatedKeys } from '../recordings/recording-library';
import { RecordingInputError, RecordingsService } from '../recordings/recordings.service';
import { AuditLogRepository } from './audit-log.repository';
import { Allow, CurrentStaff, mayRecord, RECORDERS, type StaffRequest } from './staff-access';
import { StaffCsrf } from './staff-csrf';
import { formString, noStore } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { languageRecordingsPage, recordingsOverviewPage } from './views/recordings.view';

/** A take is a short spoken text; a phone's recorder writes well under this for AUDIO_MAX_SECONDS. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** What multer hands over for the `audio` field (memory storage: the bytes, never a file on disk). */
interface UploadedAudio {
  buffer: Buffer;
  size: number;
  originalname: string;
  mimetype: string;
}

/**
 * Translators record and review Sira's spoken prompts here, with no script: a file input with
 * `capture` opens the phone's recorder, an `<audio>` element plays the current take. A translator
 * works in the languages of her account, an admin in every language. Uploads and status changes
 * are audited (language, key, status; never the audio).
 */
@Controller('staff/recordings')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffRecordingsController {
  constructor(
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(CONTENT) private readonly content: LoadedContent,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @Allow(RECORDERS)
  async overview(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    const languages = this.recordings.languages().filter((l) => mayRecord(staff, l));
    const coverage = await Promise.all(languages.map(async (l) => this.coverage(l, await this.recordings.library(l))));
    noStore(res);
    res.type('html').send(recordingsOverviewPage({ staff, csrf: this.csrf.token(req, res), coverage }));
  }

  @Get(':lng')
  @Allow(RECORDERS)
  async language(@CurrentStaff() staff: StaffUser, @Param('lng') lng: string, @Query('m') m: string | undefined, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    this.check(staff, lng);
    await this.render(staff, lng, req, res, { notice: m });
  }

  @Post(':lng/upload')
  @Allow(RECORDERS)
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('audio', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } }))
  async upload(
    @CurrentStaff() staff: StaffUser,
    @Param('lng') lng: string,
    @UploadedFile() file: UploadedAudio | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: StaffRequest,
    @Res() res: Response,
  ): Promise<void> {
    this.check(staff, lng);
    const key = formString(body?.key).slice(0, 200);
    if (!file || file.size === 0) return this.refuse(staff, lng, req, res, 400, 'Choisissez un fichier audio (ou enregistrez-vous) avant d’envoyer.');
    let outcome: Awaited<ReturnType<RecordingsService['store']>>;
    try {
      outcome = await this.recordings.store(lng, key, file.buffer, staff.displayName);
    } catch (err) {
      if (!(err instanceof AudioRefused || err instanceof RecordingInputError)) throw err;
      await this.audit.record({ staffId: staff.id, action: 'recording_refused', detail: { language: lng, key, reason: err.message } });
      const reason = err instanceof AudioRefused ? `Fichier refusé : ${err.reason}` : `Refusé : ${err.message}`;
      return this.refuse(staff, lng, req, res, err instanceof AudioRefused ? 422 : 400, reason);
    }
    await this.audit.record({ staffId: staff.id, action: 'recording_uploaded', detail: { language: lng, key, outcome, status: outcome === 'unchanged' ? 'unchanged' : 'draft' } });
    res.redirect(303, `/staff/recordings/${lng}?m=${outcome}#k-${encodeURIComponent(key)}`);
  }

  @Post(':lng/status')
  @Allow(RECORDERS)
  @HttpCode(200)
  async status(@CurrentStaff() staff: StaffUser, @Param('lng') lng: string, @Body() body: Record<string, unknown>, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    this.check(staff, lng);
    const key = formString(body.key).slice(0, 200);
    const status = formString(body.status);
    if (!(REVIEW_LEVELS as readonly string[]).includes(status)) return this.refuse(staff, lng, req, res, 400, 'Statut inconnu : brouillon, relu ou vérifié (juriste).');
    const entry = (await this.recordings.library(lng)).find((e) => e.key === key);
    if (status !== 'draft' && entry?.recording && entry.recording.recordedBy === staff.displayName) {
      return this.refuse(staff, lng, req, res, 403, `Vous ne pouvez pas relire votre propre enregistrement de « ${key} » : une autre personne de la langue le relit.`);
    }
    try {
      await this.recordings.review(lng, key, status as ReviewLevel, staff.displayName);
    } catch (err) {
      if (!(err instanceof RecordingInputError)) throw err;
      return this.refuse(staff, lng, req, res, 400, `Refusé : ${err.message}`);
    }
    await this.audit.record({ staffId: staff.id, action: 'recording_reviewed', detail: { language: lng, key, status } });
    res.redirect(303, `/staff/recordings/${lng}?m=reviewed#k-${encodeURIComponent(key)}`);
  }

  /** An unknown language is not found; one that is not hers is refused (admins: every language). */
  private check(staff: StaffUser, lng: string): void {
    if (!this.recordings.languages().includes(lng)) throw new NotFoundException('no such language');
    if (!mayRecord(staff, lng)) throw new ForbiddenException('this language is not one of yours');
  }

  private coverage(lng: string, entries: Awaited<ReturnType<RecordingsService['library']>>) {
    return audioCoverage(lng, entries, this.config.content.minStatus, untranslatedKeys(this.content, lng).length);
  }

  private async refuse(staff: StaffUser, lng: string, req: StaffRequest, res: Response, status: number, problem: string): Promise<void> {
    res.status(status);
    await this.render(staff, lng, req, res, { problem });
  }

  private async render(staff: StaffUser, lng: string, req: StaffRequest, res: Response, extra: { notice?: string; problem?: string }): Promise<void> {
    const entries = await this.recordings.library(lng);
    noStore(res);
    res.type('html').send(
      languageRecordingsPage({ staff, csrf: this.csrf.token(req, res), language: lng, entries, toRecord: toRecord(entries), coverage: this.coverage(lng, entries), ...extra }),
    );
  }
}
