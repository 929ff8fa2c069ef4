/**
 * The committed flow diagrams (docs/flows/*.md) are valid Mermaid: each one is parsed and drawn by
 * Mermaid itself in Chromium, as a Markdown viewer would, and the drawing shows the French texts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../support/service-process';
import { launchChromium } from './chromium';

jest.setTimeout(120_000);

const DOCS = join(ROOT, 'docs/flows');
const diagrams = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md') && f !== 'index.md')
  .map((file) => ({ file, mermaid: /```mermaid\n([\s\S]*?)\n```/.exec(readFileSync(join(DOCS, file), 'utf8'))?.[1] ?? '' }));

describe('the flow diagrams drawn by Mermaid', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    await page.evaluate('mermaid.initialize({ startOnLoad: false, securityLevel: "strict" })');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('has a diagram in every flow page', () => {
    expect(diagrams.length).toBeGreaterThan(5);
    for (const d of diagrams) expect(d.mermaid).toMatch(/^flowchart TD\n/);
  });

  it.each(diagrams.map((d) => [d.file, d.mermaid]))('draws %s without a syntax error, with its step texts', async (_file, text) => {
    const svg = (await page.evaluate(
      `(async (text) => (await mermaid.render('g' + Math.random().toString(36).slice(2), text)).svg)(${JSON.stringify(text)})`,
    )) as string;
    expect(svg).toContain('<svg');
    // Every node's first words appear in the drawing (labels are HTML inside the SVG).
    for (const [, label] of text.matchAll(/^ {2}n_\w+\S*?"([^"]+)"/gm)) {
      const words = label.split(':')[0];
      expect(svg).toContain(words);
    }
  });
});
