import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import { SendError, type RenderedMessage, type SendResult } from '../../outbound/outbound.types';
import { RecordingsRepository } from '../../recordings/recordings.repository';
import { voiceSha } from '../../recordings/listen-prompts';
import { ListenVoices } from '../listen-voices';
import { VOICE_MESSAGES_FACT } from '../telegram/telegram-listen';
import type { WhatsAppMessage } from './whatsapp.renderer';

/**
 * Reported on WhatsApp only, next to `voice_messages`: the safety advice then says how to delete voice
 * messages in WhatsApp (safety:delete_voice_whatsapp), not in Telegram.
 */
export const WHATSAPP_VOICE_FACT = 'whatsapp_voice_messages';

/** An upload (at most a few hundred kB of OGG/Opus) that takes longer is given up and retried by the queue. */
const UPLOAD_TIMEOUT_MS = 30_000;

/** How many uploaded recordings' media ids a process remembers (a few hundred prompts per language). */
const MAX_MEDIA_IDS = 2000;

/**
 * Graph API codes, on a message naming a media id Sira uploaded, that may say the media is gone (Meta keeps
 * uploaded media 30 days): 131053 "Media upload error" (Meta: the media used in the message could not be
 * uploaded, e.g. an unsupported type) and 100 "Invalid parameter" (an unknown id). Meta documents no code
 * of its own for an expired id, so the id is dropped and the recording uploaded again, once; a second
 * refusal settles the message. Not 131052 "Media download error": that is media she sent, which Sira never
 * downloads.
 */
const MEDIA_GONE_CODES = new Set(['100', '131053']);

export type WhatsAppAudioMessage = Extract<WhatsAppMessage, { type: 'audio' }>;

/**
 * Listen mode on WhatsApp (issue 25), as on Telegram: the chat carries voice messages, so the flow may
 * offer it; once she chose it, each reply is preceded by its recordings as WhatsApp voice messages, chosen
 * and joined by the code every chat channel shares (ListenVoices, src/recordings/listen-prompts.ts).
 */
@Injectable()
@TakesPartInTurns()
export class WhatsAppListen implements TurnParticipant {
  constructor(@Inject(ListenVoices) private readonly voices: ListenVoices) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    return msg.channel === 'whatsapp' ? { [VOICE_MESSAGES_FACT]: 'yes', [WHATSAPP_VOICE_FACT]: 'yes' } : {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<WhatsAppMessage>[]> {
    return (await this.voices.voicesFor(outputs, language, contactId, 'whatsapp')).map((voice) => ({ message: whatsappVoice(voice) }));
  }
}

/** A WhatsApp audio (voice) message of the OGG/Opus audio at `voice`. */
export function whatsappVoice(voice: string): WhatsAppAudioMessage {
  return { type: 'audio', text: '', voice };
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
    const sha = voiceSha(voicePath);
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
