import type { Output } from '../engine/engine.types';
import type { Translate } from '../content/i18n';

export type { Output, Translate };

/** One SMS body, ready for the SMS sender (segmenting is the sender's job). */
export type SmsText = string;

/** One inline-keyboard button; `data` is the callback data Telegram sends back on a tap. */
export interface TelegramButton {
  label: string;
  data: string;
}

/** One Telegram message: HTML-escaped text (parse_mode HTML) and one button per row. */
export interface TelegramMessage {
  text: string;
  buttons: TelegramButton[];
  /**
   * Label of a reply-keyboard button that shares her own contact (asked for a phone number);
   * she may still type a number. Never together with `buttons` (one reply_markup per message).
   */
  contactButton?: string;
  /**
   * A voice message instead of a text (listen mode): the OGG/Opus recording served at this path
   * (`/audio/<sha256>.ogg`); `text` is then empty and there are no buttons.
   */
  voice?: string;
}

/** Telegram refuses callback data longer than 64 bytes. */
export const TELEGRAM_CALLBACK_DATA_MAX_BYTES = 64;
