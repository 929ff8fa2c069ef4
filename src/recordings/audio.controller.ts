import { Controller, Get, Headers, HttpCode, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RecordingsRepository } from './recordings.repository';

const FILE = /^([0-9a-f]{64})\.(mp3|ogg)$/;
const TYPES = { mp3: 'audio/mpeg', ogg: 'audio/ogg' } as const;

/**
 * `GET /audio/<sha256>.<mp3|ogg>`: a recorded prompt, by the hash of its bytes. The path says nothing
 * about a contact and never changes meaning, so it is cached for a year; Twilio, Telegram, WhatsApp and
 * the staff page's player fetch it here. Every web process serves the same files (they are in PostgreSQL).
 */
@Controller('audio')
export class AudioController {
  constructor(@Inject(RecordingsRepository) private readonly repository: RecordingsRepository) {}

  @Get(':file')
  @HttpCode(200)
  async file(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const match = FILE.exec(file);
    if (!match) throw new NotFoundException('no such audio');
    const [, sha, format] = match;
    const etag = `"${sha}"`;
    const audio = await this.repository.audio(sha);
    if (!audio || audio.contentType !== TYPES[format as keyof typeof TYPES]) throw new NotFoundException('no such audio');
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', audio.contentType);
    res.setHeader('Content-Length', String(audio.bytes.length));
    res.status(200).end(audio.bytes);
  }
}
