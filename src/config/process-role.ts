import type { Config } from './config';

/**
 * One image, three parts (SIRA_ROLE). `web` answers webhooks and staff pages and only enqueues; `worker`
 * runs every BullMQ worker, job scheduler, the SMS spool drain, Telegram polling, the callback rebuild and
 * the outbound sweep, and answers only /health over HTTP; `all` (default) is both. Every singleton stays single across
 * processes by a BullMQ job scheduler, a BullMQ lock or a Redis lock (table in docs/operations.md).
 */
export function runsWorkers(config: Pick<Config, 'role'>): boolean {
  return config.role !== 'web';
}

export function servesWeb(config: Pick<Config, 'role'>): boolean {
  return config.role !== 'worker';
}
