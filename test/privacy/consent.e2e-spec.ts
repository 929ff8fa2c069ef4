import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eq } from 'drizzle-orm';
import { callbackRequests } from '../../src/callbacks/callbacks.schema';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { OutboundService } from '../../src/outbound/outbound.service';
import { AnonymousCountsRepository, AnonymousMetric } from '../../src/privacy/anonymous-counts.repository';
import { localeText } from '../support/locale-text';
import { malianNumber, sleep } from '../sms/sms-test.helpers';
import { startPrivacyApp, type PrivacyApp } from './privacy-harness';
import { say, smsCallback } from './privacy-flows';

jest.setTimeout(120_000);

describe('consent withdrawal and "never write first"', () => {
  let app: PrivacyApp;
  let db: Database;

  beforeAll(async () => {
    app = await startPrivacyApp({ label: 'consent' });
    db = app.app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the word RETIRER ACCORD, confirmed, deletes her number and her callback request; the information stays available', async () => {
    const her = malianNumber();
    const code = await smsCallback(app, her);
    const contacts = app.app.get(ContactsRepository);
    const before = await contacts.findByAddress('sms', her);
    expect(before).toMatchObject({ consentState: 'given', hasAddress: true });

    expect((await say(app, her, 'RETIRER ACCORD')).join('\n')).toContain(localeText('fr', 'privacy:withdraw.prompt').slice(0, 30));
    expect((await say(app, her, '1')).join('\n')).toContain(localeText('fr', 'privacy:withdrawn').slice(0, 30));

    const after = await contacts.findByAddress('sms', her);
    expect(after).toMatchObject({ consentState: 'withdrawn', hasAddress: false, consentVersion: 'callback-2026-12' });
    expect(await db.select().from(callbackRequests).where(eq(callbackRequests.refCode, code))).toEqual([]);
    expect(await app.app.get(AnonymousCountsRepository).total(AnonymousMetric.ConsentWithdrawn, 'sms')).toBe(1);
    // the menu and the content still answer her
    expect((await say(app, her, '1')).join('\n')).toContain(localeText('fr', 'reparations:overview').slice(0, 30));
  });

  it('from the privacy menu she forbids Sira to write first: no proactive message is queued until she allows it again', async () => {
    const her = malianNumber();
    await smsCallback(app, her);
    const contact = (await app.app.get(ContactsRepository).findByAddress('sms', her))!;
    const outbound = app.app.get(OutboundService);
    const proactive = () => outbound.enqueueProactive('sms', contact.id, 'fr', [{ text: 'callback:proactive.status', params: { code: 'K7M2QX' } }]);

    // help (5) → privacy → "Messages de Sira" (4) → "never first" (1)
    await say(app, her, '0');
    await say(app, her, '5');
    const help = (await say(app, her, String(helpPrivacyChoice()))).join('\n');
    expect(help).toContain(localeText('fr', 'privacy:quiet.menu'));
    expect((await say(app, her, '4')).join('\n')).toContain(localeText('fr', 'privacy:quiet.prompt').slice(0, 30));
    expect((await say(app, her, '1')).join('\n')).toContain(localeText('fr', 'privacy:quiet_off').slice(0, 30));

    const sentBefore = app.twilio.bodiesTo(her).length;
    expect(await proactive()).toEqual([]);
    await sleep(500);
    expect(app.twilio.bodiesTo(her)).toHaveLength(sentBefore);

    // the word SILENCE leads to the same choice; "Oui" allows it again
    await say(app, her, 'SILENCE');
    await say(app, her, '2');
    expect((await proactive()).length).toBe(1);
  });
});

/** The position of the privacy entry in the help menu (read from the flow, not hard-coded). */
function helpPrivacyChoice(): number {
  const help = parse(readFileSync(join(__dirname, '..', '..', 'flows', 'help.yaml'), 'utf8')) as { nodes: Record<string, { type: string; choices?: { go: string }[] }> };
  const menu = Object.values(help.nodes).find((n) => n.type === 'menu' && n.choices?.some((c) => String(c.go).includes('privacy')));
  return menu!.choices!.findIndex((c) => String(c.go).includes('privacy')) + 1;
}
