import { z } from 'zod';
import { jsonText } from './json-text.schema';

/**
 * One approved WhatsApp template standing for one proactive text outside her 24-hour window.
 * `languages` maps Sira's language to the language code the template was approved in (Meta: `fr`,
 * `en`, `en_US`…); a language without an entry gets no template, so nothing is sent to her outside
 * the window. `params` names the text's parameters in the order of the template's `{{1}}`, `{{2}}`…
 */
export const whatsappTemplateSchema = z
  .object({
    /** the template's name as approved in WhatsApp Manager (lower case, digits, underscores). */
    name: z.string().regex(/^[a-z0-9_]{1,512}$/),
    languages: z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/)).refine((m) => Object.keys(m).length > 0, 'names no language'),
    params: z.array(z.string().regex(/^\w{1,64}$/)).max(10).default([]),
  })
  .strict();

export type WhatsAppTemplateEntry = z.infer<typeof whatsappTemplateSchema>;

/**
 * `WHATSAPP_TEMPLATES`: a JSON object from a proactive text key to its template, e.g.
 * `{"callback:proactive.status":{"name":"sira_status","languages":{"fr":"fr","en":"en"},"params":["code"]}}`.
 * Only proactive keys (`callback:proactive.*`, and `news:proactive.*`: the keep-it question of her news, issue 26;
 * the texts the discretion check holds to the strictest wording) may be templates: anything else outside the
 * window is never sent.
 */
export const whatsappTemplatesSchema = jsonText()
  .pipe(z.record(z.string().regex(/^(callback|news):proactive\.[a-z_]+$/, 'only a proactive text key (callback:proactive.*, news:proactive.*) may have a template'), whatsappTemplateSchema));

export type WhatsAppTemplates = z.infer<typeof whatsappTemplatesSchema>;
