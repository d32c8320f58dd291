// @ts-check
/**
 * What Redis costs a deployment: commands per webhook and per joining viewer, the same with one viewer as with
 * fifty (Redis fans a change out once per replica, and each replica to its own viewers).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { open } from '../server/frames.mjs';
import { startCluster } from './cluster.mjs';
import { redisServerInstalled } from './redis-server.mjs';

const skip = redisServerInstalled() ? false : 'redis-server is not installed: the scale-out tests were not run';

/** @typedef {Awaited<ReturnType<typeof startCluster>>} Cluster */
/** @typedef {import('./cluster.mjs').Replica} Replica */

const commands = (/** @type {Replica} */ r) => r.server.stats().redis?.commands ?? NaN;

describe('Redis commands per webhook and per joining viewer', { skip }, () => {
  /** @type {Cluster} */
  let c;
  before(async () => {
    c = await startCluster({ replicas: 2, startDelayMs: 1000 });
  });
  after(() => c?.close());

  it('are constant, not growing with viewers', async () => {
    const [a, b] = c.replicas;
    assert.ok(a && b);
    const meeting = [...c.simulator.meetings.values()][1];
    assert.ok(meeting);
    const r = c.simulator.startRecording(meeting.id, Date.now() - 10_000);
    c.simulator.tick();
    const token = await c.token({ recordingId: r.id });
    /** @type {import('../server/frames.mjs').Frames[]} */
    const viewers = [];
    const join = async (/** @type {number} */ n) => {
      const before = commands(b);
      const joined = await Promise.all(
        Array.from({ length: n }, () => open(`${b.url}/events?recording_id=${r.id}`, token)),
      );
      for (const v of joined) await v.recording();
      viewers.push(...joined);
      return commands(b) - before;
    };
    const webhook = async (/** @type {'pause' | 'resume'} */ action) => {
      c.simulator.control(r.id, action);
      const delivery = await c.prepare(r.id, { distinct: true });
      const [beforeA, beforeB] = [commands(a), commands(b)];
      await c.post(a, delivery);
      for (const v of viewers) await v.recording();
      return { a: commands(a) - beforeA, b: commands(b) - beforeB };
    };
    const first = await join(1);
    const one = await webhook('pause');
    const later = await join(49);
    const fifty = await webhook('resume');
    console.log(
      `# Redis commands: first viewer on a replica ${first}, 49 more ${later}; ` +
        `per webhook on the receiving replica ${one.a} (1 viewer) / ${fifty.a} (50 viewers), on the viewers' replica ${one.b} / ${fifty.b}`,
    );
    // Subscribe, read the shared state, and for a target nobody read yet its upstream read (lease, budget, change,
    // release) and retention's touch: once per target and replica.
    assert.ok(first <= 12, `${first}`);
    assert.equal(later, 0, 'a viewer joining a target its replica already hears costs Redis nothing');
    assert.equal(fifty.a, one.a);
    assert.equal(fifty.b, one.b);
    assert.ok(one.a <= 4, `${one.a}: a change (take and read, store and publish) for the recording and its meeting`);
    for (const v of viewers) void v.reader.cancel();
  });
});
