/** Rewrites docs/content-review.md from the French texts and locales/sources.yaml. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { loadContent } from '../content/content.loader';
import { contentReviewDoc } from '../content/content-review.doc';

const config = loadConfig();
const content = loadContent(config.content);
const target = join(config.content.localesDir, '..', 'docs', 'content-review.md');
writeFileSync(target, contentReviewDoc(config.content.localesDir, content.resources, content.base, content.reviews, content.coverage));
console.log(`wrote ${target}`);
