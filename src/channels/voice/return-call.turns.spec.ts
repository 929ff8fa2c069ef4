import type { Contact } from '../../contacts/contact';
import type { InboundMessage } from '../../conversations/inbound-message';
import { ReturnCallTurns, returnCallSettlement } from './return-call.turns';
import type { ReturnCalls } from './return-calls.service';

function msg(channel: InboundMessage['channel'], address: string): InboundMessage {
  return { channel, address, providerMessageId: 'm1', input: { kind: 'text', text: 'APPEL' }, receivedAt: 0 };
}

function turns(outcome: Awaited<ReturnType<ReturnCalls['request']>> | Error) {
  const asked: string[] = [];
  const calls = { request: async (address: string) => {
    asked.push(address);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  } } as unknown as ReturnCalls;
  return { hooks: new ReturnCallTurns(calls), asked };
}

const contact = {} as Contact;

describe('return calls asked by message (voice module)', () => {
  it.each([
    ['scheduled', {}],
    ['cooldown', { text: 'listen:cooldown' }],
    ['hours', { text: 'listen:refused' }],
    ['cap', { text: 'listen:refused' }],
    ['country', { text: 'listen:refused' }],
    ['stopped', { text: 'listen:refused' }],
  ] as const)('says %s as %j (the flow\'s confirmation, or a short reason without the details)', (outcome, settlement) => {
    expect(returnCallSettlement(outcome)).toEqual(settlement);
  });

  it('offers a call only by SMS: a Telegram chat is no number, and a caller is already on the phone', async () => {
    const { hooks } = turns('scheduled');
    expect(await hooks.facts({ contact, msg: msg('sms', '+22370123456') })).toEqual({ return_calls: 'yes' });
    expect(await hooks.facts({ contact, msg: msg('telegram', '12345') })).toEqual({});
    expect(await hooks.facts({ contact, msg: msg('voice', '+22370123456') })).toEqual({});
  });

  it('asks ReturnCalls for her SMS number and settles the confirmation with the outcome', async () => {
    const { hooks, asked } = turns('cooldown');
    const out = await hooks.requested({ type: 'return_call_requested' }, { contact, blindIndex: 'x', msg: msg('sms', '+22370123456') });
    expect(asked).toEqual(['+22370123456']);
    expect(out).toEqual({ settlement: { text: 'listen:cooldown' } });
  });

  it('never says a call is coming when scheduling failed, or when the message is not an SMS', async () => {
    const failing = turns(new Error('redis down'));
    expect(await failing.hooks.requested({ type: 'return_call_requested' }, { contact, blindIndex: 'x', msg: msg('sms', '+22370123456') })).toEqual({ settlement: { text: 'listen:refused' } });
    const telegram = turns('scheduled');
    expect(await telegram.hooks.requested({ type: 'return_call_requested' }, { contact, blindIndex: 'x', msg: msg('telegram', '12345') })).toEqual({ settlement: { text: 'listen:refused' } });
    expect(telegram.asked).toEqual([]);
  });
});
