import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import { SendError, type RenderedMessage, type SendResult } from '../../outbound/outbound.types';
import { RecordingsRepository } from '../../recordings/recordings.repository';
import { RecordingsService } from '../../recordings/recordings.service';
import { VOICE_MESSAGES_FACT } from '../telegram/telegram-listen';
import type { WhatsAppMessage } from './whatsapp.renderer';

/**
 * Reported on WhatsApp only, next to `voice_messages`: the safety advice then says how to delete voice
 * messages in WhatsApp (safety:delete_voice_whatsapp), not in Telegram.
 */
export const WHATSAPP_VOICE_FACT = 'whatsapp_voice_messages';

const OGG_PATH = /^\/audio\/([0-9a-f]{64})\.ogg$/;

/** An upload (at most a few hundred kB of OGG/Opus) that takes longer is given up and retried by the queue. */
const UPLOAD_TIMEOUT_MS = 30_000;

/** How many uploaded recordings' media ids a process remembers (a few hundred prompts per language). */
const MAX_MEDIA_IDS = 2000;

/**
 * Graph API codes, on a message naming a media id Sira uploaded, that say the media is gone or unusable
 * (Meta keeps uploaded media 30 days): 131053 media upload error, 131052 media download error, 100 an
 * invalid parameter (an unknown id). The id is dropped and the recording uploaded again, once.
 */
const MEDIA_GONE_CODES = new Set(['100', '131052', '131053']);

export type WhatsAppAudioMessage = Extract<WhatsAppMessage, { type: 'audio' }>;

/**
 * Listen mode on WhatsApp (issue 25), as on Telegram (telegram-listen.ts): the chat carries voice
 * messages, so the flow may offer it; once she chose it (contacts.listen_mode), each reply is preceded
 * by the recorded prompt of each of its texts, in her language only, at the gate status (the playable
 * catalogue). A text without such a recording goes as text alone: never another language's voice.
 */
@Injectable()
@TakesPartInTurns()
export class WhatsAppListen implements TurnParticipant {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
  ) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    return msg.channel === 'whatsapp' ? { [VOICE_MESSAGES_FACT]: 'yes', [WHATSAPP_VOICE_FACT]: 'yes' } : {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<WhatsAppMessage>[]> {
    if (!contactId) return [];
    const contact = await this.contacts.findById(contactId);
    if (!contact?.listenMode) return [];
    const catalogue = await this.recordings.playableCatalogue();
    const out: RenderedMessage<WhatsAppMessage>[] = [];
    for (const output of outputs) {
      // the chat's plain key: a text with a variable part is never recorded whole (RecordingsService.store)
      const audio = catalogue.get(`${language}|${output.text}`);
      if (audio) out.push({ message: { type: 'audio', text: '', voice: audio.voicePath } });
    }
    return out;
  }
}

/** The Cloud API's message object for a voice message of uploaded media. */
export function audioPayload(to: string, mediaId: string): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'audio', audio: { id: mediaId, voice: true } };
}

/**
 * Sends a recorded prompt as a WhatsApp voice message. The first time a recording (by its SHA-256) is
 * sent, its OGG/Opus bytes are uploaded (`POST {base}/{version}/{phone-number-id}/media`, multipart,
 * audio/ogg); Meta's media id is kept and reused, dropped when a message naming it is refused as gone,
 * the bytes then uploaded again. The cache holds only hashes of Sira's own recordings and Meta's ids for them.
 */
@Injectable()
export class WhatsAppAudio {
  private readonly mediaIds = new Map<string, string>();
  private readonly endpoint: string;
  private readonly token: string;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(RecordingsRepository) private readonly recordings: RecordingsRepository,
  ) {
    const whatsapp = config.whatsapp;
    if (!whatsapp) throw new Error('WhatsAppAudio needs WHATSAPP_ACCESS_TOKEN');
    this.endpoint = `${whatsapp.apiBaseUrl}/${whatsapp.apiVersion}/${whatsapp.phoneNumberId}/media`;
    this.token = whatsapp.accessToken;
  }

  /** `deliver` posts the message naming a media id (the sender's own retries and classification). */
  async send(voicePath: string, deliver: (mediaId: string) => Promise<SendResult>): Promise<SendResult> {
    const sha = OGG_PATH.exec(voicePath)?.[1];
    if (!sha) throw new SendError('permanent', 'no-recording');
    const known = this.mediaIds.get(sha);
    if (known) {
      try {
        return await deliver(known);
      } catch (err) {
        if (!(err instanceof SendError && err.kind === 'permanent' && MEDIA_GONE_CODES.has(err.code))) throw err;
        this.mediaIds.delete(sha);
      }
    }
    const mediaId = await this.upload(sha);
    this.remember(sha, mediaId);
    return deliver(mediaId);
  }

  /** Uploads the recording's OGG/Opus bytes; nothing has reached her yet, so any failure may be retried. */
  private async upload(sha: string): Promise<string> {
    const bytes = await this.recordings.audioBytes(sha);
    if (!bytes) throw new SendError('permanent', 'no-recording');
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'audio/ogg');
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/ogg' }), 'sira.ogg');
    let res: Response;
    try {
      res = await fetch(this.endpoint, { method: 'POST', headers: { authorization: `Bearer ${this.token}` }, body: form, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
    } catch {
      throw new SendError('retryable', 'media_upload_network');
    }
    const body = (await res.json().catch(() => ({}))) as { id?: unknown; error?: { code?: unknown } };
    if (res.ok && typeof body?.id === 'string' && body.id) return body.id;
    const code = Number(body?.error?.code);
    const label = `media_${Number.isSafeInteger(code) ? code : res.status}`;
    throw new SendError(res.status === 429 || res.status >= 500 ? 'retryable' : 'permanent', label);
  }

  private remember(sha: string, mediaId: string): void {
    if (this.mediaIds.size >= MAX_MEDIA_IDS) this.mediaIds.delete(this.mediaIds.keys().next().value!);
    this.mediaIds.set(sha, mediaId);
  }
}
