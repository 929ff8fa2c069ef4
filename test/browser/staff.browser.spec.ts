/**
 * The staff dashboard in a real browser (Debian's Chromium driven by playwright-core) on a 360-px phone
 * viewport: sign in, see the queue, take the next request, reveal the number (which hides itself), record
 * the outcome. Screenshots of the queue and of a request page are kept in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { pendingRequest } from '../staff/staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startStaffApp, type StaffApp } from '../staff/staff-harness';
import { ROOT } from '../support/service-process';
import { launchChromium } from './chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(ROOT, 'test-artifacts');
const PHONE = { width: 360, height: 740 };

describe('the staff dashboard in a browser, on a phone', () => {
  const prefix = testPrefix('staffui');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const bytes = new Map<string, number>();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase('staffui');
    app = await startStaffApp(prefix, db.url, { STAFF_REVEAL_SECONDS: '10' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true });
    // the browser's own favicon request is not ours; every other failure or console error is
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`${m.text()} (${m.location().url})`));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'document' || r.url().endsWith('.css')) bytes.set(new URL(r.url()).pathname, (await r.body().catch(() => Buffer.alloc(0))).length);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('signs in and shows the queue, urgent first, readable on a 360-px screen', async () => {
    await pendingRequest(app, { callLanguage: 'bm' });
    await pendingRequest(app);
    await pendingRequest(app, { urgent: true });
    await page.goto(`${app.url}/staff`);
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Mot de passe').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
    const cards = page.locator('.card');
    expect(await cards.first().textContent()).toContain('URGENT');
    expect(await cards.count()).toBe(3);
    // nothing wider than the phone, nothing heavy
    expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(PHONE.width);
    expect(bytes.get('/staff/queue')).toBeLessThan(12_000);
    expect(bytes.get('/staff/assets/staff.css')).toBeLessThan(5_000);
    await page.screenshot({ path: join(ARTIFACTS, 'staff-queue-phone.png'), fullPage: true });
  });

  it('takes the next request and shows its safety banner, without the number', async () => {
    await page.getByRole('button', { name: 'Prendre la suivante' }).click();
    await page.getByRole('heading', { name: /^Demande / }).waitFor();
    await expect(page.getByText('PAS DE MESSAGE VOCAL').isVisible()).resolves.toBe(true);
    await expect(page.getByText('URGENT : elle a dit ne pas être en sécurité').isVisible()).resolves.toBe(true);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const number = await app.app.get(CallbackRequestsRepository).revealNumber(id);
    expect(await page.content()).not.toContain(number!.slice(4));
    expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'staff-request-phone.png'), fullPage: true });
  });

  it('reveals the number on demand, hides it after the configured time, then records the outcome', async () => {
    await page.getByRole('button', { name: 'Afficher le numéro' }).click();
    const number = page.locator('.number a');
    await number.waitFor();
    expect(await number.getAttribute('href')).toMatch(/^tel:\+223\d{8}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'staff-reveal-phone.png') });
    await page.waitForTimeout(10_500);
    expect(await number.isVisible()).toBe(false); // hidden by CSS alone (no script on these pages)
    await page.getByRole('heading', { name: /^Demande / }).waitFor({ timeout: 10_000 }); // the page leaves by itself
    await page.getByLabel('Jointe').check();
    await page.getByLabel(/Note courte/).fill('Rappel fait, elle rappellera si besoin');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Résultat enregistré.').waitFor();
    expect(await page.getByText('Terminée (jointe)').first().isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
