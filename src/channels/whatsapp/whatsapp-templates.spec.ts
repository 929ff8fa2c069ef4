import { templateFor, templatePayload } from './whatsapp-templates';

const templates = { 'callback:proactive.status': { name: 'sira_status', languages: { fr: 'fr', en: 'en_US' }, params: ['code'] } };
const status = { text: 'callback:proactive.status', params: { code: 'K7M2QX' } };

describe('the template standing for a proactive message outside her window', () => {
  it('is the configured one, in her language’s code, with the parameters in order', () => {
    expect(templateFor([status], 'en', templates)).toEqual({ name: 'sira_status', language: 'en_US', parameters: ['K7M2QX'] });
  });

  it.each([
    ['a language it was not approved in', [status], 'bm'],
    ['a text without a template', [{ text: 'common:expired' }], 'fr'],
    ['a missing parameter', [{ text: 'callback:proactive.status' }], 'fr'],
    ['more than one text', [status, { text: 'common:expired' }], 'fr'],
  ])('is none for %s', (_what, outputs, language) => {
    expect(templateFor(outputs, language, templates)).toBeUndefined();
  });

  it('is sent as the Cloud API’s template message', () => {
    expect(templatePayload('22370000000', { name: 'sira_status', language: 'fr', parameters: ['K7M2QX'] })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '22370000000',
      type: 'template',
      template: { name: 'sira_status', language: { code: 'fr' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'K7M2QX' }] }] },
    });
  });
});
