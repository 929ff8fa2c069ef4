import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig, type Config } from '../src/config/config';
import { ConfigModule } from '../src/config/config.module';
import { CONTENT, ContentModule } from '../src/content/content.module';
import type { LoadedContent } from '../src/content/content.types';

const ROOT = join(__dirname, '..');
const VALID = join(__dirname, 'fixtures', 'valid-flows');

/** A production-like config (the gate only reads `production` and `content`). */
function config(dir: string, production: boolean, minStatus?: Config['content']['minStatus']): Config {
  const base = loadConfig({ FLOWS_DIR: join(dir, 'flows'), LOCALES_DIR: join(dir, 'locales'), LOG_LEVEL: 'silent' });
  return { ...base, production, content: { ...base.content, minStatus: minStatus ?? (production ? 'reviewed' : 'draft') } };
}

async function boot(cfg: Config): Promise<LoadedContent> {
  const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(cfg), ContentModule] }).compile();
  const content = app.get<LoadedContent>(CONTENT);
  await app.close();
  return content;
}

describe('content review gate (CONTENT_MIN_STATUS)', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('in production with the default, refuses to start on the shipped draft content and lists the texts', async () => {
    const error = (await boot(config(ROOT, true)).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('Content below CONTENT_MIN_STATUS would be served');
    expect(error.message).toMatch(/- fr: \d+ texts below "reviewed": .*reparations:amount \(draft\)/);
    expect(error.message).toMatch(/- bm: \d+ texts below "reviewed": .*safety:danger \(draft\)/);
    // a language without its own text is served the French one, whose status is what counts
    expect(error.message).toMatch(/- ff: .*reparations:amount \(draft, fr text\)/);
  });

  it('starts in development (default draft) without a warning', async () => {
    await expect(boot(config(ROOT, false))).resolves.toBeDefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('in production, an explicitly lowered setting starts but warns at every start', async () => {
    await boot(config(ROOT, true, 'draft'));
    await boot(config(ROOT, true, 'draft'));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0][0])).toMatch(/^CONTENT_MIN_STATUS=draft in production: \d+ texts not reviewed by a native speaker are served$/);
  });

  describe('with every text reviewed', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sira-review-'));
      cpSync(VALID, dir, { recursive: true });
      const fr = ['common:commands.home', 'common:commands.back', 'common:commands.help', 'common:commands.language', 'common:commands.stop',
        'common:commands.start', 'common:commands.erase', 'common:reprompt', 'common:expired', 'common:stale_button',
        'menu:prompt', 'menu:info', 'menu:info_keywords', 'menu:bye', 'menu:info_text'];
      const bm = ['common:commands.stop', 'menu:prompt', 'menu:info', 'menu:bye'];
      const lines = (keys: string[], status: string) => keys.map((k) => `    ${k}: { status: ${status}, by: "Reviewer", on: 2026-02-01 }`).join('\n');
      writeFileSync(join(dir, 'locales', 'review-status.yaml'), `statuses:\n  fr:\n${lines(fr, 'legal')}\n  bm:\n${lines(bm, 'reviewed')}\n`);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('starts in production', async () => {
      await expect(boot(config(dir, true))).resolves.toBeDefined();
      expect(warn).not.toHaveBeenCalled();
    });

    it('still refuses when the bar is "legal" and a Bambara text is only reviewed', async () => {
      const error = (await boot(config(dir, true, 'legal')).catch((e: Error) => e)) as Error;
      expect(error.message).toContain('- bm: 4 texts below "legal": common:commands.stop (reviewed), menu:bye (reviewed), menu:info (reviewed), menu:prompt (reviewed)');
      expect(error.message).not.toContain('- fr:');
      expect(error.message).not.toContain('- en:');
    });
  });
});
