import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/support/service-process';

/**
 * The baseline of the webhook figures: a bare `node:http` server in its own process (as the service
 * is), reading the whole body — and parsing it as JSON when asked — then answering the same bytes.
 */
const SCRIPT = `
const http = require('node:http');
const [port, contentType, answer, parseJson] = process.argv.slice(1);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (parseJson === 'json') JSON.parse(body);
    else new URLSearchParams(body);
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
}).listen(Number(port), '127.0.0.1', () => process.send && process.send('ready'));
`;

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

export async function startBareServer(contentType: string, answer: string, parse: 'form' | 'json'): Promise<BareServer> {
  const port = await freePort();
  return started(port, spawn(process.execPath, ['-e', SCRIPT, String(port), contentType, answer, parse], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** The I/O floor (bench/io-floor.server.ts): the same round trips as a turn, nothing else. */
export async function startIoFloorServer(databaseUrl: string, redisUrl: string, prefix: string): Promise<BareServer> {
  const port = await freePort();
  const script = join(__dirname, 'io-floor.server.ts');
  return started(port, spawn(process.execPath, ['--import', 'tsx', script, String(port), databaseUrl, redisUrl, prefix], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** The durable minimum (bench/min-floor.server.ts): the least a turn that keeps its guarantees must do. */
export async function startMinFloorServer(databaseUrl: string, redisUrl: string, prefix: string): Promise<BareServer> {
  const port = await freePort();
  const script = join(__dirname, 'min-floor.server.ts');
  return started(port, spawn(process.execPath, ['--import', 'tsx', script, String(port), databaseUrl, redisUrl, prefix], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

async function started(port: number, child: ChildProcess): Promise<BareServer> {
  await new Promise<void>((ready, fail) => {
    child.once('message', () => ready());
    child.once('exit', (code) => fail(new Error(`bare server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
