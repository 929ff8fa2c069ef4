import {
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
  type Output,
  type TelegramButton,
  type TelegramMessage,
  type Translate,
} from '../render.types';

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

/** One Telegram message per engine output; choices become inline buttons, one per row. */
export function renderTelegram(outputs: readonly Output[], t: Translate): TelegramMessage[] {
  return outputs.map((output) => {
    const buttons: TelegramButton[] = (output.choices ?? []).map((choice) => ({
      label: t(choice.label),
      data: buttonData(output.question ?? 0, choice.id),
    }));
    return { text: escapeTelegramHtml(t(output.text, output.params)), buttons };
  });
}
