import { Counts, inPool, postSms, waitFor, sleep, type PostSmsOptions } from './traffic';

/** A short conversation: hello, French, reparations (three turns, each answered by SMS). */
export const CONVERSATION = ['Bonjour', '1', '1'];

/**
 * A callback request in Bambara, by SMS: hello, Bambara, talk to a person, consent, topic, call
 * language, afternoon, Monday to Saturday (what the default staff hours offer), voicemail yes, SMS yes,
 * "yes, call this number" (the confirmation with her code comes only after the row has committed).
 */
export const CALLBACK_REQUEST = ['I ni ce', '2', '3', '1', '5', '2', '2', '1', '2', '2', '1'];

/**
 * The replies one undisturbed run of `script` gets: the reference every number is compared with.
 * Waits until nothing new arrives for a second.
 */
export async function referenceRun(from: string, script: string[], options: PostSmsOptions, received: (to: string) => string[]): Promise<string[]> {
  for (const body of script) {
    const before = received(from).length;
    if ((await postSms(from, body, options)) !== 200) throw new Error('the reference run was refused');
    await waitFor(() => received(from).length > before, 20_000);
  }
  await settle(() => received(from).length);
  return received(from);
}

/** Waits until `count` stops changing for `quietMs`. */
export async function settle(count: () => number, quietMs = 1_000, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < until) {
    const now = count();
    if (now === last) return;
    last = now;
    await sleep(quietMs);
  }
}

/**
 * Every number runs the script, one turn after the other (the next message only once the previous
 * one was answered, as a phone does), `width` numbers at a time. `onProgress` sees the accepted
 * count after each message so a scenario can inject its fault mid-traffic.
 */
export async function runConversations(numbers: string[], script: string[], width: number, options: PostSmsOptions, onProgress?: (counts: Counts) => void): Promise<void> {
  await inPool(numbers, width, async (from, i) => {
    for (const [turn, body] of script.entries()) {
      // consecutive turns of one phone go to consecutive instances when there are several
      await postSms(from, body, { ...options, route: i + turn });
      onProgress?.(options.counts);
    }
  });
}
