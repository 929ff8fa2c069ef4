/** The routes Twilio Voice calls, relative to PUBLIC_BASE_URL (what Twilio signs is that URL + path + query). */
export const TWILIO_VOICE_PATH = '/webhooks/twilio/voice';
/** where each `<Gather>` brings her key press back (`?n=<step>&l=<key|number>&s=<silences>`). */
export const TWILIO_VOICE_KEY_PATH = '/webhooks/twilio/voice/key';
export const TWILIO_VOICE_STATUS_PATH = '/webhooks/twilio/voice/status';
/** where a return call Sira placed is answered (`AnsweredBy` from answering-machine detection). */
export const TWILIO_VOICE_ANSWERED_PATH = '/webhooks/twilio/voice/answered';
