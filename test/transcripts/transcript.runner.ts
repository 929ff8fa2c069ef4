import { offeredChoiceFacts, parseStaffHours } from '../../src/callbacks/call-windows';
import { retentionNoticeFacts } from '../../src/callbacks/callback.settings';
/**
 * Golden transcripts: a readable script of what she sends (`>` lines) and what Sira answers
 * (`<` blocks), run through the real content loader, engine, translator and both renderers.
 *
 *   name.sms.txt       the script (its `#`, `>` and `(after …)` lines) and the SMS answers
 *   name.telegram.txt  the same script as Telegram shows it: a number that matches a button
 *                      of the last message is sent as a tap on that button, shown `> [Label]`
 *   name.whatsapp.txt  the same taps as WhatsApp shows them: reply buttons `[Label]`, or a list
 *                      (`(list: <button>)`, one `[Title]` per row, a cut title followed by the whole label)
 *
 * Lines: `# comment`, `> what she sends`, `(after 25 hours)` moves the fixed clock, `< ` starts
 * one SMS / Telegram message, two-space lines continue it, `* event` is what Sira records.
 */
import type { EngineEvent, FlowSet, Input, Output, Session } from '../../src/engine/engine.types';
import { step } from '../../src/engine/step';
import type { Translator } from '../../src/content/i18n';
import { renderSms } from '../../src/channels/sms/sms.renderer';
import { renderTelegram } from '../../src/channels/telegram/telegram.renderer';
import { renderWhatsApp, WHATSAPP_CONTEXT } from '../../src/channels/whatsapp/whatsapp.renderer';
import { settleOutputs, type Settlement } from '../../src/conversations/conversation-hooks';
import { readKeys } from '../../src/channels/voice/voice-keys';
import { voicePrompt, type VoiceListen, type VoiceSpeech } from '../../src/channels/voice/voice-prompt';

/**
 * The reference code a transcript shows for a stored callback request: the engine cannot know it;
 * the shell fills it in once the row has committed (src/callbacks), here with a fixed example.
 */
export const TRANSCRIPT_REF_CODE = 'K7M2QX';

export type ScriptLine = { kind: 'comment'; text: string } | { kind: 'send'; text: string } | { kind: 'wait'; hours: number; raw: string };

/** 15 Jan 2026, 09:00 UTC; every message she sends moves the clock one minute on. */
export const TRANSCRIPT_EPOCH = Date.UTC(2026, 0, 15, 9, 0, 0);
const WAIT = /^\(after (\d+) hours?\)$/;

export function parseScript(text: string): ScriptLine[] {
  const lines: ScriptLine[] = [];
  for (const line of text.split('\n')) {
    const wait = WAIT.exec(line.trim());
    if (line.startsWith('#')) lines.push({ kind: 'comment', text: line });
    else if (line.startsWith('> ') || line === '>') lines.push({ kind: 'send', text: line.slice(2) });
    else if (wait) lines.push({ kind: 'wait', hours: Number(wait[1]), raw: line.trim() });
  }
  return lines;
}

interface Reply {
  outputs: Output[];
  events: EngineEvent[];
  language: string | undefined;
}

type Channel = 'sms' | 'telegram' | 'voice' | 'whatsapp';

export interface Played {
  /** the transcript as the file holds it */
  transcript: string;
  /** every message body sent, as rendered for the channel (SMS text or Telegram HTML text) */
  messages: string[];
}

/**
 * The call windows and days the default staff hours offer (CALLBACK_STAFF_HOURS / _DAYS) and the default
 * retention the notices state (RETENTION_*), as the shell reports them.
 */
const OFFERED = { ...offeredChoiceFacts([parseStaffHours('08:00-18:00', '1-6')]), ...retentionNoticeFacts() };

/**
 * News subscriptions are offered on every written channel, never by phone, with the default figures
 * (BROADCAST_MAX_PER_MONTH, SUBSCRIPTION_MONTHS); by SMS the consent says "SMS" (src/broadcasts/subscription-turns.ts).
 */
const NEWS = { news: 'yes', news_max: '2', news_months: '6' };

/**
 * A script with a `# voice line: on` comment plays a deployment with a voice line (TWILIO_VOICE_NUMBERS):
 * by SMS, Sira can call her back (the voice module's fact, src/channels/voice/return-call.turns.ts);
 * never on Telegram (a chat is no number) nor in a call.
 */
const VOICE_LINE = /^# voice line: on\b/;

function factsFor(script: ScriptLine[], channel: Channel): Record<string, string> {
  const voiceLine = script.some((l) => l.kind === 'comment' && VOICE_LINE.test(l.text));
  if (channel === 'sms') return { ...OFFERED, ...NEWS, news_sms: 'yes', ...(voiceLine ? { return_calls: 'yes' } : {}) };
  // Telegram sends voice messages: listen mode is offered there (src/channels/telegram/telegram-listen.ts)
  if (channel === 'telegram') return { ...OFFERED, ...NEWS, voice_messages: 'yes' };
  // and WhatsApp, with its own voice-message deletion advice (src/channels/whatsapp/whatsapp-audio.ts)
  return channel === 'whatsapp' ? { ...OFFERED, ...NEWS, voice_messages: 'yes', whatsapp_voice_messages: 'yes' } : OFFERED;
}

/** Plays the script against the engine and writes the transcript one channel shows. */
export function playTranscript(script: ScriptLine[], flowSet: FlowSet, translator: Translator, channel: Channel): Played {
  if (channel === 'voice') return playCall(script, flowSet, translator);
  const facts = factsFor(script, channel);
  const messages: string[] = [];
  let session: Session | null = null;
  let now = TRANSCRIPT_EPOCH;
  let lastQuestion: Output | undefined;
  const out: string[] = [];
  for (const line of script) {
    if (line.kind === 'comment') out.push(line.text);
    else if (line.kind === 'wait') {
      now += line.hours * 3_600_000;
      out.push(line.raw);
    } else {
      now += 60_000;
      const t = translator.t(session?.language);
      const tap = channel === 'telegram' || channel === 'whatsapp' ? buttonFor(lastQuestion, line.text) : undefined;
      const input: Input = tap ? { kind: 'choice', question: tap.question, choice: tap.id } : { kind: 'text', text: line.text };
      // the tapped button as the channel shows it (WhatsApp: its `_whatsapp` wording where there is one)
      out.push(tap ? `> [${t(tap.label, channel === 'whatsapp' ? { context: WHATSAPP_CONTEXT } : undefined)}]` : `> ${line.text}`);
      const result = step(flowSet, session, input, { now, facts });
      session = result.session;
      const outputs = settleOutputs(result.outputs, settledLikeTheShell(result.events));
      const reply: Reply = { outputs, events: result.events, language: session.language };
      out.push(...formatReply(reply, translator, channel, messages));
      lastQuestion = [...result.outputs].reverse().find((o) => o.choices && o.choices.length > 0) ?? lastQuestion;
    }
  }
  return { transcript: out.join('\n') + '\n', messages };
}

/**
 * Every callback request "commits" with the example code, every return call is scheduled (the shell's
 * real outcomes are tested in test/callbacks, src/channels/voice and test/broadcasts).
 */
function settledLikeTheShell(events: EngineEvent[]): Map<number, Settlement> {
  const settled = new Map<number, Settlement>();
  events.forEach((e, i) => e.type === 'callback_requested' && settled.set(i, { params: { code: TRANSCRIPT_REF_CODE } }));
  events.forEach((e, i) => e.type === 'return_call_requested' && settled.set(i, {}));
  // every news subscription is stored (for the default SUBSCRIPTION_MONTHS) and every stop finds one to end
  events.forEach((e, i) => (e.type === 'news_subscribed' || e.type === 'news_renewed') && settled.set(i, { params: { months: 6 } }));
  events.forEach((e, i) => e.type === 'news_stopped' && settled.set(i, {}));
  return settled;
}

/** In Telegram she taps rather than types: "2" becomes a tap on the second button shown. */
function buttonFor(question: Output | undefined, text: string): { question: number; id: string; label: string } | undefined {
  if (!question?.choices || !/^\d+$/.test(text.trim())) return undefined;
  const choice = question.choices[Number(text.trim()) - 1];
  return choice ? { question: question.question ?? 0, id: choice.id, label: choice.label } : undefined;
}

function formatReply(reply: Reply, translator: Translator, channel: Channel, sent: string[]): string[] {
  const t = translator.t(reply.language);
  const lines: string[] = [];
  if (channel === 'sms') {
    for (const sms of renderSms(reply.outputs, t)) {
      sent.push(sms);
      lines.push(...block(sms));
    }
  } else if (channel === 'whatsapp') {
    for (const message of renderWhatsApp(reply.outputs, t)) {
      sent.push(message.text);
      lines.push(...block(message.text));
      if (message.type === 'buttons') lines.push(...message.buttons.map((b) => `  [${b.title}]`));
      if (message.type === 'list') {
        lines.push(`  (list: ${message.button})`, ...message.rows.map((r) => `  [${r.title}]${r.description ? ` ${r.description}` : ''}`));
      }
    }
  } else {
    for (const message of renderTelegram(reply.outputs, t)) {
      sent.push(message.text);
      lines.push(...block(message.text), ...message.buttons.map((b) => `  [${b.label}]`));
      // the reply-keyboard button that shares her own contact
      if (message.contactButton) lines.push(`  [☎ ${message.contactButton}]`);
    }
  }
  for (const event of reply.events) lines.push(`* ${describeEvent(event)}`);
  return lines;
}

function block(text: string): string[] {
  return text.split('\n').map((line, i) => (i === 0 ? `< ${line}` : `  ${line}`).trimEnd());
}

function describeEvent(event: EngineEvent): string {
  const { type, ...details } = event;
  const values = Object.values(details).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return values.length > 0 ? `${type}: ${values.join(' ')}` : type;
}

/**
 * The same script as a phone call with no recordings (what she hears on a new deployment): her first
 * message and each `(after …)` start a call; a line of digits, `*` or `#` is pressed on the keypad
 * (`> [2]`), anything else cannot be typed on a keypad and is shown so. `< [fr-FR]` lines are read by
 * the provider's French voice, `< ▶` lines would be recordings.
 */
function playCall(script: ScriptLine[], flowSet: FlowSet, translator: Translator): Played {
  const speech: VoiceSpeech = {
    base: translator.base,
    tts: ['fr'],
    audio: () => undefined,
    t: (lng) => translator.t(lng),
    has: (lng, key) => translator.has(lng, key),
    offered: (lng) => lng === translator.base,
  };
  const out: string[] = [];
  const said: string[] = [];
  let session: Session | null = null;
  let now = TRANSCRIPT_EPOCH;
  let listening: VoiceListen = 'none';
  for (const line of script) {
    if (line.kind === 'comment') out.push(line.text);
    else if (line.kind === 'wait') {
      now += line.hours * 3_600_000;
      out.push(line.raw);
      listening = 'none';
    } else {
      now += 60_000;
      let input: Input;
      if (listening === 'none') {
        out.push(`> (she calls)`);
        input = { kind: 'start' };
      } else if (/^[0-9*#]+$/.test(line.text.trim())) {
        out.push(`> [${line.text.trim()}]`);
        const reading = readKeys(line.text.trim(), listening, 0);
        if ('hangUp' in reading) continue;
        input = reading.input;
      } else {
        out.push(`> (not on a keypad: ${line.text})`);
        continue;
      }
      const result = step(flowSet, session, input, { now, facts: OFFERED });
      session = result.session;
      const outputs = settleOutputs(result.outputs, settledLikeTheShell(result.events));
      const prompt = voicePrompt(speech, session.language ?? translator.base, outputs);
      for (const piece of prompt.pieces) {
        const text = 'say' in piece ? `[${piece.language}] ${piece.say}` : `▶ ${piece.play}`;
        said.push(text);
        out.push(...block(text));
      }
      out.push(prompt.listen === 'none' ? '  (the call ends)' : `  (listens for ${prompt.listen === 'key' ? 'one key' : 'digits and #'})`);
      for (const event of result.events) out.push(`* ${describeEvent(event)}`);
      listening = prompt.listen;
    }
  }
  return { transcript: out.join('\n') + '\n', messages: said };
}
