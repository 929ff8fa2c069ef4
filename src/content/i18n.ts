import { createInstance, type i18n as I18n } from 'i18next';
import type { LocaleResources } from './content.types';

export type { LocaleResources };

/** A translation function fixed to one language: `t('reparations:overview', { n: 2 })`. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface TranslatorOptions {
  /** the base language every other language falls back to (French). */
  base: string;
  /** declared languages, as codes or as `{ code, name }` entries of `locales/languages.json`. */
  languages: ReadonlyArray<string | { code: string }>;
}

export interface Translator {
  /** A fixed `t` for one contact's language; an unknown or missing language gets the base. */
  t(lang: string | undefined): Translate;
  /** Whether `key` has a text of its own in `lang` (no fallback): used for coverage reports. */
  has(lang: string, key: string): boolean;
  /**
   * The language whose text `t(lang)` serves for `key`: `lang` itself, or the base when it falls back.
   * The SMS spelling follows the text's own language, so a French fallback keeps the French folds.
   */
  sourceOf(lang: string | undefined, key: string): string;
  base: string;
  languages: string[];
}

/**
 * One i18next instance for the whole process, initialised synchronously with every resource.
 * Each contact gets `getFixedT(lang)`: the shared instance's language is never switched, so two
 * conversations in two languages can never leak into each other.
 */
export function createTranslator(resources: LocaleResources, options: TranslatorOptions): Translator {
  const languages = options.languages.map((l) => (typeof l === 'string' ? l : l.code));
  const namespaces = [...new Set(Object.values(resources).flatMap((byNs) => Object.keys(byNs)))];
  const instance: I18n = createInstance();
  void instance.init({
    resources,
    lng: options.base,
    fallbackLng: options.base,
    supportedLngs: languages,
    ns: namespaces,
    defaultNS: namespaces.includes('common') ? 'common' : namespaces[0],
    initAsync: false,
    // Texts go to SMS and to Telegram (which escapes HTML itself): never HTML-escape here.
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  const fixed = new Map<string, Translate>();
  const pick = (lang: string | undefined): string =>
    lang !== undefined && languages.includes(lang) ? lang : options.base;
  return {
    languages,
    base: options.base,
    t(lang) {
      const code = pick(lang);
      let translate = fixed.get(code);
      if (!translate) {
        const tf = instance.getFixedT(code);
        translate = (key, params) => String(tf(key, params ?? {}));
        fixed.set(code, translate);
      }
      return translate;
    },
    has(lang, key) {
      return instance.exists(key, { lng: lang, fallbackLng: false });
    },
    sourceOf(lang, key) {
      const code = pick(lang);
      return instance.exists(key, { lng: code, fallbackLng: false }) ? code : options.base;
    },
  };
}
