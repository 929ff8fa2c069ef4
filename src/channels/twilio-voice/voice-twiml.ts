import twilio from 'twilio';
import type { VoicePrompt } from '../voice/voice-prompt';

/** Seconds Twilio waits for a key after the prompt, and between the digits of a number. */
const KEY_TIMEOUT_S = 6;
const NUMBER_TIMEOUT_S = 10;

/**
 * A prompt as TwiML, built with Twilio's own SDK. A question is one `<Gather input="dtmf">` around
 * everything said, so a key interrupts at once (9 or the safety choice in the first seconds); a menu
 * takes one key (`finishOnKey=""`, so `#` arrives as a key), a number any digits up to `#`. The action
 * is called even with no key (`actionOnEmptyResult`): that is how silence is counted.
 */
export function voiceTwiml(prompt: VoicePrompt, action: (listen: 'key' | 'number') => string): string {
  const response = new twilio.twiml.VoiceResponse();
  if (prompt.listen === 'none') {
    say(response, prompt);
    response.hangup();
    return response.toString();
  }
  const gather = response.gather({
    input: ['dtmf'],
    action: action(prompt.listen),
    method: 'POST',
    actionOnEmptyResult: true,
    ...(prompt.listen === 'key' ? { numDigits: 1, finishOnKey: '', timeout: KEY_TIMEOUT_S } : { finishOnKey: '#', timeout: NUMBER_TIMEOUT_S }),
  });
  say(gather, prompt);
  return response.toString();
}

type Speaker = Pick<ReturnType<twilio.twiml.VoiceResponse['gather']>, 'play' | 'say'>;

function say(target: Speaker, prompt: VoicePrompt): void {
  for (const piece of prompt.pieces) {
    if ('play' in piece) target.play(piece.play);
    else target.say({ language: piece.language as 'fr-FR' }, piece.say);
  }
}

/** A call Sira does not take (a number not served, a withheld or foreign caller): not answered, not billed. */
export function rejectTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.reject();
  return response.toString();
}
