import { normaliseWebhook } from './whatsapp.normaliser';
import { classifyWhatsAppAnswer, graphPayload } from './whatsapp.sender';
import { verifyTokenMatches, whatsappSignature, whatsappSignatureMatches } from './whatsapp-signature';

const PHONE_ID = '106540352242922';
const value = (v: Record<string, unknown>, phoneNumberId = PHONE_ID) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: phoneNumberId }, ...v } }] }],
});
const message = (m: Record<string, unknown>) => value({ messages: [{ from: '22370000001', id: 'wamid.A1', timestamp: '1700000000', ...m }] });

describe('normaliseWebhook', () => {
  it('reads a text, a button reply, a list reply and a voice note', () => {
    expect(normaliseWebhook(message({ type: 'text', text: { body: 'Bonjour' } }), PHONE_ID, 5)).toEqual([
      { kind: 'input', messageId: 'wamid.A1', from: '22370000001', input: { kind: 'text', text: 'Bonjour' }, receivedAt: 1_700_000_000_000 },
    ]);
    const tap = normaliseWebhook(message({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'q4:fr', title: 'Français' } } }), PHONE_ID, 5);
    expect(tap[0]).toMatchObject({ kind: 'input', input: { kind: 'choice', question: 4, choice: 'fr' } });
    const row = normaliseWebhook(message({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'q9:help', title: 'Aide' } } }), PHONE_ID, 5);
    expect(row[0]).toMatchObject({ kind: 'input', input: { kind: 'choice', question: 9, choice: 'help' } });
    expect(normaliseWebhook(message({ type: 'audio', audio: { id: '1', voice: true } }), PHONE_ID, 5)[0]).toMatchObject({ kind: 'unreadable' });
  });

  it('reads a tap whose id is not ours as "the question again"', () => {
    const tap = normaliseWebhook(message({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'other', title: 'x' } } }), PHONE_ID, 5);
    expect(tap[0]).toMatchObject({ kind: 'input', input: { kind: 'keypad', key: 'repeat' } });
  });

  it('maps statuses (read, and played for a voice message, count as delivered) with the error code of a failure', () => {
    const body = value({
      statuses: [
        { id: 'wamid.B', status: 'read', recipient_id: '22370000001' },
        { id: 'wamid.D', status: 'played', recipient_id: '22370000001' },
        { id: 'wamid.C', status: 'failed', recipient_id: '22370000001', errors: [{ code: 131047, title: 'Re-engagement message' }] },
      ],
    });
    expect(normaliseWebhook(body, PHONE_ID, 5)).toEqual([
      { kind: 'status', providerId: 'wamid.B', status: 'delivered' },
      { kind: 'status', providerId: 'wamid.D', status: 'delivered' },
      { kind: 'status', providerId: 'wamid.C', status: 'failed', errorCode: '131047' },
    ]);
  });

  it('ignores another phone number, reactions, malformed bodies and bad sender ids', () => {
    expect(normaliseWebhook(value({ messages: [{ from: '22370000001', id: 'wamid.A', type: 'text', text: { body: 'x' } }] }, '999999'), PHONE_ID, 5)).toEqual([]);
    expect(normaliseWebhook(message({ type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }), PHONE_ID, 5)).toEqual([]);
    expect(normaliseWebhook(message({ from: '+223 70', type: 'text', text: { body: 'x' } }), PHONE_ID, 5)).toEqual([]);
    for (const junk of [null, [], 'x', { object: 'page' }, { object: 'whatsapp_business_account', entry: [null, { changes: 'x' }] }]) {
      expect(normaliseWebhook(junk, PHONE_ID, 5)).toEqual([]);
    }
  });
});

describe('the signature and the verify token', () => {
  it('accepts only the HMAC of the exact bytes under the app secret', () => {
    const raw = Buffer.from('{"a":1}');
    const header = whatsappSignature('secret', raw);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(whatsappSignatureMatches('secret', raw, header)).toBe(true);
    expect(whatsappSignatureMatches('secret', Buffer.from('{"a": 1}'), header)).toBe(false);
    expect(whatsappSignatureMatches('other', raw, header)).toBe(false);
    expect(whatsappSignatureMatches(undefined, raw, header)).toBe(false);
    expect(whatsappSignatureMatches('secret', undefined, header)).toBe(false);
    expect(whatsappSignatureMatches('secret', raw, header.toUpperCase())).toBe(false);
  });

  it('compares the verify token whole', () => {
    expect(verifyTokenMatches('token-1234567890', 'token-1234567890')).toBe(true);
    expect(verifyTokenMatches('token-1234567890', 'token-123456789')).toBe(false);
    expect(verifyTokenMatches(undefined, 'x')).toBe(false);
  });
});

describe('the Graph API answers', () => {
  it('takes a wamid as sent; 429 and throughput codes as retryable with Retry-After; 131047 as permanent', () => {
    expect(classifyWhatsAppAnswer({ status: 200, body: { messages: [{ id: 'wamid.X' }] } })).toBeNull();
    expect(classifyWhatsAppAnswer({ status: 429, retryAfterMs: 2000, body: { error: { code: 130429 } } })).toMatchObject({ kind: 'retryable', code: '130429', retryAfterMs: 2000 });
    expect(classifyWhatsAppAnswer({ status: 400, body: { error: { code: 131056 } } })).toMatchObject({ kind: 'retryable' });
    expect(classifyWhatsAppAnswer({ status: 503, body: {} })).toMatchObject({ kind: 'retryable', code: '503' });
    expect(classifyWhatsAppAnswer({ status: 400, body: { error: { code: 131047 } } })).toMatchObject({ kind: 'permanent', code: '131047' });
    expect(classifyWhatsAppAnswer({ status: 200, body: {} })).toMatchObject({ kind: 'ambiguous' });
  });

  it('builds reply buttons and lists as the Cloud API expects them', () => {
    expect(graphPayload('22370000001', { type: 'buttons', text: 'Q', buttons: [{ id: 'q1:a', title: 'A' }] })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '22370000001',
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Q' }, action: { buttons: [{ type: 'reply', reply: { id: 'q1:a', title: 'A' } }] } },
    });
    expect(graphPayload('22370000001', { type: 'list', text: 'Q', button: 'Choisir', rows: [{ id: 'q1:a', title: 'A' }] })).toMatchObject({
      interactive: { type: 'list', action: { button: 'Choisir', sections: [{ rows: [{ id: 'q1:a', title: 'A' }] }] } },
    });
  });
});
