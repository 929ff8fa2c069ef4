import type { ActionDefinition } from './action.types';

/** Her yes to the keep-it question: the subscriptions it asked about run again; `confirm` awaits the shell. */
export const renewNewsAction: ActionDefinition<'renew_news'> = {
  type: 'renew_news',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'news_renewed' }], outputs: [{ text: spec.confirm, awaits: 0 }] };
  },
  keys(spec) {
    return typeof spec.confirm === 'string' ? [spec.confirm] : [];
  },
  check(spec) {
    return typeof spec.confirm === 'string' && /^[a-z_]+:[\w.]+$/.test(spec.confirm) ? [] : ['renew_news: "confirm" must be an i18n key "namespace:key"'];
  },
};
