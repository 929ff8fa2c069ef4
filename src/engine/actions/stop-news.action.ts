import type { ActionDefinition } from './action.types';

const KEY = /^[a-z_]+:[\w.]+$/;

/** No more news on `topic`, or on any topic when none is named (STOP NOUVELLES); `confirm` awaits the shell. */
export const stopNewsAction: ActionDefinition<'stop_news'> = {
  type: 'stop_news',
  leaves: false,
  run(spec) {
    const event = spec.topic ? { type: 'news_stopped' as const, topic: spec.topic } : { type: 'news_stopped' as const };
    return { events: [event], outputs: [{ text: spec.confirm, awaits: 0 }] };
  },
  keys(spec) {
    return typeof spec.confirm === 'string' ? [spec.confirm] : [];
  },
  check(spec) {
    const problems: string[] = [];
    if (spec.topic !== undefined && (typeof spec.topic !== 'string' || !/^[a-z_]+$/.test(spec.topic))) problems.push('stop_news: "topic" must be snake_case when given');
    if (typeof spec.confirm !== 'string' || !KEY.test(spec.confirm)) problems.push('stop_news: "confirm" must be an i18n key "namespace:key"');
    return problems;
  },
};
