import type { WhatsAppTemplates } from '../../config/whatsapp-templates.schema';
import type { Output } from '../render.types';
import type { WhatsAppMessage } from './whatsapp.renderer';

/** The approved template a proactive message may go as once her 24-hour window is closed. */
export interface WhatsAppTemplateRef {
  name: string;
  /** the template's language code at Meta (`fr`, `en_US`…). */
  language: string;
  /** body parameters, in the template's `{{1}}`, `{{2}}`… order (a reference code: never her words). */
  parameters: string[];
}

/** A rendered message, with the template standing for it outside the window when one is configured. */
export type WhatsAppOutgoing = WhatsAppMessage & { template?: WhatsAppTemplateRef };

/**
 * The template for a message made of one configured proactive text in a language it was approved in,
 * with every parameter it names; otherwise none (and outside the window nothing is sent).
 */
export function templateFor(outputs: readonly Output[], language: string, templates: WhatsAppTemplates): WhatsAppTemplateRef | undefined {
  if (outputs.length !== 1) return undefined;
  const [output] = outputs;
  const entry = templates[output!.text];
  const code = entry?.languages[language];
  if (!entry || !code) return undefined;
  const parameters = entry.params.map((p) => output!.params?.[p]);
  if (parameters.some((p) => p === undefined || p === '')) return undefined;
  return { name: entry.name, language: code, parameters: parameters.map(String) };
}

/** The Cloud API's template message (Meta, "Send message templates"): name, language, body parameters. */
export function templatePayload(to: string, template: WhatsAppTemplateRef): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.parameters.length > 0 ? { components: [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}
