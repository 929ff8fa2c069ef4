import type { Config } from '../config/config';
import type { Contact } from '../contacts/contact';
import type { ContactsRepository } from '../contacts/contacts.repository';
import type { InboundMessage } from '../conversations/inbound-message';
import { SubscriptionTurns } from './subscription-turns';
import type { SubscriptionState, SubscriptionsRepository } from './subscriptions.repository';

/** The facts the news flow reads (flows/news.yaml), per channel and state: what decides the wording and the offer. */
function turnsWith(state: SubscriptionState): SubscriptionTurns {
  const repo = { stateOf: async () => state } as unknown as SubscriptionsRepository;
  const config = { subscriptions: { months: 6, renewalGraceDays: 14, maxPerMonth: 2 } } as Config;
  return new SubscriptionTurns(repo, {} as ContactsRepository, config, { now: () => 0 });
}

const NONE: SubscriptionState = { topics: [], renewalPending: false, discreet: false };
const contact = (channel: Contact['channel']) => ({ id: 'c1', channel }) as Contact;
const msg = (channel: InboundMessage['channel']) => ({ channel, address: 'x', providerMessageId: 'm', input: { kind: 'text', text: 'hi' }, receivedAt: 0 }) as InboundMessage;

describe('SubscriptionTurns facts', () => {
  it('by SMS: offered, the SMS wording, the figures her consent states', async () => {
    expect(await turnsWith(NONE).facts({ contact: contact('sms'), msg: msg('sms') })).toEqual({ news: 'yes', news_sms: 'yes', news_max: '2', news_months: '6' });
  });

  it.each(['telegram', 'whatsapp'] as const)('on %s: offered, never the SMS wording', async (channel) => {
    expect(await turnsWith(NONE).facts({ contact: contact(channel), msg: msg(channel) })).toEqual({ news: 'yes', news_max: '2', news_months: '6' });
  });

  it('by phone: nothing offered (a voice subscription needs its own opt-in)', async () => {
    expect(await turnsWith(NONE).facts({ contact: contact('voice'), msg: msg('voice') })).toEqual({});
  });

  it('her topics, a pending keep-it question and discreet mode', async () => {
    const facts = await turnsWith({ topics: ['testimony'], renewalPending: true, discreet: true }).facts({ contact: contact('sms'), msg: msg('sms') });
    expect(facts).toMatchObject({ news_testimony: 'yes', news_subscribed: 'yes', news_renewal: 'yes', discreet: 'yes' });
    expect(facts.news_reparations).toBeUndefined();
  });
});
