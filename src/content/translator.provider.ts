import { Provider } from '@nestjs/common';
import { CONTENT } from './content.module';
import type { LoadedContent } from './content.types';
import { createTranslator } from './i18n';

/** One i18next instance for the whole service; each contact gets a fixed `t` for her language. */
export const TRANSLATOR = Symbol('TRANSLATOR');
export type Translator = ReturnType<typeof createTranslator>;

export const translatorProvider: Provider = {
  provide: TRANSLATOR,
  inject: [CONTENT],
  useFactory: (content: LoadedContent): Translator =>
    createTranslator(content.resources, { base: content.base, languages: content.languages }),
};
