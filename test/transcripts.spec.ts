import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from '../src/content/content.loader';
import { createTranslator } from '../src/content/i18n';
import { smsSegments } from '../src/common/sms-segments';
import { applySmsSpelling, DEFAULT_SMS_SPELLING } from '../src/common/sms-spelling';
import { parseScript, playTranscript } from './transcripts/transcript.runner';

/** Cost ceiling per message agreed for the content: three SMS segments. */
const MAX_SEGMENTS = 3;

/**
 * Every `test/transcripts/<name>.sms.txt` is a script; its SMS, Telegram, voice and WhatsApp renderings must match
 * the files exactly. `UPDATE_TRANSCRIPTS=1 npx jest test/transcripts.spec.ts` rewrites them, so a
 * content change is reviewed as a conversation in the diff.
 */
const ROOT = join(__dirname, '..');
const DIR = join(__dirname, 'transcripts');
const UPDATE = process.env.UPDATE_TRANSCRIPTS === '1';

const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.sms.txt')).sort();

describe('golden transcripts', () => {
  it('runs on content that passes the content check', () => {
    expect(content.problems.map((p) => p.message)).toEqual([]);
  });

  it('has transcripts to run', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  describe.each(scripts)('%s', (file) => {
    const name = file.replace(/\.sms\.txt$/, '');
    const script = parseScript(readFileSync(join(DIR, file), 'utf8'));

    it(`keeps every SMS within ${MAX_SEGMENTS} segments`, () => {
      const { messages } = playTranscript(script, content.flowSet, translator, 'sms');
      // measured as sent: with the SMS spelling of the conversation's language (ê → e keeps French in GSM-7)
      const language = name.split('-')[0]!;
      expect(messages.map((text) => applySmsSpelling(text, language, DEFAULT_SMS_SPELLING)).filter((text) => smsSegments(text) > MAX_SEGMENTS)).toEqual([]);
    });

    it.each(['sms', 'telegram', 'voice', 'whatsapp'] as const)('reads as recorded on %s', (channel) => {
      const path = join(DIR, `${name}.${channel}.txt`);
      const actual = playTranscript(script, content.flowSet, translator, channel).transcript;
      if (UPDATE) writeFileSync(path, actual);
      else {
        if (!existsSync(path)) throw new Error(`${path} missing: run UPDATE_TRANSCRIPTS=1 npx jest test/transcripts.spec.ts`);
        expect(actual).toBe(readFileSync(path, 'utf8'));
      }
    });
  });
});
