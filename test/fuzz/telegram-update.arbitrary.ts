import fc from 'fast-check';
import { callbackUpdate, contactUpdate, newUpdateId, stickerUpdate, textUpdate } from '../telegram/telegram-updates';
import { hostileText, wrongType } from './hostile.arbitraries';
import { optsOut } from './twilio-form.arbitrary';

/** One hostile update, and the private chat whose conversation is checked after it. */
export interface TelegramCase {
  chatId: number;
  update: unknown;
}

type Shape = 'text' | 'callback_data' | 'contact' | 'contact_wrong_type' | 'sticker' | 'wrong_field_type' | 'unknown_kind' | 'no_message' | 'garbage_update';

let nextChat = 0;
/** a private chat of its own for every case. */
const caseChat = () => 500_000_000 + nextChat++;

/** Sets `path` (dot-separated) of a copy of `update` to `value`. */
function withField(update: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(update);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

const FIELDS = ['message.text', 'message.chat.id', 'message.chat.type', 'message.from', 'message.from.id', 'message.entities', 'message.date', 'message.chat', 'message'];

export const telegramCase: fc.Arbitrary<TelegramCase> = fc
  .record({
    text: hostileText.filter((t) => !optsOut(t)),
    shape: fc.constantFrom<Shape>('text', 'callback_data', 'contact', 'contact_wrong_type', 'sticker', 'wrong_field_type', 'unknown_kind', 'no_message', 'garbage_update'),
    field: fc.constantFrom(...FIELDS),
    value: wrongType,
    kind: fc.string({ maxLength: 12 }),
  })
  .map(({ text, shape, field, value, kind }) => {
    const chatId = caseChat();
    const base = textUpdate(chatId, text) as unknown as Record<string, unknown>;
    const update = (() => {
      switch (shape) {
        case 'text':
          return base;
        case 'callback_data':
          return callbackUpdate(chatId, text.slice(0, 300));
        case 'contact':
          return contactUpdate(chatId, text.slice(0, 100), chatId);
        case 'contact_wrong_type':
          return withField(contactUpdate(chatId, '', chatId) as unknown as Record<string, unknown>, 'message.contact.phone_number', value);
        case 'sticker':
          return stickerUpdate(chatId);
        case 'wrong_field_type':
          return withField(base, field, value);
        case 'unknown_kind':
          return { update_id: newUpdateId(), [kind || 'x']: value };
        case 'no_message':
          return { update_id: newUpdateId() };
        case 'garbage_update':
          return { ...base, message: value };
      }
    })();
    return { chatId, update };
  });
