import { startEmbeddedRedis } from './embedded-redis';

describe('the embedded Redis', () => {
  it('refuses a DATA_DIR too long for a unix socket, naming the way out', async () => {
    const dir = `/tmp/${'x'.repeat(120)}/redis`;
    await expect(startEmbeddedRedis(dir, `unix://${dir}/redis.sock`)).rejects.toThrow(/DATA_DIR is too long.*REDIS_URL/);
  });
});
