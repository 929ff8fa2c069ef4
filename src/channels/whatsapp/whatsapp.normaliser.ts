import type { Input } from '../../engine/engine.types';
import type { OutboundStatus } from '../../outbound/outbound.types';
import { parseChoiceReplyId } from './whatsapp.renderer';

/**
 * What one webhook POST of the Cloud API means to Sira, decided without I/O. A POST may carry several
 * messages and statuses (Meta batches them); anything for another phone number, or of a shape we do not
 * know, is ignored rather than answered with an error Meta would only redeliver.
 */
export type WhatsAppEvent =
  /** something she typed or tapped: an input for the conversation service. */
  | { kind: 'input'; messageId: string; from: string; input: Input; receivedAt: number }
  /** a voice note, audio, image, video, document, sticker, location or contact card: never downloaded. */
  | { kind: 'unreadable'; messageId: string; from: string; receivedAt: number; voiceNote?: true }
  /** what became of a message Sira sent. */
  | { kind: 'status'; providerId: string; status: OutboundStatus; errorCode?: string };

/** `played`: a voice message was first played (Meta, "Audio messages": sent since 17 March 2026); it was delivered. */
const STATUS: Record<string, OutboundStatus> = { sent: 'sent', delivered: 'delivered', read: 'delivered', played: 'delivered', failed: 'failed' };
/** types she may send that carry nothing Sira can read; reactions and system notices are simply ignored. */
const UNREADABLE = new Set(['audio', 'voice', 'image', 'video', 'document', 'sticker', 'location', 'contacts', 'unsupported']);
/** a voice note or an audio file: may lead to the offer of listen mode (never downloaded either). */
const VOICE = new Set(['audio', 'voice']);
const WA_ID = /^\d{6,15}$/;
const MESSAGE_ID = /^[A-Za-z0-9._=+/-]{1,256}$/;

type Json = Record<string, unknown>;

export function normaliseWebhook(body: unknown, phoneNumberId: string, now: number): WhatsAppEvent[] {
  const events: WhatsAppEvent[] = [];
  if (!isObject(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) return events;
  for (const entry of body.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      const value = change.value;
      if (!isObject(value.metadata) || String(value.metadata.phone_number_id) !== phoneNumberId) continue;
      for (const message of arrayOf(value.messages)) {
        const event = fromMessage(message, now);
        if (event) events.push(event);
      }
      for (const status of arrayOf(value.statuses)) {
        const event = fromStatus(status);
        if (event) events.push(event);
      }
    }
  }
  return events;
}

function fromMessage(message: Json, now: number): WhatsAppEvent | null {
  const from = message.from;
  const messageId = message.id;
  if (typeof from !== 'string' || !WA_ID.test(from) || typeof messageId !== 'string' || !MESSAGE_ID.test(messageId)) return null;
  const seconds = Number(message.timestamp);
  const receivedAt = Number.isSafeInteger(seconds) && seconds > 0 ? seconds * 1000 : now;
  const type = String(message.type);
  const input = inputOf(type, message);
  if (input) return { kind: 'input', messageId, from, input, receivedAt };
  if (UNREADABLE.has(type)) return { kind: 'unreadable', messageId, from, receivedAt, ...(VOICE.has(type) ? { voiceNote: true as const } : {}) };
  return null;
}

function inputOf(type: string, message: Json): Input | null {
  if (type === 'text' && isObject(message.text) && typeof message.text.body === 'string') return { kind: 'text', text: message.text.body };
  if (type === 'interactive' && isObject(message.interactive)) {
    const reply = message.interactive.button_reply ?? message.interactive.list_reply;
    const parsed = isObject(reply) && typeof reply.id === 'string' ? parseChoiceReplyId(reply.id) : null;
    // a tap whose id is not ours (an old format, a forged payload): read as nothing, the question comes again
    return parsed ? { kind: 'choice', question: parsed.question, choice: parsed.choice } : { kind: 'keypad', key: 'repeat' };
  }
  // a template's quick-reply button comes back as its text
  if (type === 'button' && isObject(message.button) && typeof message.button.text === 'string') return { kind: 'text', text: message.button.text };
  return null;
}

function fromStatus(status: Json): WhatsAppEvent | null {
  const providerId = status.id;
  const mapped = STATUS[String(status.status)];
  if (typeof providerId !== 'string' || !MESSAGE_ID.test(providerId) || !mapped) return null;
  const error = arrayOf(status.errors)[0];
  const code = error && (typeof error.code === 'number' || typeof error.code === 'string') ? String(error.code) : undefined;
  return { kind: 'status', providerId, status: mapped, ...(code && /^\d{1,10}$/.test(code) ? { errorCode: code } : {}) };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
