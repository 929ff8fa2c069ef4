/**
 * The insights page in a real browser (Debian's Chromium through playwright-core): the charts Vega drew
 * on the server show as SVG under the unchanged staff CSP (no script, no console error), each with its
 * table. A screenshot is kept in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startStaffApp, type StaffApp } from '../staff/staff-harness';
import { ROOT } from '../support/service-process';
import { launchChromium } from './chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(ROOT, 'test-artifacts');

describe('the insights page in a browser', () => {
  const prefix = testPrefix('insightsui');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase('insightsui');
    app = await startStaffApp(prefix, db.url);
    // two settled weeks of aggregates (the staff clock is 15 January 2026), big enough to be published
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    for (let d = 1; d <= 12; d++) {
      const day = `2026-01-${String(d).padStart(2, '0')}`;
      for (const [language, channel, n] of [['fr', 'sms', 20 + d], ['bm', 'sms', 15 + d], ['en', 'telegram', 12 + d]] as const) {
        await pg.query(`insert into insight_counts (day, metric, flow, node, language, channel, count) values ($1, 'conversation_started', 'menu', 'main', $2, $3, $4)`, [day, language, channel, n]);
        await pg.query(`insert into insight_counts (day, metric, flow, node, language, channel, count) values ($1, 'node_reached', 'reparations', 'overview', $2, $3, $4)`, [day, language, channel, n - 2]);
      }
    }
    await pg.end();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`${m.text()} (${m.location().url})`));
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('shows server-drawn charts with their tables, with no script and no CSP complaint', async () => {
    await page.goto(`${app.url}/staff`);
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Mot de passe').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForLoadState('networkidle');
    await page.goto(`${app.url}/staff/insights?from=2026-01-01&to=2026-01-12&period=day`);
    const charts = page.locator('svg');
    expect(await charts.count()).toBeGreaterThan(0);
    const box = await charts.first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
    expect(box?.height ?? 0).toBeGreaterThan(50);
    // the chart has drawn marks, not an empty frame
    expect(await page.locator('svg path, svg rect').count()).toBeGreaterThan(5);
    expect(await page.locator('table').count()).toBeGreaterThan(0);
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'staff-insights.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
