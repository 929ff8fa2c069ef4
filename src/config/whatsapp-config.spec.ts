import { ConfigError, loadConfig } from './config';

const channel = { WHATSAPP_ACCESS_TOKEN: `EAAT${'a'.repeat(40)}`, WHATSAPP_PHONE_NUMBER_ID: '106540352242922' };
const secrets = { WHATSAPP_APP_SECRET: 'b'.repeat(32), WHATSAPP_VERIFY_TOKEN: 'wa_verify_0123456789abcdef' };
const production = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://redis:6379',
  SIRA_ENCRYPTION_KEYS: 'k1:' + Buffer.alloc(32, 1).toString('base64'),
  SIRA_BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
};

describe('the WhatsApp configuration', () => {
  it('is off without the access token, on with it, Meta’s Graph API and v23.0 by default', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).whatsapp).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'development', ...channel, ...secrets }).whatsapp).toEqual({
      accessToken: channel.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: channel.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: secrets.WHATSAPP_APP_SECRET,
      verifyToken: secrets.WHATSAPP_VERIFY_TOKEN,
      apiBaseUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
      templates: {},
    });
  });

  it('needs the phone number id with the token', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', WHATSAPP_ACCESS_TOKEN: channel.WHATSAPP_ACCESS_TOKEN })).toThrow(/WHATSAPP_PHONE_NUMBER_ID/);
  });

  it.each(['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const)('refuses to start in production without %s, naming it and not the values', (key) => {
    const env: Record<string, string> = { ...production, ...channel, ...secrets };
    delete env[key];
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(key));
    expect(() => loadConfig(env)).not.toThrow(new RegExp(channel.WHATSAPP_ACCESS_TOKEN));
    expect(() => loadConfig({ ...production, ...channel, ...secrets })).not.toThrow();
  });

  it('accepts another API version and base URL (a local fake in tests), refuses a version of another shape', () => {
    const config = loadConfig({ NODE_ENV: 'development', ...channel, WHATSAPP_API_VERSION: 'v24.0', WHATSAPP_API_BASE_URL: 'http://127.0.0.1:4000/' });
    expect(config.whatsapp).toMatchObject({ apiVersion: 'v24.0', apiBaseUrl: 'http://127.0.0.1:4000' });
    expect(() => loadConfig({ NODE_ENV: 'development', ...channel, WHATSAPP_API_VERSION: '23' })).toThrow(/WHATSAPP_API_VERSION/);
  });

  it('reads WHATSAPP_TEMPLATES: a proactive key to its approved name, languages and body parameters', () => {
    const templates = '{"callback:proactive.status":{"name":"sira_status","languages":{"fr":"fr","en":"en_US"},"params":["code"]}}';
    expect(loadConfig({ NODE_ENV: 'development', ...channel, WHATSAPP_TEMPLATES: templates }).whatsapp?.templates).toEqual({
      'callback:proactive.status': { name: 'sira_status', languages: { fr: 'fr', en: 'en_US' }, params: ['code'] },
    });
  });

  it('reads a template for the keep-it question of her news (news:proactive.keep, its {{days}})', () => {
    const templates = '{"news:proactive.keep":{"name":"sira_keep","languages":{"fr":"fr"},"params":["days"]}}';
    expect(loadConfig({ NODE_ENV: 'development', ...channel, WHATSAPP_TEMPLATES: templates }).whatsapp?.templates).toEqual({
      'news:proactive.keep': { name: 'sira_keep', languages: { fr: 'fr' }, params: ['days'] },
    });
  });

  it.each([
    ['not JSON', 'callback:proactive.status=sira_status'],
    ['a key that is not a proactive text', '{"menu:prompt":{"name":"menu","languages":{"fr":"fr"}}}'],
    ['a news text that is not proactive', '{"news:subscribed":{"name":"news","languages":{"fr":"fr"}}}'],
    ['a name Meta would not accept', '{"callback:proactive.status":{"name":"Sira Status","languages":{"fr":"fr"}}}'],
    ['no language', '{"callback:proactive.status":{"name":"sira_status","languages":{}}}'],
    ['an unknown field', '{"callback:proactive.status":{"name":"sira_status","languages":{"fr":"fr"},"text":"x"}}'],
  ])('refuses WHATSAPP_TEMPLATES with %s', (_what, value) => {
    expect(() => loadConfig({ NODE_ENV: 'development', ...channel, WHATSAPP_TEMPLATES: value })).toThrow(/WHATSAPP_TEMPLATES/);
  });
});
