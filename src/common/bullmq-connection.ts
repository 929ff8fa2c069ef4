import { createClient } from 'redis';

type NodeRedis = ReturnType<typeof createClient>;

/**
 * A node-redis client for one BullMQ queue or worker (BullMQ wraps it with createNodeRedisClient;
 * a worker blocks on its own connection, so each gets one). BullMQ does not close a client it was
 * given: `close` does, after the queue or worker has closed. Errors are reported by the queue/worker.
 */
export interface BullConnection {
  connection: never;
  /** Closes after pending replies (destroys if that fails). */
  close(): Promise<void>;
  /** Drops the socket at once, failing what is pending (a client that is still trying to reach Redis). */
  destroy(): void;
}

export function bullConnection(url: string): BullConnection {
  const client: NodeRedis = createClient({ url, socket: { reconnectStrategy: (n: number) => Math.min(100 * 2 ** n, 5_000) } });
  client.on('error', () => undefined);
  return {
    connection: client as never,
    close: async () => {
      if (!client.isOpen) return;
      await client.close().catch(() => client.destroy());
    },
    destroy: () => {
      if (client.isOpen) client.destroy();
    },
  };
}
