import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadContent } from '../../src/content/content.loader';
import { localeStrings } from '../../src/content/locale-keys';
import { NODE_TYPES } from '../../src/engine/engine.types';

/**
 * Sira never records a woman who writes or calls (docs/recordings.md): recordings come from staff and
 * translators only. Nothing in the flows asks her for audio, and no channel can take or fetch it.
 */
const ROOT = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

describe('never her voice', () => {
  it('has no flow step that takes audio: every question is answered with a key, a word or a number', () => {
    expect([...NODE_TYPES]).toEqual(['message', 'menu', 'ask', 'action']);
    for (const flow of Object.values(content.flowSet.flows)) {
      for (const node of Object.values(flow.nodes)) {
        if (node.type === 'ask') expect(['digits', 'phone', 'one_of']).toContain(node.validate.type);
      }
    }
  });

  it('never asks her, in any language, to record or send a voice message', () => {
    const asks = /enregistre[rz]?\s+(votre|un|ta)|envoye[rz]\s+(un\s+)?(message\s+)?vocal|record (your|a)|send (us )?a voice/i;
    for (const { code } of content.languages) {
      for (const [key, text] of localeStrings(content.resources, code)) expect(`${code} ${key}: ${asks.test(text) ? text : 'ok'}`).toBe(`${code} ${key}: ok`);
    }
  });

  it('has no code that records a call, starts a recording, or downloads what she sends', () => {
    const forbidden = [
      /<Record\b(?!<)/, /\b(twiml|response|voice)\.record\(/i, /\brecord:\s*(true|['"]record)/i, /startRecording|\/Recordings\b|recordingStatusCallback/,
      /\bgetFile\b|file_path|\/file\/bot/, /\bmedia_url\b|MediaUrl\d/,
    ];
    const hits: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of forbidden) if (pattern.test(text)) hits.push(`${relative(ROOT, file)}: ${pattern}`);
    }
    expect(hits).toEqual([]);
  });
});
