/**
 * The channels Sira speaks on. A contact is one identity on one channel: the same woman on SMS and
 * on Telegram is two contacts, never linked automatically.
 *
 * Lives in the shared kernel because nearly every module (contacts, crypto, outbound, callbacks)
 * speaks of a channel; a new channel adds its name here and nowhere else in shared code.
 */
export type ChannelName = 'sms' | 'telegram' | 'simulator' | 'voice' | 'whatsapp';
