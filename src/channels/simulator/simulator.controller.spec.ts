import { BadRequestException, GatewayTimeoutException } from '@nestjs/common';
import type { ConversationService } from '../../conversations/conversation.service';
import type { HandleResult, InboundMessage } from '../../conversations/inbound-message';
import type { OutboundMessagesRepository } from '../../outbound/outbound-messages.repository';
import { replyRowId } from '../../outbound/outbound.service';
import { SimulatorController } from './simulator.controller';
import type { SimulatorOutbox } from './simulator.outbox';
import type { SimulatorRendering } from './simulator.renderer';

const rendering: SimulatorRendering = {
  sms: [{ text: 'Menu', encoding: 'GSM-7', segments: 1, nonGsm: [] }],
  telegram: [{ text: 'Menu', buttons: [{ label: 'Aide', data: 'q1:help' }] }],
};

/** The controller over fakes: a conversation service that queues (or not) the turn's one simulator row. */
function setUp(turn: Partial<HandleResult> & { queued?: boolean; sent?: boolean }) {
  const rows = new Set<string>();
  const kept = new Map<string, SimulatorRendering>();
  const handled: InboundMessage[] = [];
  const taken: { address: string; rowId: string; timeoutMs: number }[] = [];
  const conversations = {
    handle: async (msg: InboundMessage): Promise<HandleResult> => {
      handled.push(msg);
      const rowId = replyRowId('simulator', msg.providerMessageId, 0);
      if (turn.queued !== false) rows.add(rowId);
      if (turn.queued !== false && turn.sent !== false) kept.set(rowId, rendering);
      // outputs a caller could render: the controller must not
      return { status: 'processed', language: 'fr', outputs: [{ text: 'never:rendered' }], deliver: true, events: [], ...turn };
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

  it('waits for nothing when she has opted out or the message was a duplicate', async () => {
    for (const turn of [{ deliver: false, queued: false }, { status: 'duplicate' as const, deliver: false, queued: false }]) {
      const { controller, taken } = setUp(turn);
      const reply = await controller.receive({ from: 'sim-b', text: 'menu' });
      expect(reply).toMatchObject({ delivered: false, sms: [], telegram: [] });
      expect(taken).toEqual([]);
    }
  });

  it('answers an empty reply when the turn queued nothing', async () => {
    const { controller, taken } = setUp({ queued: false });
    await expect(controller.receive({ from: 'sim-c', start: true })).resolves.toEqual({ status: 'processed', language: 'fr', delivered: true, sms: [], telegram: [] });
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
