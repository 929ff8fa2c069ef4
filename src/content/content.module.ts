import { Global, Logger, Module, Provider } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { loadContent } from './content.loader';
import type { LoadedContent } from './content.types';
import { describeBelow, keysBelow, levelRank } from './review-status';

/** Injection token of the loaded, checked `LoadedContent`. */
export const CONTENT = Symbol('CONTENT');

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Content check failed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContentError';
  }
}

/** Texts below `CONTENT_MIN_STATUS` that a contact could be sent: the service does not start. */
export class ContentReviewError extends Error {
  constructor(readonly lines: string[]) {
    super(`Content below CONTENT_MIN_STATUS would be served; have it reviewed or set CONTENT_MIN_STATUS explicitly:\n  - ${lines.join('\n  - ')}`);
    this.name = 'ContentReviewError';
  }
}

const log = new Logger('Content');

/** The review gate: refuses unreviewed texts; warns at every start when production runs below `reviewed`. */
export function enforceReviewGate(content: LoadedContent, config: Config): void {
  const min = config.content.minStatus;
  const codes = content.languages.map((l) => l.code);
  const below = keysBelow(content.resources, codes, content.base, content.reviews, min);
  if (below.length > 0) throw new ContentReviewError(describeBelow(below, min));
  if (config.production && levelRank(min) < levelRank('reviewed')) {
    const unreviewed = keysBelow(content.resources, codes, content.base, content.reviews, 'reviewed').length;
    log.warn(`CONTENT_MIN_STATUS=${min} in production: ${unreviewed} texts not reviewed by a native speaker are served`);
  }
}

const contentProvider: Provider = {
  provide: CONTENT,
  inject: [CONFIG],
  // Refuse to start on broken content (the same problems `npm run flows:check` prints) or on
  // content below the configured review status.
  useFactory: (config: Config): LoadedContent => {
    const content = loadContent(config.content);
    if (content.problems.length > 0) throw new ContentError(content.problems.map((p) => p.message));
    enforceReviewGate(content, config);
    return content;
  },
};

@Global()
@Module({ providers: [contentProvider], exports: [CONTENT] })
export class ContentModule {}
