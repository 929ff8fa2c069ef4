import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from './content.loader';
import { contentReviewDoc, sentences } from './content-review.doc';

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
    const doc = contentReviewDoc(localesDir, content.resources, content.base, content.reviews);
    expect(readFileSync(join(ROOT, 'docs', 'content-review.md'), 'utf8')).toBe(doc);
    expect(doc).toContain("| Sira n'a pas trouvé d'information publique sur des paiements déjà faits. |");
  });
});
