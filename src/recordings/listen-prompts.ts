/**
 * Which recordings a listen-mode reply says, on every chat channel (Telegram, WhatsApp, the simulator's
 * phones; issue 25). Pure: the playable catalogue and the channel's wording come in as data, the
 * channels only translate the result into their own voice messages.
 *
 * She cannot read, so a menu is said whole: its text, then each choice's label followed by the "press N"
 * clip (`voice:press.N`, N the number SMS shows and she may type; the phone channel says choices the same
 * way, src/channels/voice/voice-prompt.ts). Only recordings in her own language at the gate status are
 * said (the catalogue holds nothing else): a text or a label without one goes as text or button alone,
 * never in another language's voice; a label without its number clip is said alone.
 */
import { createHash } from 'node:crypto';
import type { Output } from '../engine/engine.types';
import type { PlayableAudio } from './recordings.service';

/**
 * A voice message's longest length: at 32 kb/s, 120 s of OGG/Opus is about 480 kB, under the 512 kB up to
 * which WhatsApp shows a voice message's play button rather than a download icon (Meta, "Audio messages").
 * A longer reply is said in several voice messages, cut between a text and a choice, never inside one.
 */
export const MAX_VOICE_MESSAGE_MS = 120_000;

/** The key her chat shows for a text: a channel's variant of it where her language has one (i18next context). */
export type ShownKey = (key: string) => string;

/** The "press N" clip said after a choice's label; none past 9 (the phone keypad's digits). */
export function pressKey(n: number): string | undefined {
  return n >= 0 && n <= 9 ? `voice:press.${n}` : undefined;
}

/**
 * The recordings a reply says, grouped into voice messages (each group becomes one), in order. A recording
 * says its key's text as shown in her chat (`shown`: a channel variant is another text, and is said only
 * when it is recorded itself); a text with a variable part is never recorded whole, so a catalogue hit
 * always says the text as she reads it.
 */
export function listenPrompts(
  outputs: readonly Output[],
  language: string,
  catalogue: ReadonlyMap<string, PlayableAudio>,
  shown: ShownKey = (key) => key,
  maxMs = MAX_VOICE_MESSAGE_MS,
): PlayableAudio[][] {
  const said = (key: string | undefined) => (key === undefined ? undefined : catalogue.get(`${language}|${shown(key)}`));
  const units: PlayableAudio[][] = [];
  for (const output of outputs) {
    const text = said(output.text);
    if (text) units.push([text]);
    (output.choices ?? []).forEach((choice, i) => {
      const label = said(choice.label);
      if (!label) return;
      const press = said(pressKey(i + 1));
      units.push(press ? [label, press] : [label]);
    });
  }
  return inMessages(units, maxMs);
}

/** Units (a text, or a label and its number) packed in order into groups of at most `maxMs`. */
function inMessages(units: PlayableAudio[][], maxMs: number): PlayableAudio[][] {
  const groups: PlayableAudio[][] = [];
  let length = 0;
  for (const unit of units) {
    const ms = unit.reduce((sum, part) => sum + part.durationMs, 0);
    const last = groups.at(-1);
    if (last && length + ms <= maxMs) {
      last.push(...unit);
      length += ms;
    } else {
      groups.push([...unit]);
      length = ms;
    }
  }
  return groups;
}

const OGG_PATH = /^\/audio\/([0-9a-f]{64})\.ogg$/;

/** The SHA-256 in a voice path `/audio/<sha256>.ogg`, or undefined. */
export function voiceSha(voicePath: string): string | undefined {
  return OGG_PATH.exec(voicePath)?.[1];
}

/**
 * The name of the voice message joining these recordings (by their voice files' SHA-256, in order): the
 * same parts always name the same file, so it is made once (audio_files, `joined_from`).
 */
export function joinedVoiceKey(partShas: readonly string[]): string {
  return createHash('sha256').update(`sira-joined-voice-v1\n${partShas.join('\n')}`).digest('hex');
}
