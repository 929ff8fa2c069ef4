/** Injection token of the provider that places a return call (Twilio's REST `Calls` API today). */
export const VOICE_DIALER = Symbol('VOICE_DIALER');

/**
 * Places a call to her number that, once answered, opens with the neutral greeting and waits for a key.
 * The provider asks for answering-machine detection: a machine gets no message at all.
 */
export interface VoiceDialer {
  dial(to: string): Promise<void>;
}
