import { BadRequestException } from '@nestjs/common';
import type { Config } from '../../config/config';
import type { VoiceAnswer, VoiceCalls, VoiceTurnRequest } from '../voice/voice-calls.service';
import { SimulatorCallsController, simulatedNumber } from './simulator-calls.controller';

const BASE = 'https://sira.example.org';

/** The controller over a fake voice channel that answers each request with the next canned prompt. */
function setUp(answers: VoiceAnswer[]) {
  const requests: VoiceTurnRequest[] = [];
  const calls = {
    answer: async (request: VoiceTurnRequest) => {
      requests.push(request);
      return answers.shift()!;
    },
  } as unknown as VoiceCalls;
  const controller = new SimulatorCallsController(calls, { http: { publicBaseUrl: BASE } } as Config);
  return { controller, requests };
}

const menu: VoiceAnswer = {
  prompt: {
    pieces: [
      { play: `${BASE}/audio/${'a'.repeat(64)}.mp3`, text: 'Menu principal' },
      { say: 'Réparations', language: 'fr-FR' },
      { say: 'appuyez sur 1', language: 'fr-FR' },
    ],
    listen: 'key',
  },
  silences: 0,
};

describe('POST /simulator/calls (the keypad phone)', () => {
  it('dials: a new call at step 0 with no keys, through the voice channel, from a fictitious number', async () => {
    const { controller, requests } = setUp([menu]);
    const reply = await controller.press({ from: 'sim-voice-1' });
    expect(requests).toEqual([
      { callId: expect.stringMatching(/^SIM[0-9a-f]{32}$/), step: 0, from: simulatedNumber('sim-voice-1'), provider: 'simulator', digits: undefined, listening: 'key', silences: 0 },
    ]);
    expect(reply).toEqual({
      heard: [
        // the recording from this service's own origin, for the page's <audio> (CSP media-src 'self')
        { text: 'Menu principal', audio: `/audio/${'a'.repeat(64)}.mp3` },
        { text: 'Réparations', voice: 'fr-FR' },
        { text: 'appuyez sur 1', voice: 'fr-FR' },
      ],
      listen: 'key',
      next: { id: requests[0]!.callId, step: 1, listening: 'key', silences: 0 },
    });
  });

  it('a key press carries the call state the last answer gave (like the action URL Twilio brings back)', async () => {
    const ended: VoiceAnswer = { prompt: { pieces: [{ say: 'Au revoir.', language: 'fr-FR' }], listen: 'none' }, silences: 3 };
    const { controller, requests } = setUp([{ ...menu, silences: 2 }, ended]);
    const id = `SIM${'b'.repeat(32)}`;
    const silence = await controller.press({ from: 'sim-voice-2', call: { id, step: 4, listening: 'key', silences: 1 }, digits: '' });
    expect(requests[0]).toMatchObject({ callId: id, step: 4, digits: '', listening: 'key', silences: 1 });
    expect(silence.next).toEqual({ id, step: 5, listening: 'key', silences: 2 });
    const last = await controller.press({ from: 'sim-voice-2', call: silence.next!, digits: '' });
    expect(last).toEqual({ heard: [{ text: 'Au revoir.', voice: 'fr-FR' }], listen: 'none', next: null });
  });

  it('refuses a malformed request before any call, naming fields and echoing nothing', async () => {
    const { controller, requests } = setUp([]);
    for (const body of [
      { from: 'sim x!' },
      { from: 'sim-a', digits: '1' },
      { from: 'sim-a', call: { id: 'CA123', step: 1, listening: 'key', silences: 0 }, digits: '1' },
      { from: 'sim-a', call: { id: `SIM${'c'.repeat(32)}`, step: 1, listening: 'key', silences: 0 }, digits: '1; drop' },
    ]) {
      await expect(controller.press(body)).rejects.toBeInstanceOf(BadRequestException);
    }
    await expect(controller.press({ from: 'sim-a', digits: '4242' })).rejects.toThrow(/^invalid call: digits go with call/);
    expect(requests).toEqual([]);
  });

  it('gives each simulated identity the same fictitious number every time, under +999; a typed number stays', () => {
    expect(simulatedNumber('sim-voice-1')).toMatch(/^\+999\d{12}$/);
    expect(simulatedNumber('sim-voice-1')).toBe(simulatedNumber('sim-voice-1'));
    expect(simulatedNumber('sim-voice-1')).not.toBe(simulatedNumber('sim-voice-2'));
    expect(simulatedNumber('+22370000001')).toBe('+22370000001');
  });
});
