// @ts-check
/**
 * Replicas sharing one Redis, as behind a load balancer: RealtimeKit's webhooks reach one replica, viewers watch
 * on the others, and the deployment shares one history per target, one upstream budget and one read per target.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { open } from '../server/frames.mjs';
import { fastClock, percentile, recordingNow, startCluster, until } from './cluster.mjs';
import { redisServerInstalled } from './redis-server.mjs';

const skip = redisServerInstalled() ? false : 'redis-server is not installed: the scale-out tests were not run';

/** @typedef {Awaited<ReturnType<typeof startCluster>>} Cluster */

const events = (/** @type {string} */ url, /** @type {string} */ id, /** @type {string} */ token, lastEventId = '') =>
  fetch(`${url}/events?recording_id=${id}`, {
    headers: {
      Accept: 'text/event-stream',
      Authorization: `Bearer ${token}`,
      ...(lastEventId === '' ? {} : { 'Last-Event-ID': lastEventId }),
    },
    signal: AbortSignal.timeout(30_000),
  });

describe('three replicas, webhooks to one, viewers on the others', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    c = await startCluster({ replicas: 3, startDelayMs: 1000 });
  });
  after(() => c?.close());

  it('every change signed to A reaches every viewer on B and C within 200 ms (p99), in order, once', async () => {
    const [a, b, cc] = c.replicas;
    assert.ok(a && b && cc);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const viewers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => open(`${(i % 2 ? b : cc).url}/events?recording_id=${r.id}`, token)),
    );
    for (const v of viewers) assert.equal((await v.recording())?.status, 'RECORDING');
    /** @type {number[]} */
    const latencies = [];
    for (let i = 0; i < 30; i++) {
      assert.equal(c.simulator.control(r.id, i % 2 === 0 ? 'pause' : 'resume'), null);
      const expected = i % 2 === 0 ? 'PAUSED' : 'RECORDING';
      // Each body distinct: a byte-identical repeat is another path (a check upstream), tested below.
      const delivery = await c.prepare(r.id, { distinct: true });
      const sent = performance.now();
      const arrivals = viewers.map(async (v) => {
        const event = await v.recording();
        latencies.push(performance.now() - sent);
        return event?.status;
      });
      const answer = await c.post(a, delivery);
      assert.deepEqual(answer.json, { success: true });
      assert.deepEqual(
        await Promise.all(arrivals),
        viewers.map(() => expected),
      );
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `# webhook to A, 40 viewers on B and C, 30 changes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    assert.ok(p99 < 200, `p99 ${p99} ms`);
    for (const v of viewers) void v.reader.cancel();
  });

  it('a delivery retried to another replica is a duplicate, and a replay under a new uuid is caught', async () => {
    const [a, b, cc] = c.replicas;
    assert.ok(a && b && cc);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const viewer = await open(`${b.url}/events?recording_id=${r.id}`, token);
    assert.equal((await viewer.recording())?.status, 'RECORDING');
    c.simulator.control(r.id, 'pause');
    const first = await c.deliver(a, r.id);
    assert.deepEqual(first.json, { success: true });
    assert.equal((await viewer.recording())?.status, 'PAUSED');
    // RealtimeKit retrying the same delivery, which the load balancer sends elsewhere.
    const retried = await c.deliver(b, r.id, { uuid: first.uuid, body: first.body });
    assert.deepEqual(retried.json, { success: true, duplicate: true });
    c.simulator.control(r.id, 'resume');
    const resumed = await c.deliver(cc, r.id);
    assert.deepEqual(resumed.json, { success: true });
    assert.equal((await viewer.recording())?.status, 'RECORDING');
    // The old PAUSED body replayed under a new uuid, to a third replica: not applied; RealtimeKit is asked, and
    // says RECORDING.
    const before = c.upstreamRequests();
    const replay = await c.deliver(cc, r.id, { uuid: 'replayed-uuid', body: first.body });
    assert.deepEqual(replay.json, { success: true, duplicate: true });
    await until(() => c.upstreamRequests() > before);
    const read = await fetch(`${a.url}/recordings/${r.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await read.json()).data.status, 'RECORDING');
    void viewer.reader.cancel();
  });

  it('a viewer reconnecting to another replica with its Last-Event-ID is never sent an older status', async () => {
    const [a, b, cc] = c.replicas;
    assert.ok(a && b && cc);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const onB = await open(`${b.url}/events?recording_id=${r.id}`, token);
    await onB.recording();
    c.simulator.control(r.id, 'pause');
    await c.deliver(a, r.id);
    await onB.recording();
    const lastId = /^id: (\d+)$/m.exec(onB.frames.at(-1) ?? '')?.[1];
    assert.ok(lastId);
    void onB.reader.cancel();
    // A replica that has not seen this target yet answers from the shared snapshot: nothing older, nothing again.
    const fresh = await c.addReplica();
    const before = c.upstreamRequests();
    const moved = await events(fresh.url, r.id, token, lastId);
    assert.equal(moved.status, 200);
    c.simulator.control(r.id, 'resume');
    const { Frames } = await import('../server/frames.mjs');
    const reader = new Frames(moved);
    const delivered = c.deliver(a, r.id);
    const next = await reader.recording();
    await delivered;
    assert.equal(next?.status, 'RECORDING', 'the first event after the reconnect is the next change');
    assert.ok(Number(/^id: (\d+)$/m.exec(reader.frames.at(-1) ?? '')?.[1]) > Number(lastId));
    assert.equal(c.upstreamRequests(), before, 'the new replica read the shared snapshot, not RealtimeKit');
    void reader.reader.cancel();
  });
});

describe('one budget and one read per target for the whole deployment', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    c = await startCluster({ replicas: 2, budget: 20 });
  });
  after(() => c?.close());

  it('60 reads of unknown ids across A and B, budget 20 a minute, cost at most 24 upstream requests', async () => {
    const [a, b] = c.replicas;
    assert.ok(a && b);
    const before = c.upstreamRequests();
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const token = await c.token({ recordingId: id });
        const response = await fetch(`${(i % 2 ? a : b).url}/recordings/${id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return response.status;
      }),
    );
    const spent = c.upstreamRequests() - before;
    console.log(`# 60 reads of unknown ids across 2 replicas, budget 20/min: ${spent} upstream requests`);
    assert.ok(spent <= 24, `${spent} upstream requests`);
    assert.ok(answers.includes(429), 'past the budget, reads are told to wait');
    assert.ok(answers.includes(404));
  });
});

describe('one upstream read per target across replicas', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    // 100 times faster: a 30 s reconciliation every 0.3 s.
    c = await startCluster({ replicas: 2, clock: fastClock(100), startDelayMs: 1000 });
  });
  after(() => c?.close());

  it('twenty concurrent first reads of one recording on two replicas send one request upstream', async () => {
    const [a, b] = c.replicas;
    assert.ok(a && b);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const before = c.upstreamRequests();
    const reads = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/recordings/${r.id}`, { headers: { Authorization: `Bearer ${token}` } }).then(
          (res) => res.json(),
        ),
      ),
    );
    assert.ok(reads.every((x) => x.data?.status === 'RECORDING'));
    assert.equal(c.upstreamRequests() - before, 1);
  });

  it('a quiet target watched on both replicas is reconciled by one of them at a time, backing off', async () => {
    const [a, b] = c.replicas;
    assert.ok(a && b);
    const r = await recordingNow(c);
    const token = await c.token({ recordingId: r.id });
    const viewers = await Promise.all([a, b].map((x) => open(`${x.url}/events?recording_id=${r.id}`, token)));
    for (const v of viewers) await v.recording();
    const before = c.upstreamRequests();
    // 3.1 s of wall clock is 310 s: reconciliations at 30, 90 and 210 s (the wait doubles while nothing changes).
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const spent = c.upstreamRequests() - before;
    console.log(`# one quiet target watched on two replicas for 310 s: ${spent} reconciliation reads`);
    assert.ok(spent >= 2 && spent <= 4, `${spent} reads`);
    for (const v of viewers) void v.reader.cancel();
  });
});
