/**
 * Raw Telegram `Update` JSON as the Bot API posts it (field names and shapes as documented at
 * https://core.telegram.org/bots/api#update), for the tests to send over HTTP.
 */
let nextUpdateId = Math.floor(Math.random() * 1e8);
let nextMessageId = 1;

export function newUpdateId(): number {
  return nextUpdateId++;
}

export function randomChatId(): number {
  return 100_000_000 + Math.floor(Math.random() * 800_000_000);
}

const user = (id: number) => ({ id, is_bot: false, first_name: 'Aminata', language_code: 'fr' });
const privateChat = (id: number) => ({ id, type: 'private', first_name: 'Aminata' });
const now = () => Math.floor(Date.now() / 1000);

function message(chatId: number, extra: Record<string, unknown>, chat: Record<string, unknown> = privateChat(chatId)) {
  return { message_id: nextMessageId++, from: user(chatId), chat, date: now(), ...extra };
}

export function textUpdate(chatId: number, text: string, updateId = newUpdateId()) {
  const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] : undefined;
  return { update_id: updateId, message: message(chatId, { text, entities }) };
}

export function startUpdate(chatId: number, updateId = newUpdateId()) {
  return textUpdate(chatId, '/start', updateId);
}

export function callbackUpdate(chatId: number, data: string, updateId = newUpdateId()) {
  return {
    update_id: updateId,
    callback_query: {
      id: String(BigInt(chatId) * 1000n + BigInt(updateId % 1000)),
      from: user(chatId),
      message: { message_id: nextMessageId++, from: { id: 7000001, is_bot: true, first_name: 'Sira' }, chat: privateChat(chatId), date: now(), text: '…' },
      chat_instance: '-1234567890',
      data,
    },
  };
}

export function stickerUpdate(chatId: number, updateId = newUpdateId()) {
  const sticker = { file_id: 'CAACAgIAAxkBAAE', file_unique_id: 'AgADBAADO', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '🙂' };
  return { update_id: updateId, message: message(chatId, { sticker }) };
}

/** A voice note she recorded (OGG/Opus; Sira never downloads it). */
export function voiceUpdate(chatId: number, updateId = newUpdateId()) {
  const voice = { file_id: 'AwACAgQAAxkBAAIB', file_unique_id: 'AgADvQ0AAk', duration: 3, mime_type: 'audio/ogg', file_size: 9120 };
  return { update_id: updateId, message: message(chatId, { voice }) };
}

export function contactUpdate(chatId: number, phone: string, ownerId: number, updateId = newUpdateId()) {
  return { update_id: updateId, message: message(chatId, { contact: { phone_number: phone, first_name: 'Aminata', user_id: ownerId } }) };
}

export function groupTextUpdate(groupId: number, fromId: number, text: string, updateId = newUpdateId()) {
  const chat = { id: groupId, type: 'group', title: 'Famille', all_members_are_administrators: false };
  return { update_id: updateId, message: { ...message(fromId, { text }, chat) } };
}

export function myChatMemberUpdate(chatId: number, oldStatus: string, newStatus: string, updateId = newUpdateId()) {
  const bot = { id: 7000001, is_bot: true, first_name: 'Sira', username: 'sira_test_bot' };
  const member = (status: string) => (status === 'kicked' ? { status, user: bot, until_date: 0 } : { status, user: bot });
  return {
    update_id: updateId,
    my_chat_member: { chat: privateChat(chatId), from: user(chatId), date: now(), old_chat_member: member(oldStatus), new_chat_member: member(newStatus) },
  };
}
