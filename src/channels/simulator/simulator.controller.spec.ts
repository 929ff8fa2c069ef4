import { BadRequestException, GatewayTimeoutException } from '@nestjs/common';
import type { ConversationService } from '../../conversations/conversation.service';
import type { HandleResult, InboundMessage } from '../../conversations/inbound-message';
import type { OutboundMessagesRepository } from '../../outbound/outbound-messages.repository';
import { replyRowId } from '../../outbound/outbound.service';
import type { Config } from '../../config/config';
import type { Translator } from '../../content/translator.provider';
import type { Output } from '../../engine/engine.types';
import { renderWhatsApp } from '../whatsapp/whatsapp.renderer';
import type { ContactsRepository } from '../../contacts/contacts.repository';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { PlayableAudio, RecordingsService } from '../../recordings/recordings.service';
import { ListenVoices } from '../listen-voices';
import { SimulatorListen } from './simulator-listen';
import { SimulatorController } from './simulator.controller';
import type { SimulatorOutbox } from './simulator.outbox';
import { SimulatorRenderer, type SimulatorRendering } from './simulator.renderer';

const rendering: SimulatorRendering = {
  sms: [{ text: 'Menu', encoding: 'GSM-7', segments: 1, nonGsm: [] }],
  telegram: [{ text: 'Menu', buttons: [{ label: 'Aide', data: 'q1:help' }] }],
  whatsapp: [{ type: 'buttons', text: 'Menu', buttons: [{ id: 'q1:help', title: 'Aide' }] }],
};

/** The controller over fakes: a conversation service that queues (or not) the turn's one simulator row. */
function setUp(turn: Partial<HandleResult> & { queued?: boolean; sent?: boolean; messages?: SimulatorRendering[] }) {
  const rows = new Set<string>();
  const kept = new Map<string, SimulatorRendering>();
  const handled: InboundMessage[] = [];
  const taken: { address: string; rowId: string; timeoutMs: number }[] = [];
  const conversations = {
    handle: async (msg: InboundMessage): Promise<HandleResult> => {
      handled.push(msg);
      (turn.messages ?? [rendering]).forEach((message, position) => {
        const rowId = replyRowId('simulator', msg.providerMessageId, position);
        if (turn.queued !== false) rows.add(rowId);
        if (turn.queued !== false && turn.sent !== false) kept.set(rowId, message);
      });
      // outputs a caller could render: the controller must not
      const { messages: _messages, ...rest } = turn;
      void _messages;
      return { status: 'processed', language: 'fr', outputs: [{ text: 'never:rendered' }], deliver: true, events: [], ...rest };
    },
  } as unknown as ConversationService;
  const outbox = {
    take: async (address: string, rowId: string, timeoutMs: number) => {
      taken.push({ address, rowId, timeoutMs });
      return kept.get(rowId);
    },
  } as unknown as SimulatorOutbox;
  const messages = { findById: async (id: string) => (rows.has(id) ? { id } : undefined) } as unknown as OutboundMessagesRepository;
  const controller = new SimulatorController(conversations, outbox, messages, { now: () => 1_000 } as never, { languages: [], base: 'fr' }, {} as never);
  return { controller, handled, taken };
}

describe('POST /simulator/messages', () => {
  it('answers with the reply the simulator outbound sender kept for this turn, not with what the turn returned', async () => {
    const { controller, handled, taken } = setUp({});
    const reply = await controller.receive({ from: 'sim-a', text: 'Bonjour' });
    expect(reply).toEqual({ status: 'processed', language: 'fr', delivered: true, ...rendering });
    expect(handled).toMatchObject([{ channel: 'simulator', address: 'sim-a', input: { kind: 'text', text: 'Bonjour' }, receivedAt: 1_000 }]);
    expect(taken).toEqual([{ address: 'sim-a', rowId: replyRowId('simulator', handled[0]!.providerMessageId, 0), timeoutMs: 10_000 }]);
  });

  it('in listen mode answers the recordings first, then the texts: both messages of the turn, in order', async () => {
    const voice = '/audio/' + 'a'.repeat(64) + '.ogg';
    const spoken: SimulatorRendering = { sms: [], telegram: [{ text: '', buttons: [], voice }], whatsapp: [{ type: 'audio', text: '', voice }] };
    const { controller, handled, taken } = setUp({ messages: [spoken, rendering] });
    const reply = await controller.receive({ from: 'sim-whatsapp-1', text: 'menu' });
    expect(reply.telegram).toEqual([spoken.telegram[0], rendering.telegram[0]]);
    expect(reply.whatsapp).toEqual([spoken.whatsapp[0], rendering.whatsapp[0]]);
    expect(reply.sms).toEqual(rendering.sms);
    expect(taken.map((t) => t.rowId)).toEqual([0, 1].map((i) => replyRowId('simulator', handled[0]!.providerMessageId, i)));
  });

  it('waits for nothing when she has opted out or the message was a duplicate', async () => {
    for (const turn of [{ deliver: false, queued: false }, { status: 'duplicate' as const, deliver: false, queued: false }]) {
      const { controller, taken } = setUp(turn);
      const reply = await controller.receive({ from: 'sim-b', text: 'menu' });
      expect(reply).toMatchObject({ delivered: false, sms: [], telegram: [], whatsapp: [] });
      expect(taken).toEqual([]);
    }
  });

  it('answers an empty reply when the turn queued nothing', async () => {
    const { controller, taken } = setUp({ queued: false });
    await expect(controller.receive({ from: 'sim-c', start: true })).resolves.toEqual({ status: 'processed', language: 'fr', delivered: true, sms: [], telegram: [], whatsapp: [] });
    expect(taken).toEqual([]);
  });

  it('answers 504 when the queued reply was not sent within its bounded wait', async () => {
    const { controller } = setUp({ sent: false });
    await expect(controller.receive({ from: 'sim-d', choice: { question: 1, id: 'help' } })).rejects.toBeInstanceOf(GatewayTimeoutException);
  });

  it('refuses a malformed message before any turn', async () => {
    const { controller, handled } = setUp({});
    await expect(controller.receive({ from: 'sim e!', text: 42 })).rejects.toBeInstanceOf(BadRequestException);
    expect(handled).toEqual([]);
  });
});

describe('the simulator renderer', () => {
  const words: Record<string, string> = { 'q:few': 'Deux choix', 'q:many': 'Sept choix', 'common:whatsapp_list_button': 'Choisir' };
  const translate = (key: string) => words[key] ?? key;
  const translator = { t: () => translate, sourceOf: () => 'fr' } as unknown as Translator;
  const renderer = new SimulatorRenderer(translator, { sms: { spelling: [] } } as unknown as Config);
  const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: `choix ${i + 1}` }));

  it('renders each turn as WhatsApp would too, with the WhatsApp channel renderer: reply buttons up to 3, a list past that', () => {
    const outputs: Output[] = [
      { text: 'q:few', question: 3, choices: choices(2) },
      { text: 'q:many', question: 4, choices: choices(7) },
    ];
    const rendering = renderer.render(outputs, 'fr');
    expect(rendering.whatsapp).toEqual(renderWhatsApp(outputs, translate));
    expect(rendering.whatsapp[0]).toEqual({ type: 'buttons', text: 'Deux choix', buttons: [{ id: 'q3:c1', title: 'choix 1' }, { id: 'q3:c2', title: 'choix 2' }] });
    expect(rendering.whatsapp[1]).toMatchObject({ type: 'list', text: 'Sept choix', button: 'Choisir' });
    expect(rendering.whatsapp[1]).toHaveProperty('rows.6', { id: 'q4:c7', title: 'choix 7' });
    // the SMS and Telegram renderings are still there, side by side
    expect(rendering.sms).toHaveLength(2);
    expect(rendering.telegram).toHaveLength(2);
  });
});

describe('listen mode in the simulator', () => {
  const voice = '/audio/' + 'b'.repeat(64) + '.ogg';
  const listen = (listenMode: boolean) =>
    new SimulatorListen(
      new ListenVoices(
        { findById: async () => ({ id: 'c1', listenMode }) } as unknown as ContactsRepository,
        {
          playableCatalogue: async () => new Map([['fr|menu:prompt', { voicePath: voice, durationMs: 1000 }]]),
          voiceMessage: async (parts: PlayableAudio[]) => parts[0]!.voicePath,
        } as unknown as RecordingsService,
        { has: () => false } as unknown as Translator,
      ),
    );
  const facts = (address: string, channel = 'simulator') => listen(false).facts({ msg: { channel, address } } as unknown as TurnContext);

  it("reports the Telegram and WhatsApp phones' facts, never the SMS phone's", async () => {
    await expect(facts('sim-telegram-ab12')).resolves.toEqual({ voice_messages: 'yes' });
    await expect(facts('sim-whatsapp-ab12')).resolves.toEqual({ voice_messages: 'yes', whatsapp_voice_messages: 'yes' });
    await expect(facts('sim-sms-ab12')).resolves.toEqual({});
    await expect(facts('sim-whatsapp-ab12', 'telegram')).resolves.toEqual({});
  });

  it('once she chose it, sends the recordings in her language as Telegram voice and WhatsApp audio messages', async () => {
    const outputs: Output[] = [{ text: 'menu:prompt' }, { text: 'menu:unrecorded' }];
    await expect(listen(true).spoken(outputs, 'fr', 'c1')).resolves.toEqual([
      { message: { sms: [], telegram: [{ text: '', buttons: [], voice }], whatsapp: [{ type: 'audio', text: '', voice }] } },
    ]);
    await expect(listen(true).spoken(outputs, 'bm', 'c1')).resolves.toEqual([]);
    await expect(listen(false).spoken(outputs, 'fr', 'c1')).resolves.toEqual([]);
  });
});
