import { FlashCalls } from './flash-calls';

describe('FlashCalls', () => {
  it('is off without a voice provider: nothing is scheduled', async () => {
    const flash = new FlashCalls();
    expect(flash.enabled).toBe(false);
    expect(await flash.request('+22370000000')).toBe('off');
  });

  it('hands her number to the registered taker and returns its outcome', async () => {
    const flash = new FlashCalls();
    const asked: string[] = [];
    flash.register({ request: async (address) => (asked.push(address), 'scheduled') });
    expect(await flash.request('+22370000001')).toBe('scheduled');
    expect(asked).toEqual(['+22370000001']);
    expect(() => flash.register({ request: async () => 'cooldown' })).toThrow(/already registered/);
  });
});
