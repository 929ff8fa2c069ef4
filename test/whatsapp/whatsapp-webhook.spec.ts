import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { joinedVoiceKey } from '../../src/recordings/listen-prompts';
import { RecordingsRepository } from '../../src/recordings/recordings.repository';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { writeTone } from '../recordings/test-tones';
import { OutboundMessagesRepository } from '../../src/outbound/outbound-messages.repository';
import { OutboundService } from '../../src/outbound/outbound.service';
import { OutboundJobKind } from '../../src/outbound/outbound.types';
import { WhatsAppWindow } from '../../src/channels/whatsapp/whatsapp-window';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import type { CallbackRequest } from '../../src/callbacks/callback.types';
import { StatusSms } from '../../src/callbacks/status-sms';
import { WhatsAppReachability } from '../../src/channels/whatsapp/whatsapp-reachability';
import { AnonymousCountsRepository, AnonymousMetric } from '../../src/privacy/anonymous-counts.repository';
import type { GraphMessageCall } from '../fakes/fake-whatsapp.server';
import { LogCapture, postWhatsAppWebhook, startApp, WHATSAPP_TEST, type TestApp } from '../support/app-harness';
import { localeText } from '../support/locale-text';
import { eventually, sleep } from '../telegram/telegram-harness';
import { buttonReply, listReply, newMessageId, randomWaId, statusUpdate, textMessage, voiceNote } from './whatsapp-payloads';

jest.setTimeout(60_000);

/** The status text's approved template, in French only: in English it has none. */
const TEMPLATES = JSON.stringify({ 'callback:proactive.status': { name: 'sira_status', languages: { fr: 'fr' }, params: ['code'] } });

let wa: TestApp;
const logs = new LogCapture();

beforeAll(async () => {
  wa = await startApp({ label: 'wawh', logLevel: 'debug', logs, whatsapp: true, env: { WHATSAPP_TEMPLATES: TEMPLATES } });
});

afterAll(async () => {
  await wa?.close();
});

const sent = (to: string) => wa.whatsapp!.callsTo(to);

async function post(body: unknown): Promise<void> {
  const res = await postWhatsAppWebhook(wa.url, body);
  expect(res.status).toBe(200);
}

/** Waits until `n` messages have reached her, then a little more to see that no more come. */
async function settle(to: string, n: number): Promise<GraphMessageCall[]> {
  await eventually(() => sent(to).length >= n, 10_000, `${n} messages`);
  await sleep(300);
  return sent(to);
}

/** The body text of a sent message, whatever its type. */
function textOf(call: GraphMessageCall): string {
  const p = call.params as { text?: { body: string }; interactive?: { body: { text: string } } };
  return p.text?.body ?? p.interactive?.body.text ?? '';
}

/** The reply ids and titles offered by a sent message (buttons or list rows). */
function choicesOf(call: GraphMessageCall): { id: string; title: string }[] {
  const i = (call.params as { interactive?: { type: string; action: Record<string, unknown> } }).interactive;
  if (!i) return [];
  if (i.type === 'button') return (i.action.buttons as { reply: { id: string; title: string } }[]).map((b) => b.reply);
  return (i.action.sections as { rows: { id: string; title: string }[] }[]).flatMap((s) => s.rows);
}

/** Taps the choice titled `title` on the last interactive message she got. */
function tap(to: string, title: string, at = -1): unknown {
  const interactive = sent(to).filter((c) => choicesOf(c).length > 0);
  const call = interactive.at(at)!;
  const choice = choicesOf(call).find((c) => c.title === title);
  if (!choice) throw new Error(`no choice "${title}"`);
  const type = (call.params as { interactive: { type: string } }).interactive.type;
  return type === 'button' ? buttonReply(to, choice.id, title) : listReply(to, choice.id, title);
}

describe("Meta's webhook verification", () => {
  const verify = (query: Record<string, string>) => fetch(`${wa.url}/webhooks/whatsapp?${new URLSearchParams(query)}`);

  it('echoes the challenge as text when the verify token is ours', async () => {
    const res = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': WHATSAPP_TEST.verifyToken, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': `${WHATSAPP_TEST.verifyToken}x`, 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': WHATSAPP_TEST.verifyToken, 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
  ])('answers 403 to %s', async (_what, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('1158201444');
  });
});

describe('the signature', () => {
  it.each([
    ['missing', null],
    ['of another body', 'other'],
    ['malformed', 'sha256=xyz'],
  ])('refuses a POST whose signature is %s with 403 and processes nothing', async (_what, kind) => {
    const from = randomWaId();
    const body = textMessage(from, 'Bonjour');
    const signature = kind === 'other' ? (await import('../../src/channels/whatsapp/whatsapp-signature')).whatsappSignature(WHATSAPP_TEST.appSecret, '{}') : kind;
    const res = await postWhatsAppWebhook(wa.url, body, signature);
    expect(res.status).toBe(403);
    await sleep(300);
    expect(sent(from)).toHaveLength(0);
    expect(await wa.get<ContactsRepository>(ContactsRepository).findByAddress('whatsapp', from)).toBeUndefined();
  });
});

describe('a conversation', () => {
  it('answers a text with the language list, a tap with the menu, through the Graph API with the bearer token', async () => {
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    const [first] = await settle(from, 1);
    expect(first!.version).toBe('v23.0');
    expect(first!.phoneNumberId).toBe(WHATSAPP_TEST.phoneNumberId);
    expect(first!.authorization).toBe(`Bearer ${WHATSAPP_TEST.accessToken}`);
    expect(first!.params).toMatchObject({ messaging_product: 'whatsapp', to: from, type: 'interactive' });
    expect(choicesOf(first!).map((c) => c.title)).toContain('Français');

    await post(tap(from, 'Français'));
    const all = await settle(from, 2);
    expect(textOf(all[1]!)).toBe(localeText('fr', 'menu:prompt'));
    expect(choicesOf(all[1]!).map((c) => c.title)).toContain(localeText('fr', 'menu:reparations'));
  });

  it('answers the current question again, said to be so, after a tap on an old message', async () => {
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    await settle(from, 1);
    await post(tap(from, 'Français'));
    await settle(from, 2);
    // the language list again, tapped once more: it is not the current question
    await post(tap(from, 'English', 0));
    const all = await settle(from, 4);
    expect(textOf(all[2]!)).toBe(localeText('fr', 'common:stale_button'));
    expect(textOf(all[3]!)).toBe(localeText('fr', 'menu:prompt'));
  });

  it('answers a message Meta delivers three times once', async () => {
    const from = randomWaId();
    const body = textMessage(from, 'Bonjour', newMessageId());
    const statuses = await Promise.all([1, 2, 3].map(() => postWhatsAppWebhook(wa.url, body).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await settle(from, 1)).toHaveLength(1);
    await post(body);
    await sleep(300);
    expect(sent(from)).toHaveLength(1);
  });

  it('never downloads a voice note: says Sira cannot listen to it, then the current question', async () => {
    const from = randomWaId();
    const before = wa.whatsapp!.requests.length;
    const note = voiceNote(from);
    await post(note);
    await post(note); // redelivered
    const all = await settle(from, 2);
    expect(all).toHaveLength(2);
    expect(textOf(all[0]!)).toBe(localeText('fr', 'common:cannot_listen'));
    expect(choicesOf(all[1]!).map((c) => c.title)).toContain('Français');
    expect(wa.whatsapp!.requests.slice(before).every((r) => r.method === 'POST' && r.url.pathname.endsWith('/messages'))).toBe(true);
  });
});

describe('delivery', () => {
  it('waits out a 429 with Retry-After and sends the message once', async () => {
    const from = randomWaId();
    wa.whatsapp!.failNext({ status: 429, code: 130429, retryAfter: 1 }, { to: from });
    await post(textMessage(from, 'Bonjour'));
    const [refused, accepted] = await settle(from, 2);
    expect(sent(from)).toHaveLength(2);
    expect(accepted!.params).toEqual(refused!.params);
    expect(accepted!.messageId).toBeDefined();
  });

  it('records what the statuses webhook says: sent, delivered, read, and failed with its code', async () => {
    const messages = wa.get<OutboundMessagesRepository>(OutboundMessagesRepository);
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    const [call] = await settle(from, 1);
    const wamid = call!.messageId!;
    const row = await eventually(async () => (await messages.findByProviderId('whatsapp', wamid))?.status === 'sent', 5000, 'the sent row');
    expect(row).toBe(true);
    await post(statusUpdate(wamid, from, 'delivered'));
    expect((await messages.findByProviderId('whatsapp', wamid))?.status).toBe('delivered');
    await post(statusUpdate(wamid, from, 'read'));
    expect((await messages.findByProviderId('whatsapp', wamid))?.status).toBe('delivered');

    const other = randomWaId();
    await post(textMessage(other, 'Bonjour'));
    const [second] = await settle(other, 1);
    await eventually(async () => (await messages.findByProviderId('whatsapp', second!.messageId!))?.status === 'sent', 5000, 'the sent row');
    await post(statusUpdate(second!.messageId!, other, 'failed', 131026));
    const failed = await messages.findByProviderId('whatsapp', second!.messageId!);
    expect(failed).toMatchObject({ status: 'failed', errorCode: '131026' });
  });
});

describe('the 24-hour rule', () => {
  /** She writes once (her window opens), and gets the language list. */
  async function contactWhoWrote(): Promise<{ from: string; contactId: string }> {
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    await settle(from, 1);
    const contact = await wa.get<ContactsRepository>(ContactsRepository).findByAddress('whatsapp', from);
    return { from, contactId: contact!.id };
  }
  const notSent = () => wa.get<AnonymousCountsRepository>(AnonymousCountsRepository).total(AnonymousMetric.WhatsAppProactiveNotSent, 'whatsapp');

  it('sends a proactive message inside her window, and outside it sends nothing (no template for it) and counts it', async () => {
    const outbound = wa.get<OutboundService>(OutboundService);
    const window = wa.get<WhatsAppWindow>(WhatsAppWindow);
    const { from, contactId } = await contactWhoWrote();
    const proactive = { address: from, contactId, language: 'fr', outputs: [{ text: 'common:expired' }], kind: OutboundJobKind.Proactive };
    expect(await outbound.enqueue('whatsapp', proactive)).toHaveLength(1);
    await settle(from, 2);

    await window.close(from); // 24 hours without a message from her
    const refused = window.refusedOutsideWindow();
    const counted = await notSent();
    expect(await outbound.enqueue('whatsapp', proactive)).toEqual([]);
    expect(window.refusedOutsideWindow()).toBe(refused + 1);
    expect(await notSent()).toBe(counted + 1);
    await sleep(300);
    expect(sent(from)).toHaveLength(2);
  });

  it('sends the status text as free text inside her window and as its approved template (name, language, the code) outside it', async () => {
    const outbound = wa.get<OutboundService>(OutboundService);
    const { from, contactId } = await contactWhoWrote();
    const status = { address: from, contactId, language: 'fr', outputs: [{ text: 'callback:proactive.status', params: { code: 'K7M2QX' } }], kind: OutboundJobKind.Proactive };
    expect(await outbound.enqueue('whatsapp', status)).toHaveLength(1);
    const inside = (await settle(from, 2))[1]!;
    expect(inside.params).toMatchObject({ type: 'text', text: { body: localeText('fr', 'callback:proactive.status').replace('{{code}}', 'K7M2QX') } });

    await wa.get<WhatsAppWindow>(WhatsAppWindow).close(from);
    expect(await outbound.enqueue('whatsapp', status)).toHaveLength(1);
    const outside = (await settle(from, 3))[2]!;
    expect(outside.params).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: from,
      type: 'template',
      template: { name: 'sira_status', language: { code: 'fr' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'K7M2QX' }] }] },
    });
  });

  it('a callback outcome (no answer) sends her the status text on WhatsApp, where she wrote from: as text inside her window, as its template outside', async () => {
    const { from, contactId } = await contactWhoWrote();
    await wa.get<ContactsRepository>(ContactsRepository).giveConsent(contactId, 'callback-2026-01', from);
    const req = { contactId, refCode: 'K7M2QX', status: 'no_answer', smsSafe: true, channel: 'whatsapp', callLanguage: 'fr' } as unknown as CallbackRequest;
    const statusSms = wa.get<StatusSms>(StatusSms);
    expect(await statusSms.afterOutcome(req)).toBe(true);
    expect((await settle(from, 2))[1]!.params).toMatchObject({ type: 'text', text: { body: localeText('fr', 'callback:proactive.status').replace('{{code}}', 'K7M2QX') } });

    await wa.get<WhatsAppWindow>(WhatsAppWindow).close(from);
    expect(await statusSms.afterOutcome(req)).toBe(true);
    expect((await settle(from, 3))[2]!.params).toMatchObject({ type: 'template', template: { name: 'sira_status' } });

    // she did not say a message was safe: nothing
    expect(await statusSms.afterOutcome({ ...req, smsSafe: false })).toBe(false);
    await sleep(300);
    expect(sent(from)).toHaveLength(3);
  });

  it('sends nothing outside her window in a language the template was not approved in, and counts it', async () => {
    const outbound = wa.get<OutboundService>(OutboundService);
    const { from, contactId } = await contactWhoWrote();
    await wa.get<WhatsAppWindow>(WhatsAppWindow).close(from);
    const counted = await notSent();
    const status = { address: from, contactId, language: 'en', outputs: [{ text: 'callback:proactive.status', params: { code: 'K7M2QX' } }], kind: OutboundJobKind.Proactive };
    expect(await outbound.enqueue('whatsapp', status)).toEqual([]);
    expect(await notSent()).toBe(counted + 1);
    await sleep(300);
    expect(sent(from)).toHaveLength(1);
  });
});

describe('repeated undeliverable errors', () => {
  it('mark her unreachable after 3 in a row (not stopped, counted): no proactive message; her next message clears it', async () => {
    const outbound = wa.get<OutboundService>(OutboundService);
    const messages = wa.get<OutboundMessagesRepository>(OutboundMessagesRepository);
    const contacts = wa.get<ContactsRepository>(ContactsRepository);
    const reachability = wa.get<WhatsAppReachability>(WhatsAppReachability);
    const counts = wa.get<AnonymousCountsRepository>(AnonymousCountsRepository);
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    await settle(from, 1);
    const contactId = (await contacts.findByAddress('whatsapp', from))!.id;
    const proactive = { address: from, contactId, language: 'fr', outputs: [{ text: 'common:expired' }], kind: OutboundJobKind.Proactive };
    const marked = await counts.total(AnonymousMetric.WhatsAppUnreachable, 'whatsapp');

    for (let n = 1; n <= 3; n++) {
      expect(await outbound.enqueue('whatsapp', proactive)).toHaveLength(1);
      const call = (await settle(from, 1 + n))[n]!;
      await eventually(async () => (await messages.findByProviderId('whatsapp', call.messageId!))?.status === 'sent', 5000, 'the sent row');
      await post(statusUpdate(call.messageId!, from, 'failed', 131026));
      expect(await reachability.isUnreachable(from)).toBe(n === 3);
    }
    expect(await counts.total(AnonymousMetric.WhatsAppUnreachable, 'whatsapp')).toBe(marked + 1);
    expect((await contacts.findByAddress('whatsapp', from))!.optedOut).toBe(false);
    expect(await outbound.enqueue('whatsapp', proactive)).toEqual([]);

    await post(textMessage(from, 'Bonjour'));
    await settle(from, 5);
    expect(await reachability.isUnreachable(from)).toBe(false);
    expect(await outbound.enqueue('whatsapp', proactive)).toHaveLength(1);
  });
});

describe('erasure', () => {
  it('erases her contact when she asks with EFFACER and confirms, and still tells her it is done', async () => {
    const contacts = wa.get<ContactsRepository>(ContactsRepository);
    const from = randomWaId();
    await post(textMessage(from, 'Bonjour'));
    await settle(from, 1);
    await post(tap(from, 'Français'));
    await settle(from, 2);
    expect(await contacts.findByAddress('whatsapp', from)).toBeDefined();
    await post(textMessage(from, 'effacer'));
    await settle(from, 3);
    await post(tap(from, localeText('fr', 'privacy:erase.yes')));
    await eventually(async () => (await contacts.findByAddress('whatsapp', from)) === undefined || undefined, 10_000, 'the erasure');
    await settle(from, 4);
  });
});

describe('listen mode (issue 25)', () => {
  beforeAll(async () => {
    // test recordings, as a translator would upload them (draft: the test gate): the English listen-mode
    // confirmation, and the FRENCH main menu only (an English contact must never hear it)
    const dir = mkdtempSync(join(tmpdir(), 'sira-walisten-'));
    await writeTone(join(dir, 'tone.wav'));
    const recordings = wa.get<RecordingsService>(RecordingsService);
    await recordings.store('en', 'voice_messages:on', readFileSync(join(dir, 'tone.wav')), 'Test (translator)');
    await recordings.store('fr', 'menu:prompt', readFileSync(join(dir, 'tone.wav')), 'Test (traductrice)');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** What she got, in order: 'audio <media id>' for a voice message, else the body text. */
  const shown = (calls: GraphMessageCall[]) => calls.map((c) => (c.params.type === 'audio' ? `audio ${(c.params.audio as { id: string }).id}` : textOf(c)));

  it('LISTEN: the recorded prompt as an uploaded audio message, then the texts with their buttons; the media id reused; re-uploaded once gone; READ: text alone', async () => {
    const from = randomWaId();
    await post(textMessage(from, 'Hello'));
    const [languages] = await settle(from, 1);
    expect(choicesOf(languages!).map((c) => c.title)).toContain(localeText('fr', 'voice_messages:choice'));
    await post(tap(from, 'English'));
    expect(textOf((await settle(from, 2))[1]!)).toBe(localeText('en', 'menu:prompt'));

    // LISTEN: the English confirmation (recorded) uploaded once as OGG/Opus and sent as audio, then its
    // text, then the menu (recorded in French only: text alone) with its buttons
    const before = wa.whatsapp!.uploads.length;
    await post(textMessage(from, 'LISTEN'));
    const listened = (await settle(from, 5)).slice(2);
    const uploads = wa.whatsapp!.uploads.slice(before);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({
      phoneNumberId: WHATSAPP_TEST.phoneNumberId,
      authorization: `Bearer ${WHATSAPP_TEST.accessToken}`,
      params: { messaging_product: 'whatsapp', type: 'audio/ogg' },
      file: { field: 'file', contentType: 'audio/ogg', startsWith: 'OggS' },
    });
    const mediaId = uploads[0]!.mediaId;
    expect(shown(listened)).toEqual([`audio ${mediaId}`, localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    expect(listened[0]!.params).toMatchObject({ messaging_product: 'whatsapp', to: from, type: 'audio' });
    expect(choicesOf(listened[2]!).map((c) => c.title)).toContain(localeText('en', 'menu:help'));
    expect(await wa.get<ContactsRepository>(ContactsRepository).findByAddress('whatsapp', from)).toMatchObject({ listenMode: true });

    // the same recording again: the media id is reused, nothing uploaded
    await post(textMessage(from, 'listen'));
    expect(shown((await settle(from, 8)).slice(5))).toEqual([`audio ${mediaId}`, localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    expect(wa.whatsapp!.uploads.length - before).toBe(1);

    // Meta no longer has it (30 days): the refused id is dropped, the recording uploaded again, once
    wa.whatsapp!.expireMedia();
    await post(textMessage(from, 'listen'));
    const again = (await settle(from, 12)).slice(8);
    expect(wa.whatsapp!.uploads.length - before).toBe(2);
    const renewed = wa.whatsapp!.uploads.at(-1)!.mediaId;
    expect(shown(again)).toEqual([`audio ${mediaId}`, `audio ${renewed}`, localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);

    // READ: text alone again
    await post(textMessage(from, 'READ'));
    expect(shown((await settle(from, 14)).slice(12))).toEqual([localeText('en', 'voice_messages:off'), localeText('en', 'menu:prompt')]);
    expect(await wa.get<ContactsRepository>(ContactsRepository).findByAddress('whatsapp', from)).toMatchObject({ listenMode: false });
    expect(logs.text()).not.toContain(from);
  });

  it('a voice note: the offer (Sira cannot listen; overheard, earphones), nothing switched on; yes: listen mode on with its confirmation; then a voice note gets the notice', async () => {
    const from = randomWaId();
    await post(textMessage(from, 'Hello'));
    await settle(from, 1);
    await post(tap(from, 'English'));
    await settle(from, 2);
    const contacts = wa.get<ContactsRepository>(ContactsRepository);

    const note = voiceNote(from);
    await post(note);
    await post(note); // redelivered: one offer
    const offered = (await settle(from, 3)).slice(2);
    expect(offered.map(textOf)).toEqual([localeText('en', 'voice_messages:offer.prompt')]);
    expect(choicesOf(offered[0]!).map((c) => c.title)).toEqual([localeText('en', 'voice_messages:offer.yes'), localeText('en', 'voice_messages:offer.no')]);
    expect(await contacts.findByAddress('whatsapp', from)).toMatchObject({ listenMode: false });

    await post(tap(from, localeText('en', 'voice_messages:offer.yes')));
    const on = (await settle(from, 6)).slice(3);
    expect(shown(on)).toEqual([expect.stringMatching(/^audio /), localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    expect(await contacts.findByAddress('whatsapp', from)).toMatchObject({ listenMode: true });

    // already listening: no offer again, the notice and the question
    await post(voiceNote(from));
    expect((await settle(from, 8)).slice(6).map(textOf)).toEqual([localeText('en', 'common:cannot_listen'), localeText('en', 'menu:prompt')]);
  });
});

describe('listen mode: a menu said whole (issue 25)', () => {
  beforeAll(async () => {
    // more English recordings: the menu's question, two of its labels and the "press N" clips; the
    // other labels stay unrecorded (their rows alone)
    const dir = mkdtempSync(join(tmpdir(), 'sira-walisten-menu-'));
    await writeTone(join(dir, 'tone.wav'), { seconds: 1, hz: 330 });
    const recordings = wa.get<RecordingsService>(RecordingsService);
    const tone = readFileSync(join(dir, 'tone.wav'));
    for (const key of ['menu:prompt', 'menu:reparations', 'menu:help', ...[1, 2, 3, 4, 5, 6].map((n) => `voice:press.${n}`)]) {
      await recordings.store('en', key, tone, 'Test (translator)');
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const shown = (calls: GraphMessageCall[]) => calls.map((c) => (c.params.type === 'audio' ? 'audio' : textOf(c)));

  /** Someone new who chose English: the menu reached her. */
  async function inEnglish(): Promise<string> {
    const from = randomWaId();
    await post(textMessage(from, 'Hello'));
    await settle(from, 1);
    await post(tap(from, 'English'));
    await settle(from, 2);
    return from;
  }

  it('LISTEN: one uploaded voice message saying the confirmation, the question and each recorded label with its number; then the texts and the list', async () => {
    const from = await inEnglish();
    const before = wa.whatsapp!.uploads.length;
    await post(textMessage(from, 'LISTEN'));
    const listened = (await settle(from, 5)).slice(2);
    expect(shown(listened)).toEqual(['audio', localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    // one upload, of the joined file (OGG/Opus), named by the audio message as a voice message
    const uploads = wa.whatsapp!.uploads.slice(before);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ params: { messaging_product: 'whatsapp', type: 'audio/ogg' }, file: { contentType: 'audio/ogg', startsWith: 'OggS' } });
    expect(listened[0]!.params).toMatchObject({ type: 'audio', audio: { id: uploads[0]!.mediaId, voice: true } });

    // what it says: only English recordings; the labels with a recording, each followed by its number
    const rows = choicesOf(listened[2]!).map((c) => c.title);
    const help = rows.indexOf(localeText('en', 'menu:help')) + 1;
    expect(rows[0]).toBe(localeText('en', 'menu:reparations'));
    const voices = new Map((await wa.get<RecordingsRepository>(RecordingsRepository).list('en')).map((r) => [r.key, r.voiceSha256]));
    const parts = ['voice_messages:on', 'menu:prompt', 'menu:reparations', 'voice:press.1', 'menu:help', `voice:press.${help}`].map((k) => voices.get(k)!);
    const key = joinedVoiceKey(parts);
    const made = await wa.get<DatabaseHandle>(DATABASE_HANDLE).rows<{ joined_from: string }>(sql`select joined_from from audio_files where sha256 = ${key}`);
    expect(made).toEqual([{ joined_from: parts.join(' ') }]);
  });

  it('a voice note, then a typed "oui": listen mode on, the reply said', async () => {
    const from = await inEnglish();
    await post(voiceNote(from));
    expect((await settle(from, 3)).slice(2).map(textOf)).toEqual([localeText('en', 'voice_messages:offer.prompt')]);
    await post(textMessage(from, 'oui'));
    expect(shown((await settle(from, 6)).slice(3))).toEqual(['audio', localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    expect(await wa.get<ContactsRepository>(ContactsRepository).findByAddress('whatsapp', from)).toMatchObject({ listenMode: true });
  });
});

describe('the logs', () => {
  it('never hold her WhatsApp id, her words, the access token, the app secret or the verify token', async () => {
    const from = randomWaId();
    const words = 'Bonjour je suis Mariam de Mopti';
    await post(textMessage(from, words));
    await settle(from, 1);
    await post(voiceNote(from));
    await postWhatsAppWebhook(wa.url, textMessage(from, words), 'sha256=' + '0'.repeat(64));
    await settle(from, 3);
    const text = logs.text();
    expect(text).toContain('whatsapp'); // handling was logged
    for (const secret of [from, from.slice(3), words, 'Mariam', WHATSAPP_TEST.accessToken, WHATSAPP_TEST.appSecret, WHATSAPP_TEST.verifyToken]) {
      expect(text).not.toContain(secret);
    }
  });
});
