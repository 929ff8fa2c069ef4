import {
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
  type Output,
  type TelegramButton,
  type TelegramMessage,
  type Translate,
} from '../render.types';

/** Telegram refuses a message text over 4096 characters (after entity parsing); stay a little under. */
export const TELEGRAM_TEXT_MAX = 4000;
/** Telegram shows button labels on one line; longer labels are cut by the client, so cut them ourselves. */
export const TELEGRAM_BUTTON_LABEL_MAX = 64;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes the three characters Telegram's HTML parse mode reads as markup. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Button data ties a tap to the question it answers (`q<question>:<choiceId>`), so a tap on
 * an old keyboard is recognised as stale instead of answering the current question.
 */
export function buttonData(question: number, choiceId: string): string {
  const data = `q${question}:${choiceId}`;
  if (Buffer.byteLength(data, 'utf8') > TELEGRAM_CALLBACK_DATA_MAX_BYTES) {
    throw new Error(
      `choice id "${choiceId}" makes Telegram button data longer than ${TELEGRAM_CALLBACK_DATA_MAX_BYTES} bytes`,
    );
  }
  return data;
}

/** Reads button data back; null for anything that is not ours. */
export function parseButtonData(data: string): { question: number; choice: string } | null {
  const match = /^q(\d+):([a-z0-9_]+)$/.exec(data);
  return match ? { question: Number(match[1]), choice: match[2] } : null;
}

/** i18next key of the reply-keyboard button that shares her own number. */
export const SHARE_CONTACT_KEY = 'common:share_contact';

/** i18next context of Telegram's texts: `<key>_telegram` is used when her language has it. */
export const TELEGRAM_CONTEXT = 'telegram';

/**
 * One or more Telegram messages per engine output: choices become inline buttons, one per row,
 * under the last part of a text too long for one message. A question expecting a phone number
 * offers a button sharing her own contact instead (the normaliser accepts only her own card).
 * A text with a Telegram variant `<key>_telegram` in her language is shown in that variant
 * (i18next context), e.g. the number prompt that mentions the share button SMS does not have.
 */
export function renderTelegram(outputs: readonly Output[], t: Translate, maxLength = TELEGRAM_TEXT_MAX): TelegramMessage[] {
  return outputs.flatMap((output) => {
    const buttons: TelegramButton[] = (output.choices ?? []).map((choice) => ({
      label: fitLabel(t(choice.label)),
      data: buttonData(output.question ?? 0, choice.id),
    }));
    const contactButton = output.expects === 'phone' && !buttons.length ? fitLabel(t(SHARE_CONTACT_KEY)) : undefined;
    const parts = splitTelegramText(t(output.text, { ...output.params, context: TELEGRAM_CONTEXT }), maxLength);
    return parts.map((text, i) => {
      const last = i === parts.length - 1;
      const message: TelegramMessage = { text, buttons: last ? buttons : [] };
      if (last && contactButton) message.contactButton = contactButton;
      return message;
    });
  });
}

function fitLabel(label: string): string {
  const chars = [...label];
  return chars.length <= TELEGRAM_BUTTON_LABEL_MAX ? label : `${chars.slice(0, TELEGRAM_BUTTON_LABEL_MAX - 1).join('')}…`;
}

/**
 * Escapes a text and cuts it into parts of at most `maxLength` escaped characters: at paragraph
 * boundaries first, then at line ends, then between words, and only as a last resort inside a word.
 * The cut is made on the raw text, so an escape like `&amp;` is never split in two.
 */
export function splitTelegramText(raw: string, maxLength = TELEGRAM_TEXT_MAX): string[] {
  if (escapeTelegramHtml(raw).length <= maxLength) return [escapeTelegramHtml(raw)];
  const parts: string[] = [];
  for (const piece of pieces(raw, maxLength)) {
    const last = parts.length - 1;
    const joined = last >= 0 ? `${parts[last]}${piece.sep}${piece.text}` : piece.text;
    if (last >= 0 && escapeTelegramHtml(joined).length <= maxLength) parts[last] = joined;
    else parts.push(piece.text);
  }
  return parts.map((p) => escapeTelegramHtml(p.trim())).filter((p) => p.length > 0);
}

/** The smallest pieces that each fit, with the separator that preceded them in the text. */
function pieces(raw: string, maxLength: number): { text: string; sep: string }[] {
  const out: { text: string; sep: string }[] = [];
  const separators = ['\n\n', '\n', ' '];
  const visit = (text: string, sep: string, level: number): void => {
    if (escapeTelegramHtml(text).length <= maxLength) return void out.push({ text, sep });
    if (level >= separators.length) {
      hardCut(text, maxLength).forEach((chunk, i) => out.push({ text: chunk, sep: i === 0 ? sep : '' }));
      return;
    }
    text.split(separators[level]).forEach((sub, i) => visit(sub, i === 0 ? sep : separators[level], level + 1));
  };
  visit(raw, '', 0);
  return out;
}

function hardCut(text: string, maxLength: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const ch of text) {
    if (escapeTelegramHtml(current + ch).length > maxLength) {
      chunks.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) chunks.push(current);
  return chunks;
}
