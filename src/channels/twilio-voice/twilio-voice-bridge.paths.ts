/**
 * The routes Twilio calls for a call through Sira (staff → her), relative to PUBLIC_BASE_URL; each
 * carries `?c=<call id>`, an opaque id signed with the URL by Twilio (never a number, never a request id).
 */
/** the agent answered her own phone: TwiML `<Dial>`s the woman. */
export const TWILIO_VOICE_BRIDGE_PATH = '/webhooks/twilio/voice/bridge';
/** the Dial's `action`: how her leg ended (DialCallStatus, DialCallDuration). */
export const TWILIO_VOICE_BRIDGE_DONE_PATH = '/webhooks/twilio/voice/bridge/done';
/** the agent's leg's final status (her phone did not answer, was busy, failed). */
export const TWILIO_VOICE_BRIDGE_STATUS_PATH = '/webhooks/twilio/voice/bridge/status';
