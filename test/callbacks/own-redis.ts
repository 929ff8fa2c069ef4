import { startKillableRedis, type KillableRedis } from '../resilience/support/killable-redis';

/**
 * A redis-server of this test's own, on a free port in a temporary folder, without persistence: the
 * only Redis a test may flush, stop and start (the machine's shared one is never touched).
 */
export type OwnRedis = KillableRedis;

export function startOwnRedis(): Promise<OwnRedis> {
  return startKillableRedis({ mode: 'plain' });
}
