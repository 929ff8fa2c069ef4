import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { VoiceCalls, type VoiceAnswer } from '../voice/voice-calls.service';
import type { VoiceListen } from '../voice/voice-prompt';
import { simulatorCallSchema, type SimulatorCallRequest } from './simulator-call.dto';

/** One piece of a prompt as the simulator shows it: its text, and its recording when it is played. */
export interface SimulatorHeard {
  text: string;
  /** a recording's URL on this service (`/audio/<sha256>.mp3`); absent when the text is read by a voice. */
  audio?: string;
  /** the provider voice that reads it (`fr-FR`), when it is not a recording. */
  voice?: string;
}

/** What the keypad phone is answered: what she hears, and what to send back with the next keys. */
export interface SimulatorCallReply {
  heard: SimulatorHeard[];
  listen: VoiceListen;
  /** null: the call has ended. */
  next: { id: string; step: number; listening: Exclude<VoiceListen, 'none'>; silences: number } | null;
}

/**
 * Development only: the simulator's keypad phone (the page's and `npm run chat -- --channel voice`).
 * A call runs through the voice channel exactly as a provider's would (VoiceCalls: de-dup on call id +
 * step, the contact's lock, the session; channel `voice`), with no provider: the state Twilio keeps in
 * the signed action URL travels in `next`.
 */
@Controller('simulator/calls')
export class SimulatorCallsController {
  constructor(
    @Inject(VoiceCalls) private readonly calls: VoiceCalls,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(200)
  async press(@Body() body: unknown): Promise<SimulatorCallReply> {
    const request = parse(body);
    const call = request.call ?? { id: `SIM${randomBytes(16).toString('hex')}`, step: 0, listening: 'key' as const, silences: 0 };
    const answer = await this.calls.answer({
      callId: call.id,
      step: call.step,
      from: simulatedNumber(request.from),
      provider: 'simulator',
      digits: request.call ? request.digits : undefined,
      listening: call.listening,
      silences: call.silences,
    });
    return simulatorCallReply(answer, call, this.config.http.publicBaseUrl);
  }
}

/**
 * The caller's number: a number typed as the identity is used as it is (as the SMS phone does); any other
 * identity gets a fictitious one, the same every time, under +999 (a country code no phone has).
 */
export function simulatedNumber(from: string): string {
  if (/^\+\d{6,15}$/.test(from)) return from;
  const digits = BigInt(`0x${createHash('sha256').update(from).digest('hex').slice(0, 15)}`) % 10n ** 12n;
  return `+999${digits.toString().padStart(12, '0')}`;
}

export function simulatorCallReply(answer: VoiceAnswer, call: { id: string; step: number }, publicBaseUrl: string): SimulatorCallReply {
  const { pieces, listen } = answer.prompt;
  return {
    heard: pieces.map((p) => ('play' in p ? { text: p.text ?? '', audio: sameOrigin(p.play, publicBaseUrl) } : { text: p.say, voice: p.language })),
    listen,
    next: listen === 'none' ? null : { id: call.id, step: call.step + 1, listening: listen, silences: answer.silences },
  };
}

/** Recordings are served by this service: the page plays them from its own origin (CSP media-src 'self'). */
function sameOrigin(url: string, publicBaseUrl: string): string {
  return url.startsWith(`${publicBaseUrl}/`) ? url.slice(publicBaseUrl.length) : url;
}

function parse(body: unknown): SimulatorCallRequest {
  const parsed = simulatorCallSchema.safeParse(body);
  if (!parsed.success) {
    // name the fields that are wrong, never echo what was sent
    const fields = parsed.error.issues.map((i) => i.path.join('.') || i.message);
    throw new BadRequestException(`invalid call: ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}
