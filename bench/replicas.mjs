// @ts-check
/**
 * Node replicas through Redis beside the single process, in one run: a redis-server of its own (a free port on
 * 127.0.0.1, no persistence, stopped by its PID), and three servers each in its own process (server-child.mjs):
 * the single process, replica A (which RealtimeKit's webhooks reach) and replica B (which the viewers watch).
 *
 * - webhook → event at a viewer on the other replica, p50 / p99, beside the single process's (the full lifecycle
 *   of bench/lifecycle.mjs: 100 viewers over 10 recordings);
 * - Redis commands per webhook and per joining viewer, at each viewer count: the round trips the replicas sent
 *   (their own counters) and the commands Redis ran (`INFO commandstats`, scripts' inner calls included; its
 *   INFO, the clients' keep-alive PINGs and the replicas' heartbeats left out);
 * - CPU per delivered event on the subscribing replica (process.cpuUsage of B's process, every thread, through a
 *   fan-out of signed webhooks sent to A) as a ratio to the single process doing the same fan-out.
 *
 *   node bench/replicas.mjs [--quick]
 *
 * Without redis-server it says so and measures nothing. A benchmark: it measures and asserts nothing.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';
import { createViewerToken } from '../dist/server/index.js';
import { redisServerInstalled, startRedisServer } from '../test/scale/redis-server.mjs';
import { requestBytes, viewers } from './http-load.mjs';
import { quantile, watchLifecycle } from './lifecycle.mjs';
import { startServerProcess } from './server-process.mjs';

const SECRET = 'bench-viewer-token-secret-of-enough-length-0003';
const API_TOKEN = 'bench-api-token';
const LATENCY = { recordings: 10, viewersPerRecording: 10 };
/** Commands Redis ran that are no part of the work measured: the counter's own INFO, the clients' keep-alive. */
const NOT_COUNTED = new Set(['info', 'ping']);
/** What one replica heartbeat runs in Redis (src/server/redis/replicas.ts): the script and its four calls. */
const HEARTBEAT_COMMANDS = 5;
/** Webhooks whose Redis commands are counted one by one, after the CPU loop. */
const COUNTED_WEBHOOKS = 5;

/** @param {{ quick?: boolean }} [given] */
export async function replicasBench(given = {}) {
  if (!redisServerInstalled()) return { skipped: 'redis-server is not installed (apt-get install redis-server)' };
  const quick = given.quick ?? false;
  const counts = quick ? [10, 100] : [10, 100, 1000];
  const events = quick ? 6 : 20;
  const reps = quick ? 1 : 3;
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;

  const redis = await startRedisServer();
  const upstream = await startSimulatorUpstream({ port: 0, apiToken: API_TOKEN, webhookUrl: null, seed: false });
  const { simulator, signer } = upstream;
  const meeting = simulator.addMeeting('Replicas');
  const options = { upstream: upstream.url, secret: SECRET };
  const replica = { BENCH_REDIS_URL: redis.url, BENCH_REDIS_PREFIX: 'bench-replicas:' };
  /** @type {import('./server-process.mjs').ServerProcess[]} */
  const children = [];
  const counter = createClient({ url: redis.url });
  try {
    const single = await startServerProcess('server', options);
    children.push(single);
    const a = await startServerProcess('server', { ...options, env: replica });
    children.push(a);
    const b = await startServerProcess('server', { ...options, env: replica });
    children.push(b);
    await counter.connect();

    /**
     * Commands Redis has run so far, less what is no part of the work measured: the counter's own INFO, the
     * clients' keep-alive PINGs, and each replica's heartbeat (every 10 s: one EVALSHA running ZADD,
     * ZREMRANGEBYSCORE, PEXPIRE and ZCARD, the only ZADD there is), counted to be taken off the replicas' own
     * figures as well.
     */
    const ran = async () => {
      const info = String(await counter.sendCommand(['INFO', 'commandstats']));
      let total = 0;
      let beats = 0;
      for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        if (name === 'zadd') beats = Number(calls);
        if (!NOT_COUNTED.has(name ?? '')) total += Number(calls);
      }
      return { total: total - beats * HEARTBEAT_COMMANDS, beats };
    };
    /** Round trips the replicas have sent so far, A and B together. */
    const sent = async () => {
      const [x, y] = await Promise.all([a.cpu(), b.cpu()]);
      return redisCommands(x.stats) + redisCommands(y.stats);
    };
    /**
     * Both counts once Redis has been quiet for 50 ms (bounded: two seconds): what a request set going after its
     * answer (a viewer's first arrival is written to the shared state in the background) is counted with it.
     */
    const commands = async () => {
      let last = { ran: NaN, sent: NaN };
      for (let i = 0; i < 40; i++) {
        const { total, beats } = await ran();
        const now = { ran: total, sent: (await sent()) - beats };
        if (now.ran === last.ran && now.sent === last.sent) return now;
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return last;
    };
    /** Redis's count alone once it has been quiet for 50 ms (the replicas are not asked: their CPU stays theirs). */
    const quietRan = async () => {
      let last = NaN;
      for (let i = 0; i < 40; i++) {
        const { total } = await ran();
        if (total === last) return total;
        last = total;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return last;
    };
    /** @param {{ ran: number, sent: number }} before @param {{ ran: number, sent: number }} after @param {number} n */
    const per = (before, after, n) => ({ ran: (after.ran - before.ran) / n, sent: (after.sent - before.sent) / n });

    /** A new recording, already RECORDING, and its viewers' token. */
    const recording = async () => {
      const r = simulator.startRecording(meeting.id, simulator.now() - simulator.startDelayMs - 1000);
      simulator.tick();
      return { r, token: await createViewerToken(SECRET, { recordingId: r.id }, { ttl: 3600 }) };
    };
    let signedCount = 0;
    /** A signed body for the recording with this status, unlike any before (the servers take a repeat for a replay). */
    const signed = async (/** @type {any} */ r, /** @type {string} */ status) => {
      const payload = simulator.webhookPayload(r);
      const body = Buffer.from(
        JSON.stringify({ ...payload, recording: { ...payload.recording, status }, delivery: ++signedCount }),
      );
      return { body, signature: await signer.sign(body.toString()) };
    };

    // Latency: the full lifecycle, 100 viewers over 10 recordings, in one process and across the replicas.
    const lifecycle = async (/** @type {string} */ viewed, /** @type {string} */ hooked) => {
      // Each run moves the simulator's clock on by itself from the time of day: its recordings start before it.
      simulator.now = () => Date.now();
      return watchLifecycle({
        url: viewed,
        webhookUrl: hooked,
        simulator,
        signer,
        token: (recordingId) => createViewerToken(SECRET, { recordingId }),
        recordings: Array.from({ length: LATENCY.recordings }, () => simulator.startRecording(meeting.id)),
        viewersPerRecording: LATENCY.viewersPerRecording,
      });
    };
    const latency = { single: await lifecycle(single.url, single.url), replicas: await lifecycle(b.url, a.url) };

    /**
     * `n` viewers join a recording on `viewed`, then `events` signed webhooks flip it, sent to `hooked`; the
     * viewed process's CPU through the fan-out, and with Redis its commands.
     * @param {import('./server-process.mjs').ServerProcess} viewed @param {import('./server-process.mjs').ServerProcess} hooked
     * @param {number} n @param {boolean} counting
     */
    const fanOut = async (viewed, hooked, n, counting) => {
      const { r, token } = await recording();
      const follow = requestBytes('GET', `/events?recording_id=${r.id}`, {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      });
      // Known to the deployment from a webhook just now: joining it needs no upstream read.
      await hooked.deliver(await signed(r, 'RECORDING'));
      const audience = viewers(viewed.port);
      try {
        const beforeFirst = counting ? await commands() : null;
        await audience.openOne(follow);
        const afterFirst = counting ? await commands() : null;
        await audience.openMany(n - 1, () => follow);
        const joined = counting ? await commands() : null;
        let status = 'RECORDING';
        let sentEvents = 0;
        /** Flips the recording by a signed webhook to `hooked`; resolves once every viewer has the event. */
        const flip = async (/** @type {{ body: Buffer, signature: string }} */ body) => {
          await hooked.deliver(body);
          sentEvents++;
          await audience.until(audience.open * (1 + sentEvents), 30_000 + n * 5);
        };
        const next = () => signed(r, (status = status === 'PAUSED' ? 'RECORDING' : 'PAUSED'));
        // CPU: the fan-out alone, every body signed beforehand and nobody asking the processes anything meanwhile.
        const bodies = [];
        for (let k = 0; k < events; k++) bodies.push(await next());
        const cpuBefore = await viewed.cpu();
        for (const body of bodies) await flip(body);
        const cpuAfter = await viewed.cpu();
        const us =
          (cpuAfter.cpu.user - cpuBefore.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.system) /
          (events * audience.open);
        // Commands: a few more webhooks, each counted alone once Redis is quiet.
        /** @type {number[]} */
        const perWebhook = [];
        const beforeCounted = counting ? await commands() : null;
        for (let k = 0; counting && k < COUNTED_WEBHOOKS; k++) {
          const body = await next();
          const before = await quietRan();
          await flip(body);
          perWebhook.push((await quietRan()) - before);
        }
        const done = counting ? await commands() : null;
        return {
          n: audience.open,
          refused: audience.refused,
          eventUs: us,
          ...(beforeFirst && afterFirst && joined && beforeCounted && done
            ? {
                firstViewer: per(beforeFirst, afterFirst, 1),
                furtherViewer: per(afterFirst, joined, Math.max(1, n - 1)),
                webhook: { ran: quantile(perWebhook, 0.5), sent: (done.sent - beforeCounted.sent) / COUNTED_WEBHOOKS },
              }
            : {}),
        };
      } finally {
        audience.close();
      }
    };
    // The fan-outs in turns, one process then the replicas, `reps` times: on a shared machine the spread is part
    // of the figure. Redis's commands are counted in the first turn.
    const rows = counts.map((n) => ({
      n,
      single: /** @type {Awaited<ReturnType<typeof fanOut>>[]} */ ([]),
      replica: /** @type {Awaited<ReturnType<typeof fanOut>>[]} */ ([]),
    }));
    for (let rep = 0; rep < reps; rep++) {
      for (const row of rows) {
        row.single.push(await fanOut(single, single, row.n, false));
        row.replica.push(await fanOut(b, a, row.n, rep === 0));
      }
    }
    const [finalA, finalB] = await Promise.all([a.cpu(), b.cpu()]);
    return {
      latency,
      rows,
      events,
      reps,
      redisVersion: /redis_version:(\S+)/.exec(String(await counter.sendCommand(['INFO', 'server'])))?.[1] ?? '?',
      heard: /** @type {any} */ (finalB.stats).redis?.heard ?? 0,
      published: /** @type {any} */ (finalA.stats).redis?.published ?? 0,
      seconds: (performance.now() - started) / 1000,
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    if (counter.isOpen) await counter.close();
    for (const child of children) await child.stop();
    await upstream.close();
    await redis.stop();
  }
}

/** The replica's round trips to Redis from its stats (0 for a process without Redis). @param {unknown} stats */
const redisCommands = (stats) => /** @type {{ redis?: { commands: number } }} */ (stats).redis?.commands ?? 0;

/** @typedef {Awaited<ReturnType<typeof replicasBench>>} Replicas */

const fixed = (/** @type {number} */ x, digits = 1) => x.toFixed(digits);
const median = (/** @type {number[]} */ xs) => quantile(xs, 0.5);

/** The README's table rows, or the reason there are none. @param {Replicas} r */
export function replicaRows(r) {
  if ('skipped' in r) return [`(replicas through Redis: not measured: ${r.skipped})`];
  const k = (/** @type {number} */ n) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const count = (/** @type {number} */ x) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  const commands = (/** @type {{ ran: number, sent: number } | undefined} */ c) =>
    c === undefined ? '–' : `${count(c.sent)} sent, ${count(c.ran)} run`;
  const { single, replicas } = r.latency;
  return [
    `| two Node replicas through one Redis (webhooks to A, viewers on B) beside one process, same run | replicas | one process | ratio |`,
    '|---|---:|---:|---:|',
    `| webhook → event at a viewer, p50 / p99 (${replicas.viewers} viewers over ${replicas.recordings} recordings, ${replicas.events} events, loopback) | ${fixed(replicas.p50)} ms / ${fixed(replicas.p99)} ms | ${fixed(single.p50)} ms / ${fixed(single.p99)} ms | ${fixed(replicas.p99 / single.p99, 2)}× at p99 |`,
    ...r.rows.flatMap((row) => {
      const counted = row.replica[0];
      const us = {
        replica: median(row.replica.map((x) => x.eventUs)),
        single: median(row.single.map((x) => x.eventUs)),
      };
      const spread = (/** @type {{ eventUs: number }[]} */ xs) =>
        xs.length < 2
          ? ''
          : ` (${fixed(Math.min(...xs.map((x) => x.eventUs)))}–${fixed(Math.max(...xs.map((x) => x.eventUs)))})`;
      return [
        `| Redis commands per webhook, ${k(row.n)} viewers on B (of ${COUNTED_WEBHOOKS}: mean sent, median run) | ${commands(counted?.webhook)} | 0 | |`,
        `| Redis commands per joining viewer, ${k(row.n)} viewers of one recording | first: ${commands(counted?.firstViewer)}; each further: ${commands(counted?.furtherViewer)} | 0 | |`,
        `| CPU per delivered event on B, ${k(row.n)} viewers of one recording (${r.events} webhooks to A; median of ${r.reps}) | ${fixed(us.replica)} µs${spread(row.replica)} | ${fixed(us.single)} µs${spread(row.single)} | ${fixed(us.replica / us.single, 2)}× |`,
      ];
    }),
    '',
    `(${r.seconds.toFixed(0)} s; redis-server ${r.redisVersion} on 127.0.0.1; "sent": round trips A and B made, by their own count; ` +
      `"run": commands Redis ran, scripts' inner calls included, INFO, keep-alive PINGs and the replicas' heartbeats left out; ` +
      `B heard ${r.heard} changes on its channels, A published ${r.published}; ` +
      `load average ${r.load.map((x) => x.toFixed(1)).join(' → ')} on ${process.version})`,
    ...r.rows
      .flatMap((row) => [...row.single, ...row.replica])
      .filter((x) => x.refused > 0)
      .map((x) => `- ${x.refused} viewers refused`),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
  console.log(replicaRows(await replicasBench({ quick: values.quick ?? false })).join('\n'));
}
