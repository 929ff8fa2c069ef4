/** Turns a simulator reply into what a phone would show (or, on a call, what she would hear), for the terminal chat. */
export type ChatChannel = 'sms' | 'telegram' | 'voice';

interface Reply {
  delivered: boolean;
  /** each SMS as sent, with its encoding and segment count (src/channels/simulator/simulator.renderer.ts). */
  sms: { text: string; encoding: string; segments: number }[];
  telegram: { text: string; buttons: { label: string; data: string }[] }[];
}

export function formatReply(body: unknown, channel: ChatChannel): string {
  const reply = body as Reply;
  if (!reply.delivered) return '(nothing is sent: this number has opted out — send START to resume)';
  if (channel === 'sms') return reply.sms.map((sms) => `${indent(sms.text)}\n    (${cost(sms)})`).join('\n');
  return reply.telegram
    .map((m) => [indent(stripHtml(m.text)), ...m.buttons.map((b) => `    [ ${stripHtml(b.label)} ]`)].join('\n'))
    .join('\n');
}

/** An answer of the keypad phone (POST /simulator/calls, src/channels/simulator/simulator-calls.controller.ts). */
interface CallReply {
  heard: { text: string; audio?: string; voice?: string }[];
  listen: 'key' | 'number' | 'none';
}

/** What she hears, one line a piece: a recording (▶, with its URL) or a text read by a voice ([fr-FR]); then what the call waits for. */
export function formatCall(body: unknown): string {
  const reply = body as CallReply;
  const lines = reply.heard.map((p) => (p.audio ? `${indent(`▶ ${p.text}`)}\n    (recording ${p.audio})` : indent(`[${p.voice ?? '?'}] ${p.text}`)));
  if (lines.length === 0) lines.push('< (silence)');
  const waits = { key: 'waits for one key', number: 'waits for a number ended by #', none: 'the call ends' }[reply.listen];
  return [...lines, `    (${waits})`].join('\n');
}

function cost(sms: Reply['sms'][number]): string {
  return `${sms.encoding}, ${sms.segments} segment${sms.segments === 1 ? '' : 's'}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `< ${line}`)
    .join('\n');
}

function stripHtml(text: string): string {
  return text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
