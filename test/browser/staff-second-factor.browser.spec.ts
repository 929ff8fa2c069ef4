/**
 * Staff two-factor sign-in in a real browser (Debian's Chromium driven by playwright-core), with the
 * requirement on for supervisors and admins: enrolment from the QR code's secret, sign-in with a code
 * (each 30-s step once), a recovery code (once), and an admin's reset sending the account back to
 * enrolment. Codes are computed from the secret the page shows, at the app's (manual) clock.
 */
import type { Browser, BrowserContext, ConsoleMessage, Page, Response } from 'playwright-core';
import type { StaffUser } from '../../src/staff/staff.types';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { PASSWORD, staffMember } from '../staff/staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startStaffApp, type StaffApp } from '../staff/staff-harness';
import { totpCode } from '../support/totp';
import { launchChromium } from './chromium';

jest.setTimeout(180_000);

const STEP_MS = 30_000;
const ENROL_PATH = '/staff/account/second-factor';
const CODE_PATH = '/staff/login/code';
const QUEUE_PATH = '/staff/queue';
const REFUSED = 'Code incorrect ou déjà utilisé.';

describe('staff two-factor sign-in in a browser', () => {
  const prefix = testPrefix('staff2fa');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let browser: Browser;
  let supervisorContext: BrowserContext;
  let adminContext: BrowserContext;
  let page: Page; // the supervisor's
  let supervisor: StaffUser;
  let secret = '';
  let enrolCode = '';
  let recoveryCodes: string[] = [];
  const problems: string[] = [];

  const path = (p: Page) => new URL(p.url()).pathname;

  /** Clicks a submit button and waits for the page it leads to (the POST, its 303, then the GET) to load. */
  async function submit(p: Page, button: string): Promise<void> {
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.getByRole('button', { name: button, exact: true }).click()]);
  }

  async function signIn(p: Page, email: string, password: string): Promise<void> {
    await p.goto(`${app.url}/staff/login`);
    await p.getByLabel('E-mail').fill(email);
    await p.getByLabel('Mot de passe').fill(password);
    await submit(p, 'Se connecter');
  }

  async function giveCode(p: Page, code: string): Promise<void> {
    expect(path(p)).toBe(CODE_PATH);
    await p.getByLabel('Code (ou un code de secours)').fill(code);
    await submit(p, 'Valider');
  }

  async function signOut(p: Page): Promise<void> {
    await submit(p, 'Déconnexion');
    expect(path(p)).toBe('/staff/login');
  }

  /** On the enrolment page: reads the secret shown, types its current code, returns the secret and the recovery codes shown. */
  async function enrol(p: Page): Promise<{ secret: string; code: string; codes: string[] }> {
    expect(path(p)).toBe(ENROL_PATH);
    const shown = (await p.locator('code#totp-secret').textContent())?.trim() ?? '';
    expect(shown).toMatch(/^[A-Z2-7]{32}$/); // 160 bits in base32
    const code = totpCode(shown, app.clock.now());
    await p.getByLabel('Code à 6 chiffres affiché par l’application').fill(code);
    await submit(p, 'Activer');
    await p.getByRole('heading', { name: 'Codes de secours' }).waitFor();
    expect(await p.getByText('Double authentification activée.').isVisible()).toBe(true);
    const codes = (await p.locator('ul.codes li code').allTextContents()).map((c) => c.trim());
    return { secret: shown, code, codes };
  }

  beforeAll(async () => {
    db = await createTestDatabase('staff2fa');
    app = await startStaffApp(prefix, db.url, { STAFF_2FA_REQUIRED_ROLES: 'supervisor,admin' });
    supervisor = await staffMember(app, 'supervisor');
    browser = await launchChromium();
    supervisorContext = await browser.newContext();
    adminContext = await browser.newContext();
    page = await supervisorContext.newPage();
    // the browser's favicon request is not ours, and a refused code's 401 is expected; any other error is a problem
    const expected = (m: ConsoleMessage) => m.location().url.endsWith('/favicon.ico') || (m.location().url.endsWith(CODE_PATH) && /status of 401/.test(m.text()));
    page.on('console', (m) => m.type() === 'error' && !expected(m) && problems.push(`${m.text()} (${m.location().url})`));
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('sends a supervisor without a second factor to enrolment, keeps her out of the queue until she confirms a code, then shows 10 recovery codes once', async () => {
    const enrolResponse = page.waitForResponse((r: Response) => new URL(r.url()).pathname === ENROL_PATH && r.request().method() === 'GET');
    await signIn(page, supervisor.email, PASSWORD);
    expect(path(page)).toBe(ENROL_PATH);
    await expect(page.getByText('Votre rôle demande une double authentification : activez-la pour continuer.').isVisible()).resolves.toBe(true);
    // the staff CSP holds on the enrolment page: nothing runs, the QR code is drawn on the server
    const csp = (await enrolResponse).headers()['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.content()).not.toMatch(/<script/i);
    // the menu is not there, and the queue is out of reach
    expect(await page.getByRole('link', { name: 'File d’attente' }).count()).toBe(0);
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe(ENROL_PATH);
    expect(await page.getByRole('heading', { name: 'File d’attente' }).count()).toBe(0);
    // the QR code and the secret in text
    await expect(page.locator('figure.qr svg').isVisible()).resolves.toBe(true);
    expect(await page.locator('figure.qr svg path').count()).toBeGreaterThan(0);
    await expect(page.locator('code#totp-secret').isVisible()).resolves.toBe(true);

    ({ secret, code: enrolCode, codes: recoveryCodes } = await enrol(page));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}$/);

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Continuer' }).click()]);
    expect(path(page)).toBe(QUEUE_PATH);
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
    // shown once: the account page counts them and lists none
    await page.goto(`${app.url}/staff/account`);
    await expect(page.getByText('Activée. Codes de secours restants : 10.').isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(recoveryCodes[0]);
  });

  it('asks for the code at the next sign-in, accepts each 30-second step once and the next step’s code after', async () => {
    // the enrolment used the current step; sign-in comes a step later
    app.clock.advance(STEP_MS);
    const code = totpCode(secret, app.clock.now());
    await signOut(page);
    await signIn(page, supervisor.email, PASSWORD);
    expect(path(page)).toBe(CODE_PATH);
    await expect(page.getByText(`${supervisor.displayName} : ouvrez votre application d’authentification`).isVisible()).resolves.toBe(true);
    // the password alone does not open the queue
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe(CODE_PATH);
    // the code that confirmed the enrolment (a step ago, still inside the ±1-step window) was used: refused
    await giveCode(page, enrolCode);
    expect(path(page)).toBe(CODE_PATH);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(REFUSED);

    await giveCode(page, code);
    expect(path(page)).toBe(QUEUE_PATH);
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();

    // the same code again, in the same step (the clock stands still): refused, the form stays
    await signOut(page);
    await signIn(page, supervisor.email, PASSWORD);
    const refused = page.waitForResponse((r: Response) => new URL(r.url()).pathname === CODE_PATH && r.request().method() === 'POST');
    await giveCode(page, code);
    expect((await refused).status()).toBe(401);
    expect(path(page)).toBe(CODE_PATH);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(REFUSED);
    await expect(page.getByLabel('Code (ou un code de secours)').isVisible()).resolves.toBe(true);
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe(CODE_PATH);

    // a wrong code is refused the same way
    await giveCode(page, code === '000000' ? '111111' : '000000');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(REFUSED);

    // 30 s later the app shows the next step's code: it works
    app.clock.advance(STEP_MS);
    const next = totpCode(secret, app.clock.now());
    expect(next).not.toBe(code);
    await giveCode(page, next);
    expect(path(page)).toBe(QUEUE_PATH);
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
  });

  it('accepts a recovery code once in place of the code, and refuses the same recovery code again', async () => {
    const recovery = recoveryCodes[3];
    await signOut(page);
    await signIn(page, supervisor.email, PASSWORD);
    await giveCode(page, recovery);
    expect(path(page)).toBe(QUEUE_PATH);
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
    await page.goto(`${app.url}/staff/account`);
    await expect(page.getByText('Activée. Codes de secours restants : 9.').isVisible()).resolves.toBe(true);

    await signOut(page);
    await signIn(page, supervisor.email, PASSWORD);
    // typed differently (lower case, no dashes): still the same, used code
    await giveCode(page, recovery.toLowerCase().replace(/-/g, ''));
    expect(path(page)).toBe(CODE_PATH);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(REFUSED);
    await giveCode(page, recovery);
    expect(path(page)).toBe(CODE_PATH);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(REFUSED);

    // another recovery code still opens the session
    await giveCode(page, recoveryCodes[4]);
    expect(path(page)).toBe(QUEUE_PATH);
  });

  it('lets an admin (once enrolled herself) reset the supervisor’s second factor: her session ends and her next sign-in enrols again', async () => {
    const adminPage = await adminContext.newPage();
    adminPage.on('pageerror', (e) => problems.push(e.message));
    await signIn(adminPage, ADMIN_EMAIL, ADMIN_PASSWORD);
    // the first admin's role requires a second factor too
    expect(path(adminPage)).toBe(ENROL_PATH);
    await adminPage.goto(`${app.url}/staff/admin/users`);
    expect(path(adminPage)).toBe(ENROL_PATH);
    const admin = await enrol(adminPage);
    expect(admin.secret).not.toBe(secret);
    expect(admin.codes).toHaveLength(10);

    await adminPage.goto(`${app.url}/staff/admin/users`);
    expect(path(adminPage)).toBe('/staff/admin/users');
    const card = adminPage.locator('div.card').filter({ hasText: supervisor.email });
    await expect(card.getByText('double authentification : activée').isVisible()).resolves.toBe(true);
    await Promise.all([adminPage.waitForNavigation(), card.getByRole('button', { name: 'Réinitialiser la double authentification' }).click()]);
    expect(new URL(adminPage.url()).search).toBe('?m=factor_reset');
    await expect(adminPage.getByText('Double authentification réinitialisée : la personne l’activera à sa prochaine connexion.').isVisible()).resolves.toBe(true);
    const after = adminPage.locator('div.card').filter({ hasText: supervisor.email });
    await expect(after.getByText('double authentification : non activée').isVisible()).resolves.toBe(true);
    expect(await after.getByRole('button', { name: 'Réinitialiser la double authentification' }).count()).toBe(0);

    // the supervisor's open session has ended
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe('/staff/login');

    // her next sign-in asks for no code and sends her to enrolment, with a new secret
    await signIn(page, supervisor.email, PASSWORD);
    expect(path(page)).toBe(ENROL_PATH);
    await expect(page.getByText('Votre rôle demande une double authentification : activez-la pour continuer.').isVisible()).resolves.toBe(true);
    const fresh = (await page.locator('code#totp-secret').textContent())?.trim();
    expect(fresh).toMatch(/^[A-Z2-7]{32}$/);
    expect(fresh).not.toBe(secret);
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe(ENROL_PATH);
    // the old recovery codes are gone with the old factor: enrolling again gives new ones
    const again = await enrol(page);
    expect(again.codes).toHaveLength(10);
    expect(again.codes.filter((c) => recoveryCodes.includes(c))).toEqual([]);
    await page.goto(`${app.url}${QUEUE_PATH}`);
    expect(path(page)).toBe(QUEUE_PATH);
    expect(problems).toEqual([]);
  });
});
