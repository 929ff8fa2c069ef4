import type { CallbackQuery, Chat, ChatMemberUpdated, Message, Update } from 'grammy/types';
import type { Input } from '../../engine/engine.types';
import { parseButtonData } from './telegram.renderer';

/**
 * What one Telegram update means to Sira, decided without any I/O. The adapter then does the
 * effects: answer a button tap, hand an input to the conversation service, record a block, leave a
 * group, or send the short "use the buttons" reply. Chat ids are carried as strings (the address).
 */
export type TelegramEvent =
  /** something she said or tapped in a private chat: an input for the conversation service. */
  | { kind: 'input'; updateId: number; chatId: string; input: Input; receivedAt: number; callbackQueryId?: string }
  /** she blocked the bot (or deleted the chat): nothing may be sent until she writes again. */
  | { kind: 'blocked'; chatId: string }
  /** she unblocked the bot: not a reason to write to her; her next message is. */
  | { kind: 'unblocked'; chatId: string }
  /** the bot is in a group or channel: say once that it works in private chats, then leave. */
  | { kind: 'group'; updateId: number; chatId: string; callbackQueryId?: string }
  /** a sticker, photo, voice note, edit, someone else's contact…: a short hint, never an error. */
  | { kind: 'unsupported'; updateId: number; chatId: string; receivedAt: number; voiceNote?: true }
  /** nothing to do (a button tap that is not ours is still answered, so the client stops spinning). */
  | { kind: 'ignored'; callbackQueryId?: string };

export function normaliseUpdate(update: Update, now: number): TelegramEvent {
  try {
    return normalise(update, now);
  } catch {
    // A malformed update (found by the fuzzer: `"message": []`) is nothing to act on; a 500 would only
    // make Telegram deliver it again and again.
    return { kind: 'ignored' };
  }
}

function normalise(update: Update, now: number): TelegramEvent {
  if (update.message) return fromMessage(update.update_id, update.message);
  if (update.edited_message) return fromEdit(update.update_id, update.edited_message);
  if (update.callback_query) return fromCallback(update.update_id, update.callback_query, now);
  if (update.my_chat_member) return fromMembership(update.update_id, update.my_chat_member);
  const chat = update.channel_post?.chat ?? update.edited_channel_post?.chat;
  if (chat) return { kind: 'group', updateId: update.update_id, chatId: chatIdOf(chat) };
  return { kind: 'ignored' };
}

function fromMessage(updateId: number, message: Message): TelegramEvent {
  const chatId = chatIdOf(message.chat);
  if (!isPrivate(message.chat)) return { kind: 'group', updateId, chatId };
  const receivedAt = message.date * 1000;
  const input = messageInput(message);
  if (input) return { kind: 'input', updateId, chatId, input, receivedAt };
  // a voice note or an audio file (never downloaded): may lead to the offer of listen mode
  return { kind: 'unsupported', updateId, chatId, receivedAt, ...(message.voice || message.audio ? { voiceNote: true as const } : {}) };
}

function messageInput(message: Message): Input | null {
  if (typeof message.text === 'string') {
    const command = /^\/([a-z_]+)(@\w+)?(\s|$)/i.exec(message.text.trim());
    if (command?.[1].toLowerCase() === 'start') return { kind: 'start' };
    // other slash commands (/help, /stop, /menu) are the same words she could type.
    return { kind: 'text', text: command ? message.text.trim().slice(1).replace(/@\w+/, '') : message.text };
  }
  // A shared contact is her number only when it is her own card; someone else's number is never taken.
  const contact = message.contact;
  if (contact && message.from && contact.user_id === message.from.id && typeof contact.phone_number === 'string') return { kind: 'text', text: contact.phone_number };
  return null;
}

function fromEdit(updateId: number, message: Message): TelegramEvent {
  const chatId = chatIdOf(message.chat);
  if (!isPrivate(message.chat)) return { kind: 'group', updateId, chatId };
  // An edit is not a new answer: re-reading it could jump the conversation; ask for a new message.
  return { kind: 'unsupported', updateId, chatId, receivedAt: (message.edit_date ?? message.date) * 1000 };
}

function fromCallback(updateId: number, query: CallbackQuery, now: number): TelegramEvent {
  const callbackQueryId = query.id;
  const chat = query.message?.chat;
  if (!chat) return { kind: 'ignored', callbackQueryId };
  const chatId = chatIdOf(chat);
  if (!isPrivate(chat)) return { kind: 'group', updateId, chatId, callbackQueryId };
  const parsed = query.data ? parseButtonData(query.data) : null;
  if (!parsed) return { kind: 'ignored', callbackQueryId };
  const input: Input = { kind: 'choice', question: parsed.question, choice: parsed.choice };
  return { kind: 'input', updateId, chatId, input, receivedAt: now, callbackQueryId };
}

function fromMembership(updateId: number, change: ChatMemberUpdated): TelegramEvent {
  const chatId = chatIdOf(change.chat);
  const status = change.new_chat_member.status;
  if (!isPrivate(change.chat)) {
    return status === 'member' || status === 'administrator' ? { kind: 'group', updateId, chatId } : { kind: 'ignored' };
  }
  if (status === 'kicked' || status === 'left') return { kind: 'blocked', chatId };
  return { kind: 'unblocked', chatId };
}

function isPrivate(chat: Chat): boolean {
  return chat.type === 'private';
}

/** A chat without an integer id is malformed (throws; normaliseUpdate then ignores the update). */
function chatIdOf(chat: Chat): string {
  if (!Number.isSafeInteger(chat?.id)) throw new TypeError('malformed chat');
  return String(chat.id);
}
