import { randomBytes } from 'node:crypto';
import { WHATSAPP_TEST } from '../support/app-harness';

/**
 * Webhook bodies shaped as the Cloud API posts them (Meta, "Webhooks: messages"): one entry, one change
 * of field `messages`, its value holding `metadata`, `contacts` and `messages` or `statuses`.
 */
export function randomWaId(): string {
  return `2237${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

export function newMessageId(): string {
  return `wamid.HBgL${randomBytes(24).toString('base64url')}`;
}

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: WHATSAPP_TEST.phoneNumberId }, ...value },
          },
        ],
      },
    ],
  };
}

function inbound(from: string, id: string, message: Record<string, unknown>) {
  return envelope({
    contacts: [{ profile: { name: 'Aminata' }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
}

export function textMessage(from: string, body: string, id = newMessageId()) {
  return inbound(from, id, { type: 'text', text: { body } });
}

export function buttonReply(from: string, replyId: string, title = 'x', id = newMessageId()) {
  return inbound(from, id, { type: 'interactive', context: { from: '15550783881', id: newMessageId() }, interactive: { type: 'button_reply', button_reply: { id: replyId, title } } });
}

export function listReply(from: string, replyId: string, title = 'x', id = newMessageId()) {
  return inbound(from, id, { type: 'interactive', context: { from: '15550783881', id: newMessageId() }, interactive: { type: 'list_reply', list_reply: { id: replyId, title } } });
}

export function voiceNote(from: string, id = newMessageId()) {
  return inbound(from, id, { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: randomBytes(32).toString('base64'), id: '1234567890123456', voice: true } });
}

export function statusUpdate(providerId: string, recipient: string, status: 'sent' | 'delivered' | 'read' | 'failed', errorCode?: number) {
  return envelope({
    statuses: [
      {
        id: providerId,
        status,
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: recipient,
        ...(errorCode ? { errors: [{ code: errorCode, title: 'Message undeliverable' }] } : {}),
      },
    ],
  });
}
