// @ts-check
/**
 * Replicas through Redis beside one process, measured in one run on loopback: webhook → event at a viewer (the
 * webhook to replica A, the viewers on replica B; one process: the same replica takes both), and the Redis
 * commands a webhook and a joining viewer cost. Needs redis-server (Debian's); without it the rows say so.
 * Replicas run in this process, so the CPU per delivered event on a subscribing replica is not measured here.
 */
import { open } from '../test/server/frames.mjs';
import { percentile, startCluster } from '../test/scale/cluster.mjs';
import { redisServerInstalled } from '../test/scale/redis-server.mjs';

const VIEWERS = 100;
const CHANGES = 30;

/** @typedef {import('../test/scale/cluster.mjs').Replica} Replica */

/** Commands a replica sent for its work (its heartbeats and a script's one-time load aside). */
const commands = (/** @type {Replica} */ r) => {
  const redis = r.server.stats().redis;
  return redis === undefined ? 0 : redis.commands - redis.heartbeats - redis.failures;
};

/** Webhooks to `to`, viewers on `on`: latencies (ms) and commands. @param {boolean} redis */
async function run(redis) {
  const c = await startCluster({ replicas: redis ? 2 : 1, startDelayMs: 1000, redis });
  try {
    const a = /** @type {Replica} */ (c.replicas[0]);
    const b = /** @type {Replica} */ (c.replicas[redis ? 1 : 0]);
    const meeting = [...c.simulator.meetings.values()][1];
    if (!meeting) throw new Error('no meeting');
    const r = c.simulator.startRecording(meeting.id, Date.now() - 10_000);
    c.simulator.tick();
    const token = await c.token({ recordingId: r.id });
    const beforeFirst = commands(b);
    const first = await open(`${b.url}/events?recording_id=${r.id}`, token, AbortSignal.timeout(120_000));
    await first.recording();
    // Retention's touch is written just after the viewer's first event.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const firstViewer = commands(b) - beforeFirst;
    const beforeJoin = commands(b);
    const rest = await Promise.all(
      Array.from({ length: VIEWERS - 1 }, () =>
        open(`${b.url}/events?recording_id=${r.id}`, token, AbortSignal.timeout(120_000)),
      ),
    );
    for (const v of rest) await v.recording();
    const joining = (commands(b) - beforeJoin) / (VIEWERS - 1);
    const viewers = [first, ...rest];
    /** @type {number[]} */
    const latencies = [];
    const beforeWebhooks = commands(a);
    for (let i = 0; i < CHANGES; i++) {
      c.simulator.control(r.id, i % 2 === 0 ? 'pause' : 'resume');
      const delivery = await c.prepare(r.id, { distinct: true });
      const sent = performance.now();
      const arrivals = viewers.map((v) => v.recording().then(() => latencies.push(performance.now() - sent)));
      await c.post(a, delivery);
      await Promise.all(arrivals);
    }
    const perWebhook = (commands(a) - beforeWebhooks) / CHANGES;
    for (const v of viewers) void v.reader.cancel();
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), firstViewer, joining, perWebhook };
  } finally {
    await c.close();
  }
}

export async function replicasBench() {
  if (!redisServerInstalled()) return null;
  return { single: await run(false), scaled: await run(true) };
}

/** @param {Awaited<ReturnType<typeof replicasBench>>} r */
export function replicasRows(r) {
  const head = `| replicas: webhook to A, ${VIEWERS} viewers on B, ${CHANGES} changes | one process | two replicas through Redis |`;
  if (r === null) return [head, '|---|---:|---:|', '| (redis-server is not installed: not measured) | | |'];
  const ms = (/** @type {number} */ n) => `${n.toFixed(1)} ms`;
  return [
    head,
    '|---|---:|---:|',
    `| webhook → event at a viewer, p50 / p99 | ${ms(r.single.p50)} / ${ms(r.single.p99)} | ${ms(r.scaled.p50)} / ${ms(r.scaled.p99)} |`,
    `| Redis commands per webhook (recording and meeting), receiving replica | | ${r.scaled.perWebhook.toFixed(1)} |`,
    `| Redis commands per joining viewer of a target its replica hears | | ${r.scaled.joining.toFixed(2)} |`,
    `| Redis commands for a target's first viewer on a replica (with its first upstream read) | | ${r.scaled.firstViewer} |`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(replicasRows(await replicasBench()).join('\n'));
}
