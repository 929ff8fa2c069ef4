import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TEST_AUTH_TOKEN } from '../test/sms/sms-test.helpers';
import { inboundParams } from '../test/sms/twilio-test.harness';
import { freePort } from '../test/support/service-process';
import { alternate, fmt, median, type Figure } from './bench-table';

const PUBLIC_URL = 'https://sira.example.org';

async function startAdapter(adapter: 'express' | 'fastify'): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'nest-adapter.server.ts'), String(port), adapter, TEST_AUTH_TOKEN, PUBLIC_URL], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((ready, fail) => {
    child.once('message', () => ready());
    child.once('exit', (code) => fail(new Error(`${adapter} server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function rps(url: string, seconds: number): Promise<number> {
  let n = 0;
  const result = await autocannon({
    url: `${url}/webhooks/twilio/sms`,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const params = inboundParams(`+2237${String(10_000_000 + (n++ % 200))}`, 'menu');
          const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_URL}/webhooks/twilio/sms`, params) };
          return { ...req, method: 'POST', headers, body: new URLSearchParams(params).toString() };
        },
      },
    ],
  });
  if (result.non2xx || result.errors) throw new Error(`${result.non2xx + result.errors} failed requests`);
  return result.requests.average;
}

/**
 * `@nestjs/platform-fastify` against Express, the same signed webhook in alternating rounds. The service
 * stays on Express unless this shows a gain that matters beside the whole turn (docs/performance.md).
 */
export async function httpAdapterFigures(rounds: number, seconds: number): Promise<Figure[]> {
  const express = await startAdapter('express');
  const fastify = await startAdapter('fastify');
  try {
    await rps(express.url, 1);
    await rps(fastify.url, 1);
    const samples = await alternate(rounds, () => rps(fastify.url, seconds), () => rps(express.url, seconds));
    const f = median(samples.ours);
    const e = median(samples.baseline);
    return [
      {
        name: 'NestJS webhook on Fastify vs Express (req/s, 50 connections, signature checked, nothing else)',
        ours: fmt(f),
        baseline: fmt(e),
        ratio: f / e,
        target: '— (decides the adapter)',
        met: 'n/a',
        note: 'bench/nest-adapter.server.ts: the HTTP layer alone; the full turn spends most of its time elsewhere (see the profile notes)',
        row: { name: 'nest-fastify-vs-express', value: f, baseline: e, ratio: f / e, goal: '— (reference)', met: true },
      },
    ];
  } finally {
    express.stop();
    fastify.stop();
  }
}

if (require.main === module) {
  httpAdapterFigures(3, 3).then((f) => console.log(JSON.stringify(f, null, 1)), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
