import type { ActionDefinition } from './action.types';

const KEY = /^[a-z_]+:[\w.]+$/;
const SNAKE = /^[a-z_]+$/;

/**
 * Her explicit yes to news on one topic (issue 26): one event for the module that keeps subscriptions,
 * with the version of the consent wording she read. `confirm` awaits it: only the shell knows whether
 * the subscription was stored, so it says `confirm` (with the duration) or swaps it for why not.
 */
export const subscribeNewsAction: ActionDefinition<'subscribe_news'> = {
  type: 'subscribe_news',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'news_subscribed', topic: spec.topic, consentVersion: spec.version }], outputs: [{ text: spec.confirm, awaits: 0 }] };
  },
  keys(spec) {
    return typeof spec.confirm === 'string' ? [spec.confirm] : [];
  },
  check(spec) {
    const problems: string[] = [];
    if (typeof spec.topic !== 'string' || !SNAKE.test(spec.topic)) problems.push('subscribe_news needs "topic" (snake_case)');
    if (typeof spec.version !== 'string' || !spec.version) problems.push('subscribe_news needs "version" (of the consent wording)');
    if (typeof spec.confirm !== 'string' || !KEY.test(spec.confirm)) problems.push('subscribe_news: "confirm" must be an i18n key "namespace:key"');
    return problems;
  },
};
