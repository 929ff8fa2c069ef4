/**
 * A translator records a prompt in a real browser (Debian's Chromium driven by playwright-core) on a
 * phone-sized screen, with no script on the page: she uploads a generated tone with the file input
 * (`setInputFiles`, what the phone's recorder hands over), sees it listed with a player whose audio
 * answers, a second translator raises its status, then the text changes (a temporary copy of locales/,
 * the service started again on the same database) and the take is marked stale, first to re-record.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { writeTone } from '../recordings/test-tones';
import { PASSWORD, staffMember } from '../staff/staff-fixtures';
import { startStaffApp, type StaffApp } from '../staff/staff-harness';
import { ROOT } from '../support/service-process';
import { launchChromium } from './chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(ROOT, 'test-artifacts');
const PHONE = { width: 360, height: 740 };
const KEY = 'menu:prompt';

describe('a translator records in the staff UI, in a browser', () => {
  const prefix = testPrefix('recui');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let browser: Browser;
  let dir: string;
  let locales: string;
  let tone: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let recorder: { email: string; displayName: string };
  let reviewer: { email: string; displayName: string };
  let audioSrc = '';

  const env = () => ({ LOCALES_DIR: locales });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'sira-rec-ui-'));
    locales = join(dir, 'locales');
    cpSync(join(ROOT, 'locales'), locales, { recursive: true });
    // locales/sources.yaml names its facts file relative to the folder (../docs/domain-facts.md)
    mkdirSync(join(dir, 'docs'));
    cpSync(join(ROOT, 'docs', 'domain-facts.md'), join(dir, 'docs', 'domain-facts.md'));
    tone = join(dir, 'prompt.wav');
    await writeTone(tone, { seconds: 2, hz: 523 });
    db = await createTestDatabase('recui');
    app = await startStaffApp(prefix, db.url, env());
    recorder = await staffMember(app, 'translator', ['bm']);
    reviewer = await staffMember(app, 'translator', ['bm']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(who: { email: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true });
    contexts.push(context);
    const page = await context.newPage();
    // the browser's own favicon request is not ours; every other failure or console error (a CSP refusal) is
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`${m.text()} (${m.location().url})`));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${app.url}/staff/login`);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Enregistrements' }).waitFor();
    return page;
  }

  it('uploads a tone from the file input and lists it with a player whose audio answers', async () => {
    const page = await signedIn(recorder);
    await page.getByRole('link', { name: 'Bambara' }).click();
    await page.getByRole('heading', { name: 'Enregistrements — Bambara' }).waitFor();
    const card = page.locator(`[data-key="${KEY}"]`);
    expect(await card.getAttribute('data-state')).toBe('missing');
    const input = card.locator('input[type=file]');
    expect(await input.getAttribute('accept')).toBe('audio/*');
    expect(await input.getAttribute('capture')).not.toBeNull();
    await input.setInputFiles(tone);
    await Promise.all([page.waitForURL(/\/staff\/recordings\/bm\?m=added/), card.getByRole('button', { name: 'Envoyer' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Enregistrement ajouté');
    expect(await card.getAttribute('data-state')).toBe('recorded');
    expect(await card.textContent()).toContain(`enregistré par ${recorder.displayName}`);
    audioSrc = (await card.locator('audio').getAttribute('src')) ?? '';
    expect(audioSrc).toMatch(/^\/audio\/[0-9a-f]{64}\.mp3$/);
    const audio = await fetch(`${app.url}${audioSrc}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // the player itself loads it under the page's CSP (media-src 'self') and knows its length
    const duration = (await page.evaluate(`new Promise((resolve, reject) => {
      const el = document.querySelector('[data-key="${KEY}"] audio');
      el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
      el.addEventListener('error', () => reject(new Error('audio error ' + (el.error && el.error.code))), { once: true });
      el.preload = 'metadata';
      el.load();
    })`)) as number;
    expect(duration).toBeGreaterThan(1.5);
    expect(duration).toBeLessThan(3);
    expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(PHONE.width);
    await card.screenshot({ path: join(ARTIFACTS, 'staff-recording-card-phone.png') });
    expect(problems).toEqual([]);
  });

  it('lets a second translator of the language raise its status, naming her', async () => {
    const page = await signedIn(reviewer);
    await page.goto(`${app.url}/staff/recordings/bm`);
    const card = page.locator(`[data-key="${KEY}"]`);
    await card.getByRole('combobox').selectOption('reviewed');
    await Promise.all([page.waitForURL(/m=reviewed/), card.getByRole('button', { name: 'Enregistrer le statut' }).click()]);
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('reviewed');
    expect(await card.textContent()).toContain(`par ${reviewer.displayName}`);
    expect(problems).toEqual([]);
  });

  it('marks the take stale when its text changes, first in what is left to record', async () => {
    const file = join(locales, 'bm', 'menu.json');
    const menu = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    menu.prompt = `${menu.prompt} (kura)`;
    writeFileSync(file, `${JSON.stringify(menu, null, 2)}\n`);
    // the content is read at start: the service starts again on the same database (sessions are kept there)
    await app.close();
    app = await startStaffApp(prefix, db.url, env());
    const page = contexts[1].pages()[0];
    await page.goto(`${app.url}/staff/recordings/bm`);
    const card = page.locator(`[data-key="${KEY}"]`);
    expect(await card.getAttribute('data-state')).toBe('stale');
    expect(await card.textContent()).toContain('PÉRIMÉ');
    expect(await card.textContent()).toContain('(kura)');
    // first of the list of what still needs recording, and still playable by staff
    expect(await page.locator('ol.to-record li').first().textContent()).toContain(KEY);
    expect(await card.locator('audio').getAttribute('src')).toBe(audioSrc);
    const overview = await (await fetch(`${app.url}/staff/recordings`, { headers: { cookie: (await contexts[1].cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).text();
    expect(overview).toMatch(/data-language="bm">.*<td>0\/\d+<\/td><td>1<\/td>/);
    await page.screenshot({ path: join(ARTIFACTS, 'staff-recordings-stale-phone.png'), fullPage: false });
    expect(problems).toEqual([]);
    // a stale take cannot be approved: record it again (the page comes back with 400 and the reason)
    await card.getByRole('combobox').selectOption('legal');
    await card.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('stale');
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });
});
