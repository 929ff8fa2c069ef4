import { Inject, Injectable } from '@nestjs/common';
import { GrammyError, InputFile, type Bot } from 'grammy';
import { SendError } from '../../outbound/outbound.types';
import { voiceSha } from '../../recordings/listen-prompts';
import { RecordingsRepository } from '../../recordings/recordings.repository';
import { TELEGRAM_BOT } from './telegram.bot';

/** How many uploaded recordings' file_ids a process remembers (a few hundred prompts per language). */
const MAX_FILE_IDS = 2000;

/**
 * Sends a recorded prompt as a Telegram voice message. The first time a recording (by its SHA-256) is
 * sent, its OGG/Opus bytes are uploaded (multipart); Telegram's file_id for it is kept and reused, and
 * dropped when Telegram refuses it (an expired or unknown file_id is a 400), the bytes then uploaded again.
 * The cache holds only hashes of Sira's own recordings and Telegram's ids for them, nothing about her.
 */
@Injectable()
export class TelegramVoice {
  private readonly fileIds = new Map<string, string>();

  constructor(
    @Inject(TELEGRAM_BOT) private readonly bot: Bot,
    @Inject(RecordingsRepository) private readonly recordings: RecordingsRepository,
  ) {}

  /** Returns Telegram's message_id. Throws what the Bot API throws (classified by the sender). */
  async send(chatId: string, audioPath: string): Promise<number> {
    const sha = voiceSha(audioPath);
    if (!sha) throw new SendError('permanent', 'no-recording');
    const known = this.fileIds.get(sha);
    if (known) {
      try {
        return (await this.bot.api.sendVoice(chatId, known)).message_id;
      } catch (err) {
        if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
        this.fileIds.delete(sha);
      }
    }
    const bytes = await this.recordings.audioBytes(sha);
    if (!bytes) throw new SendError('permanent', 'no-recording');
    const sent = await this.bot.api.sendVoice(chatId, new InputFile(bytes, 'sira.ogg'));
    if (sent.voice?.file_id) this.remember(sha, sent.voice.file_id);
    return sent.message_id;
  }

  private remember(sha: string, fileId: string): void {
    if (this.fileIds.size >= MAX_FILE_IDS) this.fileIds.delete(this.fileIds.keys().next().value!);
    this.fileIds.set(sha, fileId);
  }
}
