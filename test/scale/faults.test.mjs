// @ts-check
/**
 * Faults in a deployment of replicas: Redis killed and restarted empty in the middle of a recording, and a
 * replica killed while its viewers move to another. Nothing is lost and no viewer is sent an older status.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { Frames, open } from '../server/frames.mjs';
import { recordingNow, startCluster, until } from './cluster.mjs';
import { redisServerInstalled } from './redis-server.mjs';

const skip = redisServerInstalled() ? false : 'redis-server is not installed: the scale-out tests were not run';

/** @typedef {Awaited<ReturnType<typeof startCluster>>} Cluster */

const lastId = (/** @type {Frames} */ f) =>
  Number(/^id: (\d+)$/m.exec(f.frames.filter((x) => /^id: /m.test(x)).at(-1) ?? '')?.[1]);

describe('Redis killed and restarted mid-recording', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    c = await startCluster({ replicas: 2, startDelayMs: 1000, uploadMs: 300 });
  });
  after(() => c?.close());

  it('the terminal status signed to A during the outage still reaches the viewers on B, and each replica says so once', async () => {
    const [a, b] = c.replicas;
    assert.ok(a && b);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const viewers = await Promise.all(
      Array.from({ length: 5 }, () => open(`${b.url}/events?recording_id=${r.id}`, token)),
    );
    for (const v of viewers) assert.equal((await v.recording())?.status, 'RECORDING');

    await c.redis.kill();
    await until(() => a.server.stats().redis?.up === false && b.server.stats().redis?.up === false);
    // Both replicas go on: A takes the webhooks on its own.
    assert.equal(c.simulator.control(r.id, 'stop'), null);
    assert.deepEqual((await c.deliver(a, r.id)).json, { success: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    c.simulator.tick();
    assert.equal(r.status, 'UPLOADED');
    assert.deepEqual((await c.deliver(a, r.id)).json, { success: true });
    assert.ok((a.server.stats().redis?.localChanges ?? 0) >= 2);
    const readOnA = await fetch(`${a.url}/recordings/${r.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await readOnA.json()).data.status, 'UPLOADED', 'A serves what it knows meanwhile');

    await c.redis.restart();
    for (const v of viewers) {
      let status;
      for (let i = 0; i < 3 && status !== 'UPLOADED'; i++) status = (await v.recording())?.status;
      assert.equal(status, 'UPLOADED');
    }
    for (const replica of [a, b]) {
      // A replica's subscriber may be back (and its viewers told) before its command connection, which says it.
      await until(() => replica.logs.some((l) => /reachable again/.test(l)));
      assert.equal(replica.logs.filter((l) => /Redis at 127\.0\.0\.1:\d+ cannot be reached/.test(l)).length, 1);
      assert.equal(replica.logs.filter((l) => /reachable again/.test(l)).length, 1);
    }
    // The shared state holds the terminal status again, with a seq past everything a viewer saw.
    const fresh = await c.addReplica();
    const read = await fetch(`${fresh.url}/recordings/${r.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await read.json()).data.status, 'UPLOADED');
  });
});

describe('a replica killed while its viewers move to another', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    c = await startCluster({ replicas: 1, startDelayMs: 1000 });
  });
  after(() => c?.close());

  it('viewers that reconnect to a second replica process with their Last-Event-ID miss nothing and see nothing older', async () => {
    const [a] = c.replicas;
    assert.ok(a);
    const [doomed, survivor] = await Promise.all([c.spawnReplica(), c.spawnReplica()]);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const viewers = await Promise.all(
      Array.from({ length: 10 }, () => open(`${doomed.url}/events?recording_id=${r.id}`, token)),
    );
    for (const v of viewers) assert.equal((await v.recording())?.status, 'RECORDING');
    c.simulator.control(r.id, 'pause');
    await c.deliver(a, r.id);
    for (const v of viewers) assert.equal((await v.recording())?.status, 'PAUSED');
    const seen = viewers.map(lastId);
    assert.ok(seen.every((id) => Number.isFinite(id)));

    await doomed.kill();
    // The change happens while the viewers are between replicas.
    c.simulator.control(r.id, 'resume');
    await c.deliver(a, r.id, { distinct: true });
    const moved = await Promise.all(
      viewers.map(
        async (_, i) =>
          new Frames(
            await fetch(`${survivor.url}/events?recording_id=${r.id}`, {
              headers: {
                Accept: 'text/event-stream',
                Authorization: `Bearer ${token}`,
                'Last-Event-ID': String(seen[i]),
              },
              signal: AbortSignal.timeout(20_000),
            }),
          ),
      ),
    );
    for (const [i, f] of moved.entries()) {
      assert.equal((await f.recording())?.status, 'RECORDING', 'the change made while away arrives first');
      assert.ok(lastId(f) > /** @type {number} */ (seen[i]));
    }
    c.simulator.control(r.id, 'stop');
    await c.deliver(a, r.id);
    for (const f of moved) assert.equal((await f.recording())?.status, 'UPLOADING');
    for (const f of moved) void f.reader.cancel();
  });
});
