// @ts-check
/** The server's contract table (test/e2e/contract.mjs) against a Node replica whose hub and budget live in Redis. */
import { after, before } from 'node:test';
import { startNode } from '../e2e/backends.mjs';
import { contractSuite } from '../e2e/contract.mjs';
import { redisServerInstalled, startRedisServer } from './redis-server.mjs';

if (redisServerInstalled()) {
  /** @type {import('./redis-server.mjs').RedisServer | undefined} */
  let redis;
  before(async () => {
    redis = await startRedisServer();
  });
  after(() => redis?.stop());
  contractSuite('a Node replica sharing a Redis', async (options) => {
    if (redis === undefined) throw new Error('redis-server did not start');
    return startNode({ ...options, redis: { url: redis.url, prefix: 'contract:' } });
  });
}
