/**
 * The content check cites docs/domain-facts.md, a copy of the team's shared fact sheet kept in the
 * repository so that a clone is self-contained. When the shared sheet sits beside the clone, the copy
 * must be identical: a fact changed there must be reviewed against the content here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const shared = join(root, '..', 'shared', 'domain-facts.md');

describe('the fact sheet the content cites', () => {
  (existsSync(shared) ? it : it.skip)('is the same text as the shared domain-facts.md beside the repository', () => {
    expect(readFileSync(join(root, 'docs', 'domain-facts.md'), 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
