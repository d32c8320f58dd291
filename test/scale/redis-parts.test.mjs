// @ts-check
/**
 * The Redis parts one by one, against a real redis-server: the shared budget's script, the leases, each target's
 * shared state, and the connection through an outage.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { RedisBudget } from '../../dist/server/redis/budget.js';
import { RedisConnection } from '../../dist/server/redis/connection.js';
import { Keys, stateTtl } from '../../dist/server/redis/keys.js';
import { acquire, release, remaining } from '../../dist/server/redis/lease.js';
import { RedisPackageError } from '../../dist/server/redis/package.js';
import { SharedStates } from '../../dist/server/redis/shared-state.js';
import { TargetHub } from '../../dist/server/target-hub.js';
import { until } from './cluster.mjs';
import { redisServerInstalled, startRedisServer } from './redis-server.mjs';

const skip = redisServerInstalled() ? false : 'redis-server is not installed: the scale-out tests were not run';
const clock = { now: () => Date.now(), setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };

/** @param {string} url */
async function connect(url, /** @type {string[]} */ lines = []) {
  const connection = new RedisConnection({ redis: url, log: (line) => lines.push(line) });
  await connection.open();
  return connection;
}

describe('Redis parts', { skip }, () => {
  /** @type {import('./redis-server.mjs').RedisServer} */
  let redis;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.stop();
  });

  it('a missing redis package is an error that names it', async () => {
    const connection = new RedisConnection({
      redis: redis.url,
      log: () => undefined,
      packageName: 'no-such-redis-pkg',
    });
    await assert.rejects(connection.open(), (error) => {
      assert.ok(error instanceof RedisPackageError);
      assert.match(error.message, /npm install redis/);
      return true;
    });
  });

  it('a node-redis client the host already has is used as it is, and left open when the server closes', async () => {
    const { createClient } = await import('redis');
    const host = createClient({ url: redis.url });
    host.on('error', () => undefined);
    await host.connect();
    const connection = new RedisConnection({ redis: /** @type {any} */ (host), log: () => undefined });
    await connection.open();
    assert.equal(connection.up, true);
    assert.equal(await connection.command(['PING']), 'PONG');
    await connection.close();
    assert.equal(host.isOpen, true);
    assert.equal(await host.ping(), 'PONG');
    await host.close();
  });

  it('two replicas hitting one budget of 20 a minute at once get 20 grants between them, not 40', async () => {
    const a = await connect(redis.url);
    const b = await connect(redis.url);
    const keys = new Keys(`t${Math.random()}:`);
    const make = (/** @type {RedisConnection} */ connection) =>
      new RedisBudget({ connection, keys, perMinute: 20, perViewer: 20, clock, replicas: () => 2 });
    const [ba, bb] = [make(a), make(b)];
    const grants = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? ba : bb).grant('read')));
    assert.equal(grants.filter((g) => g.ok).length, 20);
    const refused = grants.find((g) => !g.ok);
    assert.ok(refused && !refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 3000);
    assert.equal(ba.stats.local + bb.stats.local, 0);
    await Promise.all([a.close(), b.close()]);
  });

  it("one viewer's share is shared across replicas, and background reads leave the reserve", async () => {
    const a = await connect(redis.url);
    const b = await connect(redis.url);
    const keys = new Keys(`t${Math.random()}:`);
    const make = (/** @type {RedisConnection} */ connection) =>
      new RedisBudget({ connection, keys, perMinute: 100, perViewer: 4, clock, replicas: () => 2 });
    const [ba, bb] = [make(a), make(b)];
    const mine = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? ba : bb).grant('read', 'viewer-1')));
    assert.equal(mine.filter((g) => g.ok).length, 4);
    assert.equal((await ba.grant('read', 'viewer-2')).ok, true, "another viewer's reads still get through");
    const background = await Promise.all(Array.from({ length: 100 }, () => bb.grant('background')));
    // 100 - 5 spent, background stops at the 25-request reserve.
    assert.equal(background.filter((g) => g.ok).length, 95 - 25);
    await Promise.all([a.close(), b.close()]);
  });

  it('a lease is held by one replica at a time and let go only by its holder', async () => {
    const a = await connect(redis.url);
    const key = `t${Math.random()}:lease`;
    const first = await acquire(a, key, 5000);
    assert.ok(first);
    assert.equal(await acquire(a, key, 5000), null);
    assert.equal(await release(a, { key, token: 'someone-else' }), false);
    assert.ok((await remaining(a, key)) > 0);
    assert.equal(await release(a, first), true);
    assert.equal(await remaining(a, key), 0);
    const short = await acquire(a, key, 50);
    assert.ok(short);
    await new Promise((r) => setTimeout(r, 80));
    const next = await acquire(a, key, 5000);
    assert.ok(next, 'an expired lease can be taken');
    assert.equal(await release(a, short), false, 'the stalled holder cannot release the new holder’s lease');
    assert.equal(await release(a, next), true);
    await a.close();
  });

  it("changes from two replicas to one target's state are never lost, each published with its version", async () => {
    const a = await connect(redis.url);
    const b = await connect(redis.url);
    const keys = new Keys(`t${Math.random()}:`);
    const target = { kind: /** @type {const} */ ('recording'), id: 'r1' };
    const heard = /** @type {number[]} */ ([]);
    await b.subscribe(keys.channel(target), (message) => heard.push(JSON.parse(message).v));
    const [sa, sb] = [new SharedStates(a, keys), new SharedStates(b, keys)];
    const touch = (/** @type {SharedStates} */ s, /** @type {number} */ i) =>
      s.change(target, (stored) => {
        const core = new TargetHub(target, stored?.state, 1000);
        core.touched(1000 + i);
        return { store: { state: core.state, ttlMs: stateTtl(core.expiresAt, Date.now()), publish: true }, result: i };
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => touch(i % 2 ? sa : sb, i)));
    const stored = await sa.load(target);
    assert.equal(stored?.version, 40);
    await until(() => heard.length === 40, 5000);
    assert.deepEqual(
      heard,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const ttl = Number(await a.command(['PTTL', keys.state(target)]));
    assert.ok(ttl > 0, 'the state expires by itself');
    await Promise.all([a.close(), b.close()]);
  });

  it('an outage is said once and its end once; commands fail fast meanwhile, and channels are heard again after', async () => {
    const lines = /** @type {string[]} */ ([]);
    const a = await connect(redis.url, lines);
    const b = await connect(redis.url);
    const heard = /** @type {string[]} */ ([]);
    await a.subscribe('after-restart', (m) => heard.push(m));
    let reconnected = 0;
    a.onReconnect(() => reconnected++);
    await redis.kill();
    await until(() => !a.up, 5000);
    const started = Date.now();
    await assert.rejects(a.command(['PING']), { name: 'RedisUnavailable' });
    assert.ok(Date.now() - started < 100, 'no offline queue: a command fails at once');
    await new Promise((r) => setTimeout(r, 300));
    await redis.restart();
    await until(() => a.up && b.up && reconnected === 1, 5000);
    await b.command(['PUBLISH', 'after-restart', 'hello']);
    await until(() => heard.length === 1, 5000);
    assert.equal(lines.filter((l) => /cannot be reached/.test(l)).length, 1);
    assert.equal(lines.filter((l) => /reachable again/.test(l)).length, 1);
    assert.ok(
      lines.every((l) => l.includes('127.0.0.1:')),
      'the host is named',
    );
    await Promise.all([a.close(), b.close()]);
  });

  it('while Redis is away the budget grants only this replica’s share, then the shared one again', async () => {
    const a = await connect(redis.url);
    const keys = new Keys(`t${Math.random()}:`);
    const budget = new RedisBudget({ connection: a, keys, perMinute: 30, perViewer: 30, clock, replicas: () => 3 });
    await redis.kill();
    await until(() => !a.up, 5000);
    const grants = await Promise.all(Array.from({ length: 30 }, () => budget.grant('read')));
    assert.equal(grants.filter((g) => g.ok).length, 10);
    await redis.restart();
    await until(() => a.up, 5000);
    assert.equal((await budget.grant('read')).ok, true);
    assert.ok(budget.stats.shared >= 1);
    await a.close();
  });
});
