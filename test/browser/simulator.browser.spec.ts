/**
 * The web simulator in a real browser (Debian's Chromium, driven by playwright-core) against the
 * compiled service started as a process: a short conversation on the SMS phone, the Telegram chat and
 * the WhatsApp chat, a call on the keypad phone, the language switch and the reset. The screenshot is kept in test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { smsCost } from '../../src/common/sms-segments';
import { localeText } from '../support/locale-text';
import { ensureBuilt, ROOT, RunningService, startService } from '../support/service-process';
import { launchChromium } from './chromium';

jest.setTimeout(180_000);

const SCREENSHOT = join(ROOT, 'test-artifacts', 'simulator.png');
const WAIT = { timeout: 20_000 };

/** What the SMS phone shows for a French text: the SMS spelling is applied before sending. */
const smsText = (lang: string, key: string) => applySmsSpelling(localeText(lang, key), lang, ['bm', 'fr']);

describe('the web simulator in a browser', () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt(); // a dist/ older than src/ would test the old page and script
    service = await startService({ SMS_SPELLING: 'bm,fr' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${service.url}/simulator`);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  const sms = () => page.locator('#sms');
  const telegram = () => page.locator('#telegram');
  const incoming = (phone: Locator, text: string) => phone.locator('.msg.in', { hasText: text.split('\n')[0] }).last();

  it('labels every control so a screen reader can name it', async () => {
    await page.getByLabel('Language', { exact: true }).waitFor(WAIT);
    await page.getByLabel('SMS phone: message').waitFor(WAIT);
    await page.getByLabel('Telegram chat: message').waitFor(WAIT);
    await page.getByRole('button', { name: 'Reset (new phones)' }).waitFor(WAIT);
    await page.getByRole('log', { name: 'SMS phone conversation' }).waitFor(WAIT);
    await page.getByRole('region', { name: 'Telegram chat', exact: true }).waitFor(WAIT);
  });

  it('shows each SMS with its encoding and segment count, as the SMS channel would send it', async () => {
    await sendSms('Bonjour');
    const prompt = incoming(sms(), smsText('fr', 'language:prompt'));
    await prompt.waitFor(WAIT);
    const sent = (await prompt.getAttribute('data-encoding')) as string;
    expect(['GSM-7', 'UCS-2']).toContain(sent);
    await sendSms('1');
    const menu = incoming(sms(), smsText('fr', 'menu:prompt'));
    await menu.waitFor(WAIT);
    const menuText = (await menu.evaluate((el) => el.firstChild?.textContent ?? '')) as string;
    const cost = smsCost(menuText);
    expect(await menu.getAttribute('data-encoding')).toBe(cost.encoding);
    expect(await menu.locator('.meta').textContent()).toContain(`${cost.encoding} · ${cost.segments} segment`);
    await sendSms('1');
    await incoming(sms(), smsText('fr', 'reparations:overview')).waitFor(WAIT);
  });

  it('answers Telegram button taps in Bambara on the same running engine', async () => {
    await telegram().getByRole('button', { name: 'Start (/start)' }).click();
    await telegram().getByRole('button', { name: localeText('fr', 'language:name.bm') }).last().click();
    await incoming(telegram(), localeText('bm', 'menu:prompt')).waitFor(WAIT);
    await telegram().getByRole('button', { name: localeText('bm', 'menu:reparations') }).last().click();
    await incoming(telegram(), localeText('bm', 'reparations:overview')).waitFor(WAIT);
    expect(await telegram().locator('[data-lang]').textContent()).toBe('language: bm');
  });

  it('shows WhatsApp lists as a "Choisir" button opening their rows, and answers a tapped row', async () => {
    const whatsapp = page.locator('#whatsapp');
    const choose = localeText('fr', 'common:whatsapp_list_button');
    await page.getByLabel('WhatsApp chat: message').fill('Bonjour');
    await whatsapp.getByRole('button', { name: 'Send', exact: true }).click();
    await incoming(whatsapp, localeText('fr', 'language:prompt')).waitFor(WAIT);
    const french = whatsapp.getByRole('button', { name: localeText('fr', 'language:name.fr') }).last();
    expect(await french.isVisible()).toBe(false);
    await whatsapp.getByRole('button', { name: choose, exact: true }).last().click();
    await french.click();
    await incoming(whatsapp, localeText('fr', 'menu:prompt')).waitFor(WAIT);
    await whatsapp.getByRole('button', { name: choose, exact: true }).last().click();
    await whatsapp.getByRole('button', { name: localeText('fr', 'menu:reparations') }).last().click();
    await incoming(whatsapp, localeText('fr', 'reparations:overview')).waitFor(WAIT);
  });

  it('calls the voice menus on the keypad phone: the text of each prompt, the next one after each key', async () => {
    const voice = page.locator('#voice');
    const heard = (text: string) => voice.locator('.msg.in', { hasText: text.slice(0, 30) }).last();
    await voice.getByRole('button', { name: 'Call', exact: true }).click();
    await heard(localeText('fr', 'language:prompt')).waitFor(WAIT);
    expect(await voice.locator('[data-state]').textContent()).toBe('listening: one key');
    await voice.getByRole('button', { name: 'key 1' }).click();
    await heard(localeText('fr', 'voice:texts.menu.prompt')).waitFor(WAIT);
    await voice.getByRole('button', { name: 'key 2' }).click();
    await heard(localeText('fr', 'testimony:overview')).waitFor(WAIT);
    // no recording in this service: every piece is read by the French voice, and nothing is played
    expect(await voice.locator('audio').count()).toBe(0);
  });

  it('keeps a screenshot with the phones mid-conversation', async () => {
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(await sms().locator('.msg').count()).toBeGreaterThanOrEqual(6);
    expect(await telegram().locator('.msg').count()).toBeGreaterThanOrEqual(6);
  });

  it('switches both running conversations to English with the language switch', async () => {
    await page.getByLabel('Language', { exact: true }).selectOption('en');
    await incoming(sms(), localeText('en', 'menu:prompt')).waitFor(WAIT);
    await incoming(telegram(), localeText('en', 'menu:prompt')).waitFor(WAIT);
    await sms().locator('[data-lang]', { hasText: 'language: en' }).waitFor(WAIT);
    await telegram().locator('[data-lang]', { hasText: 'language: en' }).waitFor(WAIT);
  });

  it('starts two new identities on reset, with empty phones and a new conversation', async () => {
    const before = await sms().locator('[data-who]').textContent();
    await page.getByRole('button', { name: 'Reset (new phones)' }).click();
    expect(await sms().locator('.msg').count()).toBe(0);
    expect(await telegram().locator('.msg').count()).toBe(0);
    expect(await sms().locator('[data-who]').textContent()).not.toBe(before);
    await sendSms('1');
    // A new contact begins at the language choice, whatever the old identity had chosen.
    await incoming(sms(), smsText('fr', 'language:prompt')).waitFor(WAIT);
    expect(await page.locator('#notice').textContent()).toBe('');
  });

  async function sendSms(text: string): Promise<void> {
    await page.getByLabel('SMS phone: message').fill(text);
    await sms().getByRole('button', { name: 'Send SMS' }).click();
  }
});
