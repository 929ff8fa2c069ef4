/** The routes Twilio calls, relative to PUBLIC_BASE_URL (what Twilio signs is that URL + path). */
export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
