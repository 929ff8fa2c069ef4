import { conversationIds } from './telegram.forgetter';

describe('the message ids of a private chat, guessed from the bot own ones', () => {
  it('covers her first message before the bot answer, every id between, and her last answer after', () => {
    expect(conversationIds([11, 13, 14], 100)).toEqual([16, 15, 14, 13, 12, 11, 10]);
  });

  it('never goes below id 1', () => {
    expect(conversationIds([1, 2], 100)).toEqual([4, 3, 2, 1]);
  });

  it('is capped, newest first, so what she wrote last goes first', () => {
    expect(conversationIds([100, 500], 3)).toEqual([502, 501, 500]);
  });

  it('is empty when the bot sent nothing within the window', () => {
    expect(conversationIds([], 100)).toEqual([]);
  });
});
