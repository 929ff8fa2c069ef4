import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK, type Clock } from '../../common/clock';
import type { Config } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { ConversationService } from '../../conversations/conversation.service';
import type { Input, Output } from '../../engine/engine.types';
import { OutboundRegistry } from '../../conversations/outbound.registry';
import type { PlayableAudio } from '../../recordings/recordings.service';
import { RecordingsService } from '../../recordings/recordings.service';
import { essentialKeys } from '../../recordings/essential-keys';
import { readKeys } from './voice-keys';
import { apologyPrompt, piecesOf, voicePrompt, type VoiceListen, type VoicePrompt, type VoiceSpeech } from './voice-prompt';

/** One key press (or none) of a call, as any voice provider reports it. */
export interface VoiceTurnRequest {
  /** the provider's call id (Twilio CallSid). */
  callId: string;
  /** the turn's number in the call (0 when the call starts): with the call id, the de-dup key. */
  step: number;
  /** her number, E.164. Never logged. */
  from: string;
  provider: string;
  /** what she pressed; undefined at the start of the call. */
  digits?: string;
  /** what the last prompt listened for. */
  listening: VoiceListen;
  /** silences in a row before this request. */
  silences: number;
}

export interface VoiceAnswer {
  prompt: VoicePrompt;
  /** silences in a row including this request (0 after a key). */
  silences: number;
}

/**
 * The voice channel's turn, provider-neutral. Unlike SMS the turn runs inside the provider's request:
 * the next prompt *is* the answer. Replies still leave the conversation core one way, through the
 * channel's outbound port: here the port hands them to the request that is waiting for them. Same
 * de-dup (call id + step), contact lock and session as every channel; a store that does not answer in
 * VOICE_ANSWER_TIMEOUT_MS gets a short apology and the call ends, never silence.
 */
@Injectable()
export class VoiceCalls implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(VoiceCalls.name);
  /** replies of turns running in this process, by de-dup id, until their request takes them. */
  private readonly replies = new Map<string, { language: string; outputs: Output[] }>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ConversationService) private readonly conversations: ConversationService,
    @Inject(OutboundRegistry) private readonly registry: OutboundRegistry,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** a development simulator's calls with no voice provider configured: the documented defaults. */
  private get settings(): Pick<NonNullable<Config['voice']>, 'answerTimeoutMs' | 'ttsLanguages'> {
    return this.config.voice ?? { answerTimeoutMs: 8000, ttsLanguages: ['fr'] };
  }

  onModuleInit(): void {
    this.registry.register('voice', {
      deliver: async (_address, language, outputs, meta) => {
        this.replies.set(meta.providerMessageId, { language, outputs });
      },
    });
  }

  onModuleDestroy(): void {
    this.registry.unregister('voice');
  }

  async answer(request: VoiceTurnRequest): Promise<VoiceAnswer> {
    const silences = request.digits === undefined || request.digits.replace(/[^0-9*#]/g, '') ? 0 : request.silences + 1;
    const speech = await this.speech();
    if (request.digits === undefined) return { prompt: await this.turn(request, { kind: 'start' }, speech, this.opening(speech)), silences };
    const reading = readKeys(request.digits, request.listening, silences);
    if ('hangUp' in reading) return { prompt: { pieces: piecesOf(speech, this.translator.base, 'voice:goodbye'), listen: 'none' }, silences };
    return { prompt: await this.turn(request, reading.input, speech), silences };
  }

  /**
   * The opening of a return call: a phone someone else may answer hears only a neutral greeting (no name,
   * no topic) and nothing more until a key is pressed. Recorded in the base language, or read.
   */
  async greeting(): Promise<VoicePrompt> {
    const speech = await this.speech();
    return { pieces: piecesOf(speech, this.translator.base, 'voice:greeting'), listen: 'key' };
  }

  /** The start of a call: how the keypad works, in every language it can be said in. */
  private opening(speech: VoiceSpeech): (language: string) => ReturnType<typeof piecesOf> {
    return (language) => piecesOf(speech, language, 'voice:keys');
  }

  private async turn(request: VoiceTurnRequest, input: Input, speech: VoiceSpeech, opening?: (language: string) => ReturnType<typeof piecesOf>): Promise<VoicePrompt> {
    const id = `${request.callId}:${request.step}`;
    try {
      const result = await this.withinDeadline(
        this.conversations.handle({ channel: 'voice', providerMessageId: id, address: request.from, input, receivedAt: this.clock.now(), source: request.provider }),
      );
      if (result === 'timeout') return apologyPrompt(speech, this.translator.base);
      if (result.status === 'duplicate') return this.again(request, speech);
      const reply = this.replies.get(id);
      const language = reply?.language ?? result.language;
      return voicePrompt(speech, language, reply?.outputs ?? [], opening?.(language));
    } catch (err) {
      this.log.warn(`voice turn failed: ${err instanceof Error ? err.name : "error"}`);
      return apologyPrompt(speech, this.translator.base);
    } finally {
      this.replies.delete(id);
    }
  }

  /** A request the provider sent twice: the current question again (a new turn of its own). */
  private async again(request: VoiceTurnRequest, speech: VoiceSpeech): Promise<VoicePrompt> {
    if (request.step < 0) return apologyPrompt(speech, this.translator.base);
    return this.turn({ ...request, callId: `${request.callId}:again`, step: -1 - request.step }, { kind: 'keypad', key: 'repeat' }, speech);
  }

  private async withinDeadline<T>(work: Promise<T>): Promise<T | 'timeout'> {
    const deadline = new AbortController();
    try {
      return await Promise.race([work, sleep(this.settings.answerTimeoutMs, 'timeout' as const, { signal: deadline.signal })]);
    } finally {
      deadline.abort();
      work.catch(() => undefined);
    }
  }

  /** What can be heard right now: the playable recordings (at the gate status), the texts, the TTS rule. */
  async speech(): Promise<VoiceSpeech> {
    let catalogue: Map<string, PlayableAudio>;
    try {
      catalogue = await this.withinDeadline(this.recordings.playableCatalogue()).then((c) => (c === 'timeout' ? new Map() : c));
    } catch {
      catalogue = new Map();
    }
    const base = this.config.http.publicBaseUrl;
    return {
      base: this.translator.base,
      tts: this.settings.ttsLanguages,
      audio: (language, key) => {
        const found = catalogue.get(`${language}|${key}`);
        return found ? `${base}${found.phonePath}` : undefined;
      },
      t: (language) => this.translator.t(language),
      has: (language, key) => this.translator.has(language, key),
      offered: (language) => essentialKeys(language, this.translator).every((key) => catalogue.has(`${language}|${key}`)),
    };
  }
}
