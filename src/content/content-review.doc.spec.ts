import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from './content.loader';
import { contentReviewDoc, missingKeysSection, sentences } from './content-review.doc';

const ROOT = join(__dirname, '..', '..');

describe('docs/content-review.md', () => {
  it('splits a text into the sentences a reviewer reads one by one', () => {
    expect(sentences("Un décret fixe 4 800 000 FCFA. Priorité : veuves. Qui décide ? L'AGRV.")).toEqual([
      'Un décret fixe 4 800 000 FCFA.',
      'Priorité : veuves.',
      'Qui décide ?',
      "L'AGRV.",
    ]);
  });

  it('is up to date with the French texts and their sources (regenerate: npx tsx src/cli/content-review-doc.cli.ts)', () => {
    const localesDir = join(ROOT, 'locales');
    const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir });
    const doc = contentReviewDoc(localesDir, content.resources, content.base, content.reviews, content.coverage);
    expect(readFileSync(join(ROOT, 'docs', 'content-review.md'), 'utf8')).toBe(doc);
    expect(doc).toContain("| Sira n'a pas trouvé d'information publique sur des paiements déjà faits. |");
  });

  it('lists, per language, exactly the keys the flows:check coverage counts as missing, with their French text', () => {
    const localesDir = join(ROOT, 'locales');
    const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir });
    const doc = contentReviewDoc(localesDir, content.resources, content.base, content.reviews, content.coverage);
    for (const { code, name, missing, total } of content.coverage) {
      const heading = `## ${name} (\`${code}\`): ${missing.length} of ${total} keys missing`;
      if (missing.length === 0) {
        expect(doc).not.toContain(`(\`${code}\`):`);
        continue;
      }
      const section = doc.split(heading)[1].split('\n## ')[0];
      const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
      expect(listed).toEqual(missing);
    }
    const ff = content.coverage.find((c) => c.code === 'ff')!;
    expect(ff.missing).toContain('callback:consent.notice');
    const french = content.resources.fr.callback as { consent: { notice: string } };
    expect(doc).toContain(`| \`callback:consent.notice\` | ${french.consent.notice.replace(/\|/g, '\\|')} |`);
  });

  it('lists nothing for a language once every key it uses has its own text', () => {
    const doc = missingKeysSection([{ code: 'en', name: 'English', translated: 2, total: 2, ratio: 1, missing: [] }], new Map()).join('\n');
    expect(doc).not.toContain('English');
  });
});
