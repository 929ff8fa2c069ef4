import { Global, Module, Provider } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { loadContent } from './content.loader';
import type { LoadedContent } from './content.types';

/** Injection token of the loaded, checked `LoadedContent`. */
export const CONTENT = Symbol('CONTENT');

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Content check failed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContentError';
  }
}

const contentProvider: Provider = {
  provide: CONTENT,
  inject: [CONFIG],
  // Refuse to start on broken content: the same problems `npm run flows:check` prints.
  useFactory: (config: Config): LoadedContent => {
    const content = loadContent(config.content);
    if (content.problems.length > 0) throw new ContentError(content.problems.map((p) => p.message));
    return content;
  },
};

@Global()
@Module({ providers: [contentProvider], exports: [CONTENT] })
export class ContentModule {}
