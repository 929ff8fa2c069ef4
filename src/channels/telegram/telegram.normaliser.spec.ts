import type { Update } from 'grammy/types';
import { normaliseUpdate } from './telegram.normaliser';

const NOW = 1_750_000_000_000;
const user = { id: 42, is_bot: false, first_name: 'A' };
const privateChat = { id: 42, type: 'private', first_name: 'A' };
const msg = (extra: object, chat: object = privateChat) => ({ message_id: 1, date: 1_700_000_000, chat, from: user, ...extra });
const norm = (u: object) => normaliseUpdate({ update_id: 9, ...u } as Update, NOW);

describe('normaliseUpdate', () => {
  it('turns text into a text input addressed to the chat id, keyed by update_id', () => {
    expect(norm({ message: msg({ text: 'Bonjour' }) })).toEqual({
      kind: 'input', updateId: 9, chatId: '42', input: { kind: 'text', text: 'Bonjour' }, receivedAt: 1_700_000_000_000,
    });
  });

  it('turns /start (with or without the bot name or a payload) into a new conversation', () => {
    for (const text of ['/start', '/start@sira_bot', '/start abc']) {
      expect(norm({ message: msg({ text }) })).toMatchObject({ kind: 'input', input: { kind: 'start' } });
    }
  });

  it('reads other commands as the words she could type', () => {
    expect(norm({ message: msg({ text: '/stop' }) })).toMatchObject({ input: { kind: 'text', text: 'stop' } });
    expect(norm({ message: msg({ text: '/aide@sira_bot' }) })).toMatchObject({ input: { kind: 'text', text: 'aide' } });
  });

  it('turns a button tap into a choice tied to its question, and keeps the query id to answer', () => {
    const update = { callback_query: { id: 'cq1', from: user, chat_instance: 'x', data: 'q3:reparations', message: msg({ text: '…' }) } };
    expect(norm(update)).toEqual({
      kind: 'input', updateId: 9, chatId: '42', input: { kind: 'choice', question: 3, choice: 'reparations' }, receivedAt: NOW, callbackQueryId: 'cq1',
    });
  });

  it('ignores, but still answers, a tap whose data is not ours', () => {
    const update = { callback_query: { id: 'cq2', from: user, chat_instance: 'x', data: 'hello', message: msg({ text: '…' }) } };
    expect(norm(update)).toEqual({ kind: 'ignored', callbackQueryId: 'cq2' });
  });

  it('accepts a shared contact only when it is her own card', () => {
    const own = { contact: { phone_number: '+22370000001', first_name: 'A', user_id: 42 } };
    const other = { contact: { phone_number: '+22370000002', first_name: 'B', user_id: 43 } };
    const anonymous = { contact: { phone_number: '+22370000003', first_name: 'C' } };
    expect(norm({ message: msg(own) })).toMatchObject({ kind: 'input', input: { kind: 'text', text: '+22370000001' } });
    expect(norm({ message: msg(other) })).toMatchObject({ kind: 'unsupported' });
    expect(norm({ message: msg(anonymous) })).toMatchObject({ kind: 'unsupported' });
  });

  it('answers stickers, photos, voice notes and edits with the hint', () => {
    expect(norm({ message: msg({ sticker: { file_id: 'f' } }) })).toMatchObject({ kind: 'unsupported', chatId: '42' });
    expect(norm({ message: msg({ photo: [] }) })).toMatchObject({ kind: 'unsupported' });
    expect(norm({ message: msg({ voice: { file_id: 'v' } }) })).toMatchObject({ kind: 'unsupported', voiceNote: true });
    expect(norm({ message: msg({ audio: { file_id: 'a' } }) })).toMatchObject({ kind: 'unsupported', voiceNote: true });
    // only a voice note or an audio file may lead to the offer of listen mode, never a photo
    expect(norm({ message: msg({ photo: [] }) })).not.toHaveProperty('voiceNote');
    expect(norm({ edited_message: msg({ text: 'x', edit_date: 1_700_000_100 }) })).toMatchObject({ kind: 'unsupported' });
  });

  it('sees groups, supergroups and channels as places to leave', () => {
    const group = { id: -100123, type: 'supergroup', title: 'G' };
    expect(norm({ message: msg({ text: 'hi' }, group) })).toEqual({ kind: 'group', updateId: 9, chatId: '-100123' });
    const added = { chat: group, from: user, date: 1, old_chat_member: { status: 'left', user }, new_chat_member: { status: 'member', user } };
    expect(norm({ my_chat_member: added })).toMatchObject({ kind: 'group' });
    expect(norm({ channel_post: msg({ text: 'x' }, { id: -100999, type: 'channel', title: 'C' }) })).toMatchObject({ kind: 'group' });
  });

  it('reads my_chat_member in her private chat as a block or an unblock', () => {
    const change = (status: string) => ({ chat: privateChat, from: user, date: 1, old_chat_member: { status: 'member', user }, new_chat_member: { status, user } });
    expect(norm({ my_chat_member: change('kicked') })).toEqual({ kind: 'blocked', chatId: '42' });
    expect(norm({ my_chat_member: change('member') })).toEqual({ kind: 'unblocked', chatId: '42' });
  });
});
