/**
 * `npm run chat [-- --channel sms|telegram] [--from ID] [--url URL]`
 *
 * A terminal phone for content authors and developers: each line typed (or piped) is sent to the
 * running service's development simulator, and every reply is printed as the chosen channel
 * renders it. The simulator is a channel like the others: its replies leave by the outbound queue to
 * the simulator's outbox, from which the service answers this request (src/channels/simulator/). It is
 * only a client over loopback: it never opens ./data itself.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { formatReply, ChatChannel } from './chat.format';

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
  if (values.channel !== 'sms' && values.channel !== 'telegram') {
    console.error('--channel must be sms or telegram');
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
  const response = await fetch(`${opts.url}/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // On Telegram a conversation begins with /start; the simulator takes it as a start, not as words.
    body: JSON.stringify(opts.channel === 'telegram' && text === '/start' ? { from: opts.from, start: true } : { from: opts.from, text }),
  });
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

async function main(): Promise<void> {
  const opts = options();
  const interactive = process.stdin.isTTY;
  if (interactive) console.log(`Chatting as ${opts.from} (${opts.channel}). Type a message; Ctrl-D to quit.`);
  const lines = createInterface({ input: process.stdin, terminal: false });
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
