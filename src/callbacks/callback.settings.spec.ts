import { loadConfig } from '../config/config';
import { callbackSettings } from './callback.settings';

describe('what the callback notices say is kept', () => {
  it('states the default retention: 90 days after the request ends, unfinished answers after 60 minutes', () => {
    expect(callbackSettings(loadConfig({ NODE_ENV: 'test' })).noticeFacts).toEqual({ kept_days: '90', unfinished_minutes: '60' });
  });

  it('follows RETENTION_CLOSED_CALLBACK_DAYS and RETENTION_ABANDONED_MINUTES, so the words match the code', () => {
    const config = loadConfig({ NODE_ENV: 'test', RETENTION_CLOSED_CALLBACK_DAYS: '30', RETENTION_ABANDONED_MINUTES: '15' });
    expect(callbackSettings(config).noticeFacts).toEqual({ kept_days: '30', unfinished_minutes: '15' });
  });
});
