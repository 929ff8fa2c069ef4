import type { Output, Translate } from '../render.types';

/**
 * The Cloud API's limits (Meta, "Interactive messages"): a text message body up to 4096 characters; an
 * interactive body up to 1024; at most 3 reply buttons, titles up to 20; a list of at most 10 rows,
 * titles up to 24, descriptions up to 72, the button that opens it up to 20; ids up to 256.
 */
export const WHATSAPP_LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  id: 256,
} as const;

/** i18next key of the label of the button that opens a list ("Choose"). */
export const LIST_BUTTON_KEY = 'common:whatsapp_list_button';

/**
 * i18next context of WhatsApp's texts and labels: `<key>_whatsapp` is shown where her language has it (as
 * Telegram's `_telegram`), e.g. the question whether a short message may follow, which SMS calls an SMS.
 */
export const WHATSAPP_CONTEXT = 'whatsapp';

export interface WhatsAppButton {
  id: string;
  title: string;
}

export interface WhatsAppRow {
  id: string;
  title: string;
  /** the whole label when the title had to be cut. */
  description?: string;
}

/** One message for the Cloud API's `/messages`: plain text, reply buttons, or a list. */
export type WhatsAppMessage =
  | { type: 'text'; text: string }
  | { type: 'buttons'; text: string; buttons: WhatsAppButton[] }
  | { type: 'list'; text: string; button: string; rows: WhatsAppRow[] }
  /** listen mode (whatsapp-audio.ts): the OGG/Opus recording served at `voice` (`/audio/<sha256>.ogg`), no text. */
  | { type: 'audio'; text: ''; voice: string };

/**
 * A tap comes back with the id of the button or row: `q<question>:<choiceId>`, so a tap on an old
 * message is recognised as stale instead of answering the current question (as Telegram's button data).
 */
export function choiceReplyId(question: number, choiceId: string): string {
  const id = `q${question}:${choiceId}`;
  if (id.length > WHATSAPP_LIMITS.id) throw new Error(`choice id "${choiceId}" makes a WhatsApp reply id longer than ${WHATSAPP_LIMITS.id} characters`);
  return id;
}

/** Reads a reply id back; null for anything that is not ours. */
export function parseChoiceReplyId(id: string): { question: number; choice: string } | null {
  const match = /^q(\d{1,15}):([a-z0-9_]+)$/.exec(id);
  return match ? { question: Number(match[1]), choice: match[2] } : null;
}

/**
 * WhatsApp messages for engine outputs. A question with at most 3 choices whose labels all fit becomes
 * reply buttons; with more (up to 10), or a label too long for a button, a list (a cut title keeps the
 * whole label as its description, so no choice loses its meaning); past 10, numbered lines as on SMS.
 * Typed numbers and words work in every case. A text too long for one message is cut at paragraph,
 * line or word boundaries, the choices going with its last part.
 */
export function renderWhatsApp(outputs: readonly Output[], t: Translate): WhatsAppMessage[] {
  return outputs.flatMap((output) => renderOne(output, t));
}

function renderOne(output: Output, t: Translate): WhatsAppMessage[] {
  const text = t(output.text, { ...output.params, context: WHATSAPP_CONTEXT });
  const choices = (output.choices ?? []).map((c) => ({ id: choiceReplyId(output.question ?? 0, c.id), label: t(c.label, { context: WHATSAPP_CONTEXT }) }));
  if (choices.length === 0 || choices.length > WHATSAPP_LIMITS.listRows) {
    const numbered = choices.length ? `${text}\n${choices.map((c, i) => `${i + 1} ${c.label}`).join('\n')}` : text;
    return splitWhatsAppText(numbered, WHATSAPP_LIMITS.text).map((part) => ({ type: 'text', text: part }));
  }
  const parts = splitWhatsAppText(text, WHATSAPP_LIMITS.interactiveBody);
  const body = parts.pop() ?? '';
  const before: WhatsAppMessage[] = parts.map((part) => ({ type: 'text', text: part }));
  const fitsButtons = choices.length <= WHATSAPP_LIMITS.buttons && choices.every((c) => [...c.label].length <= WHATSAPP_LIMITS.buttonTitle);
  if (fitsButtons) return [...before, { type: 'buttons', text: body, buttons: choices.map((c) => ({ id: c.id, title: c.label })) }];
  const rows = choices.map((c): WhatsAppRow => {
    const title = cut(c.label, WHATSAPP_LIMITS.rowTitle);
    return title === c.label ? { id: c.id, title } : { id: c.id, title, description: cut(c.label, WHATSAPP_LIMITS.rowDescription) };
  });
  return [...before, { type: 'list', text: body, button: cut(t(LIST_BUTTON_KEY), WHATSAPP_LIMITS.listButton), rows }];
}

/** Cuts to `max` characters (code points), ending with '…' when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Parts of at most `max` characters: cut at paragraphs, then lines, then words, then anywhere. */
export function splitWhatsAppText(raw: string, max: number): string[] {
  const text = raw.trim();
  if ([...text].length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const at = lastBoundary(head);
    parts.push(head.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts.filter((p) => p.length > 0);
}

function lastBoundary(head: string): number {
  for (const sep of ['\n\n', '\n', ' ']) {
    const i = head.lastIndexOf(sep);
    if (i > head.length / 3) return i;
  }
  return head.length;
}
