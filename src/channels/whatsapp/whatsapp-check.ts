import type { LoadedContent } from '../../content/content.types';
import { createTranslator } from '../../content/i18n';
import { cut, LIST_BUTTON_KEY, WHATSAPP_CONTEXT, WHATSAPP_LIMITS } from './whatsapp.renderer';

/** The longest question number a reply id is made for (`q<15 digits>:<choice id>`). */
const QUESTION_DIGITS = 15;

/**
 * `flows:check` for WhatsApp: a choice id too long for a reply id (the renderer would refuse the menu) or
 * a list button label too long is a problem; labels longer than a list row's title are reported (the
 * renderer cuts them and shows the whole label as the row's description, so nothing is lost).
 */
export function whatsappCheck(content: Pick<LoadedContent, 'flowSet' | 'resources' | 'base' | 'languages'>): { report: string; problems: string[] } {
  const problems: string[] = [];
  const labels = new Set<string>();
  for (const flow of Object.values(content.flowSet.flows)) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type !== 'menu') continue;
      for (const choice of node.choices) {
        labels.add(choice.label);
        if (`q${'9'.repeat(QUESTION_DIGITS)}:${choice.id}`.length > WHATSAPP_LIMITS.id) {
          problems.push(`${flow.file}: node "${node.id}": choice id "${choice.id}" is too long for a WhatsApp reply id (${WHATSAPP_LIMITS.id} characters)`);
        }
      }
    }
  }
  const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
  const lines = ['whatsapp   list button   labels cut in list rows (the whole label goes below)'];
  for (const { code } of content.languages) {
    // as WhatsApp shows them: a label's WhatsApp variant where the language has one
    const plain = translator.t(code);
    const t = (key: string) => plain(key, { context: WHATSAPP_CONTEXT });
    const button = t(LIST_BUTTON_KEY);
    if ([...button].length > WHATSAPP_LIMITS.listButton) problems.push(`${code}: ${LIST_BUTTON_KEY} is longer than ${WHATSAPP_LIMITS.listButton} characters (WhatsApp's list button)`);
    const long = [...labels].filter((key) => cut(t(key), WHATSAPP_LIMITS.rowTitle) !== t(key)).sort();
    lines.push(`${code.padEnd(11)}${button.padEnd(14)}${long.length}${long.length ? `: ${long.join(', ')}` : ''}`);
  }
  return { report: lines.join('\n'), problems };
}
