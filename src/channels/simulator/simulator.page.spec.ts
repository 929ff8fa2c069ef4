import { ChannelsModule } from '../channels.module';
import { loadConfig } from '../../config/config';
import { SimulatorModule } from './simulator.module';
import { SIMULATOR_CSP, simulatorPage } from './simulator.page';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('the simulator page', () => {
  const page = simulatorPage({
    languages: [
      { code: 'fr', name: 'Français' },
      { code: 'bm', name: 'Bamanankan <b>"x"</b>' },
    ],
    base: 'fr',
    languageWord: 'langue',
  });

  it('offers every declared language, the base one selected', () => {
    expect(page).toContain('<option value="fr" selected>Français (fr)</option>');
    expect(page).toContain('<option value="bm">');
  });

  it('escapes content text instead of letting it become markup', () => {
    expect(page).toContain('Bamanankan &#60;b&#62;&#34;x&#34;&#60;/b&#62;');
    expect(page).not.toContain('<b>');
  });

  it('has no inline script, so its Content-Security-Policy can forbid them', () => {
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script src="/simulator/simulator.js" defer>']);
    expect(page).not.toMatch(/\son[a-z]+=/);
  });

  it('has a keypad phone: the twelve keys in keypad order, call, no key and hang up, and a log of what she hears', () => {
    const keys = [...page.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]);
    expect(keys).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']);
    for (const control of ['data-dial', 'data-silence', 'data-hangup']) expect(page).toContain(control);
    expect(page).toContain('aria-label="Voice call: what she hears"');
  });

  it('lets the page play recordings from its own origin only', () => {
    expect(SIMULATOR_CSP).toContain("media-src 'self'");
    expect(SIMULATOR_CSP).toContain("script-src 'self'");
    expect(SIMULATOR_CSP).not.toContain('unsafe-inline');
  });

  it('gives every input a label and every chat phone a named conversation log', () => {
    for (const id of ['language', 'sms-input', 'telegram-input', 'whatsapp-input']) expect(page).toContain(`for="${id}"`);
    expect(page).toContain('role="log" aria-live="polite" aria-label="SMS phone conversation"');
    expect(page).toContain('aria-label="Telegram chat conversation"');
    expect(page).toContain('aria-label="WhatsApp chat conversation"');
  });

  it('has a WhatsApp chat beside the SMS phone and the Telegram chat, before the keypad phone', () => {
    const order = [...page.matchAll(/<section class="phone phone-([a-z]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['sms', 'telegram', 'whatsapp', 'voice']);
  });
});

describe('the simulator in production', () => {
  it('is not mounted: the production configuration leaves the module out', () => {
    const config = loadConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379', SIRA_ENCRYPTION_KEYS: `k1:${KEY}`, SIRA_BLIND_INDEX_KEY: KEY });
    expect(config.simulator.enabled).toBe(false);
    expect(ChannelsModule.forRoot(config).imports).not.toContain(SimulatorModule);
    expect(ChannelsModule.forRoot(loadConfig({ NODE_ENV: 'development' })).imports).toContain(SimulatorModule);
  });
});
