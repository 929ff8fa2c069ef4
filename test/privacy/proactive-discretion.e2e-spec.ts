import { eq } from 'drizzle-orm';
import type { CallbackRequest } from '../../src/callbacks/callback.types';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { OutboundService } from '../../src/outbound/outbound.service';
import { StatusSms } from '../../src/callbacks/status-sms';
import { localeText } from '../support/locale-text';
import { eventually, malianNumber, sleep } from '../sms/sms-test.helpers';
import { startPrivacyApp, type PrivacyApp } from './privacy-harness';

jest.setTimeout(120_000);

/** The whole service against the fake Twilio: what a proactive SMS may say on a phone someone else may hold. */
describe('proactive SMS: nothing a shared phone can betray', () => {
  let app: PrivacyApp;

  beforeAll(async () => {
    app = await startPrivacyApp({ label: 'proactive' });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A contact who consented and whose number is stored, as after a confirmed callback request. */
  async function consentedContact(her: string): Promise<string> {
    const contacts = app.app.get(ContactsRepository);
    const contact = await contacts.findOrCreate('sms', her, 'test');
    await contacts.giveConsent(contact.id, 'callback-2026-01', her);
    return contact.id;
  }

  it.each(['no_answer', 'unreachable'] as const)('after a %s outcome she receives only "Répondez STATUT <code> pour des nouvelles."', async (status) => {
    const her = malianNumber();
    const contactId = await consentedContact(her);
    const req = { contactId, refCode: 'K7M2QX', status, smsSafe: true, channel: 'sms', callLanguage: 'fr' } as unknown as CallbackRequest;
    expect(await app.app.get(StatusSms).afterOutcome(req)).toBe(true);
    await eventually(() => app.twilio.bodiesTo(her).length > 0, 15_000, 'status SMS');
    expect(app.twilio.bodiesTo(her)).toEqual([localeText('fr', 'callback:proactive.status').replace('{{code}}', 'K7M2QX')]);
    expect(app.twilio.bodiesTo(her)[0]).toBe('Répondez STATUT K7M2QX pour des nouvelles.');
  });

  it('refuses and counts a proactive text that says a call is planned: nothing reaches her phone, no row is written', async () => {
    const her = malianNumber();
    const contactId = await consentedContact(her);
    const outbound = app.app.get(OutboundService);
    const refusedBefore = outbound.refusedAsIndiscreet('sms');
    const ids = await outbound.enqueueProactive('sms', contactId, 'fr', [{ text: 'callback:status.no_answer', params: { code: 'K7M2QX' } }]);
    expect(ids).toEqual([]);
    expect(outbound.refusedAsIndiscreet('sms')).toBe(refusedBefore + 1);
    await sleep(1_000);
    expect(app.twilio.bodiesTo(her)).toEqual([]);
    const rows = () => app.app.get<Database>(DATABASE).select().from(outboundMessages).where(eq(outboundMessages.contactId, contactId));
    expect(await rows()).toEqual([]);
    // the same contact still gets the neutral text: the refusal is of the text, not of her
    expect(await outbound.enqueueProactive('sms', contactId, 'fr', [{ text: 'callback:proactive.status', params: { code: 'K7M2QX' } }])).toHaveLength(1);
    await eventually(() => app.twilio.bodiesTo(her).length > 0, 15_000, 'neutral SMS');
    expect(app.twilio.bodiesTo(her)).toEqual(['Répondez STATUT K7M2QX pour des nouvelles.']);
  });

  it('never writes the refused text into the logs', () => {
    expect(app.logs.text()).not.toContain('nouvel appel');
  });
});
