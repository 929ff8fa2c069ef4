/**
 * `npm run chat [-- --channel sms|telegram|voice] [--from ID] [--url URL]`
 *
 * A terminal phone for content authors and developers: each line typed (or piped) is sent to the
 * running service's development simulator, and every reply is printed as the chosen channel
 * renders it. The simulator is a channel like the others: its replies leave by the outbound queue to
 * the simulator's outbox, from which the service answers this request (src/channels/simulator/). With
 * `--channel voice` it is a call through the simulator's keypad phone (the voice channel, no provider):
 * what she would hear is printed, and each line is the key(s) she presses (an empty line: no key); a
 * line after the call ended calls again. It is only a client over loopback: it never opens ./data itself.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { formatCall, formatReply, ChatChannel } from './chat.format';

interface Options {
  channel: ChatChannel;
  from: string;
  url: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      channel: { type: 'string', default: 'sms' },
      from: { type: 'string' },
      url: { type: 'string' },
    },
  });
  if (values.channel !== 'sms' && values.channel !== 'telegram' && values.channel !== 'voice') {
    console.error('--channel must be sms, telegram or voice');
    process.exit(2);
  }
  const port = loadConfig().http.port;
  return {
    channel: values.channel,
    from: values.from ?? `sim-${randomBytes(6).toString('hex')}`,
    url: (values.url ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
  };
}

async function send(opts: Options, text: string): Promise<unknown> {
  // On Telegram a conversation begins with /start; the simulator takes it as a start, not as words.
  return post(opts, '/simulator/messages', opts.channel === 'telegram' && text === '/start' ? { from: opts.from, start: true } : { from: opts.from, text });
}

async function post(opts: Options, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${opts.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status === 404) throw new NoSimulator();
  if (!response.ok) throw new ServiceError(`the service answered ${response.status}: ${await response.text()}`);
  return response.json();
}

class NoSimulator extends Error {}
/** The service answered, but not with a reply (a 400, or a 504 when its reply was not sent in time). */
class ServiceError extends Error {}

function explainUnreachable(opts: Options, error: unknown): void {
  if (error instanceof NoSimulator) {
    console.error(`The service at ${opts.url} has no simulator (it is off in production or with SIMULATOR_ENABLED=false).`);
  } else if (error instanceof ServiceError) {
    console.error(error.message);
  } else {
    console.error(`No Sira service answers at ${opts.url}.`);
    console.error('Start one in another terminal with:  npm start   (then run npm run chat again)');
  }
}

/** A call through the keypad phone: `next` is what the last answer said to send back with the keys. */
class Call {
  private next: unknown = null;

  constructor(private readonly opts: Options) {}

  /** Calls when not in a call (printing the first prompt), then presses the keys. */
  async press(digits: string, echo: boolean): Promise<void> {
    if (!this.next) await this.answer({ from: this.opts.from }, echo ? '> (calls)' : undefined);
    await this.answer({ from: this.opts.from, call: this.next, digits }, echo ? `> ${digits || '(no key)'}` : undefined);
  }

  async dial(echo: boolean): Promise<void> {
    await this.answer({ from: this.opts.from }, echo ? '> (calls)' : undefined);
  }

  private async answer(body: unknown, shown: string | undefined): Promise<void> {
    if (shown) console.log(shown);
    const reply = (await post(this.opts, '/simulator/calls', body)) as { next: unknown };
    console.log(formatCall(reply));
    this.next = reply.next;
  }
}

async function talk(opts: Options, interactive: boolean, lines: AsyncIterable<string>): Promise<void> {
  const call = new Call(opts);
  // read from now on: lines piped in while the call is dialling would be lost otherwise
  const input = lines[Symbol.asyncIterator]();
  await call.dial(!interactive);
  for (let next = await input.next(); !next.done; next = await input.next()) {
    const keys = next.value.trim();
    if (/[^0-9*#]/.test(keys)) console.log('    (not a phone key: 0-9, * and #)');
    else await call.press(keys, !interactive);
  }
}

async function main(): Promise<void> {
  const opts = options();
  const interactive = process.stdin.isTTY;
  if (interactive) console.log(`Chatting as ${opts.from} (${opts.channel}). Type a message; Ctrl-D to quit.`);
  const lines = createInterface({ input: process.stdin, terminal: false });
  if (opts.channel === 'voice') {
    if (interactive) console.log('A call: type the key(s) she presses, one line each (an empty line: no key).');
    return talk(opts, interactive, lines).catch((error: unknown) => {
      explainUnreachable(opts, error);
      process.exitCode = 1;
    });
  }
  for await (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    if (!interactive) console.log(`> ${text}`);
    try {
      console.log(formatReply(await send(opts, text), opts.channel));
    } catch (error) {
      explainUnreachable(opts, error);
      process.exitCode = 1;
      return;
    }
  }
}

void main();
