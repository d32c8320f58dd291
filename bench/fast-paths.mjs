// @ts-check
/**
 * The server's fast paths as ratios: `recording-status/server` under `listen()` (from dist/, through the
 * public API) beside the bare `node:http` server of bench/bare-server.mjs doing the same work, measured in
 * the same run with the same loopback clients (bench/http-load.mjs). Each server runs in its own child
 * process (bench/server-child.mjs, --expose-gc), so CPU (process.cpuUsage, every thread) and heap (after a
 * full GC) are that server's alone. A fresh pair of children per repetition; the rows are medians.
 *
 *   node bench/fast-paths.mjs [--viewers 1000,10000] [--quick] [--reps 3] [--join-speed 4] [--profile]
 *
 * `--quick` is a smoke run (one repetition, short loops, 1000 viewers unless --viewers says otherwise).
 * The join row runs the real server's clock (its `clock` option) `--join-speed` times faster than real time,
 * so its 24 s take 6 s by default; `--join-speed 1` runs them in real time.
 * `--profile` prints where each server's CPU goes in each phase instead (inspector CPU profiles of its main
 * thread, also written as .cpuprofile files for DevTools). A benchmark: it measures and asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';
import { createViewerToken } from '../dist/server/index.js';
import { MAX_BODY_DIGESTS } from '../dist/server/target-hub.js';
import { summarise } from './cpu-profile.mjs';
import { requestBytes, requestLoop, viewers, within } from './http-load.mjs';
import { deliveryId, startServerProcess } from './server-process.mjs';

const SECRET = 'bench-viewer-token-secret-of-enough-length-0002';
const API_TOKEN = 'bench-api-token';
/** Recordings read by the GET row, and written to by the webhook row (each row its own). */
const RECORDINGS = 100;
const CONNECTIONS = 16;
const JOIN = { viewers: 1000, recordings: 100, spanMs: 24_000 };
/**
 * Distinct signed bodies the webhook row cycles through (a full run's loop outlasts them and starts again): more
 * than the last 5000 deliveries the bare server remembers (10,000 keys, a uuid and a digest each), and more than
 * the body digests each recording of the real server remembers (MAX_BODY_DIGESTS), so when the cycle wraps no body
 * is still remembered as a replay by either. A multiple of 2 × RECORDINGS, so each recording still alternates.
 */
const WEBHOOK_BODIES = 2 * RECORDINGS * Math.ceil(Math.max(5001 / RECORDINGS, MAX_BODY_DIGESTS + 1) / 2);

/**
 * @typedef {object} Options
 * @property {number[]} viewers viewer counts for the fan-out, heap and accept rows
 * @property {number} reps
 * @property {number} warmMs warm-up before each timed loop
 * @property {number} loopMs each timed loop
 * @property {number} events fan-out events per viewer count
 * @property {number} joinSpeed how many times faster than real time the join row's server clock runs
 * @property {boolean} [profile]
 */

/** @param {Partial<Options> & { quick?: boolean }} [given] @returns {Options} */
export function benchOptions(given = {}) {
  const quick = given.quick ?? false;
  return {
    viewers: given.viewers ?? (quick ? [1000] : [1000, 10_000]),
    reps: given.reps ?? (quick ? 1 : 3),
    warmMs: given.warmMs ?? (quick ? 200 : 500),
    loopMs: given.loopMs ?? (quick ? 700 : 2000),
    events: given.events ?? (quick ? 4 : 20),
    joinSpeed: given.joinSpeed ?? (quick ? 8 : 4),
    profile: given.profile ?? false,
  };
}

/** The soft limit on open files of this process (and so of its children); Infinity when unknown. */
function openFileLimit() {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return line === undefined || line === 'unlimited' ? Infinity : Number(line);
  } catch {
    return Infinity;
  }
}

const median = (/** @type {number[]} */ xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const cpuMicros = (/** @type {NodeJS.CpuUsage} */ a, /** @type {NodeJS.CpuUsage} */ b) =>
  b.user - a.user + (b.system - a.system);

/** The simulator, its recordings frozen in RECORDING, the viewers' tokens and the webhooks, signed once. */
async function fixtures() {
  const upstream = await startSimulatorUpstream({ port: 0, apiToken: API_TOKEN, webhookUrl: null, seed: false });
  const { simulator, signer } = upstream;
  let now = Date.now();
  // A frozen clock: every read of a recording answers the same bytes, whichever server asks and when.
  simulator.now = () => now;
  const meeting = simulator.addMeeting('Fast paths');
  const start = (/** @type {number} */ n) => Array.from({ length: n }, () => simulator.startRecording(meeting.id));
  const read = start(RECORDINGS);
  const hooked = start(RECORDINGS);
  const fan = start(1)[0];
  const joined = start(JOIN.recordings);
  now += simulator.startDelayMs + 1000;
  simulator.tick();
  if (fan === undefined) throw new Error('no fan-out recording');

  /** @type {Map<string, string>} */
  const tokens = new Map();
  for (const r of [...read, fan, ...joined]) {
    tokens.set(r.id, await createViewerToken(SECRET, { recordingId: r.id }, { ttl: 3600 }));
  }
  let signedCount = 0;
  /**
   * A signed body for the recording as it is, or with another status. The signature covers the body only, and
   * both servers take a body seen before for a replay (by its digest), so each body carries its own number.
   */
  const signed = async (/** @type {any} */ r, status = r.status) => {
    const payload = simulator.webhookPayload(r);
    const delivery = ++signedCount;
    const body = Buffer.from(JSON.stringify({ ...payload, recording: { ...payload.recording, status }, delivery }));
    return { body, signature: await signer.sign(body.toString()) };
  };
  /** @type {Map<string, { body: Buffer, signature: string }>} */
  const prime = new Map();
  for (const r of [...read, fan]) prime.set(r.id, await signed(r));
  // More distinct bodies than either server remembers deliveries, each recording alternating between statuses.
  const flips = await Promise.all(
    Array.from({ length: WEBHOOK_BODIES }, (_, i) => {
      const r = hooked[i % RECORDINGS];
      return signed(r, Math.floor(i / RECORDINGS) % 2 ? 'RECORDING' : 'PAUSED');
    }),
  );
  /** A fresh body for the fan-out recording, signed when sent. @param {'PAUSED' | 'RECORDING'} status */
  const fanFlip = (status) => signed(fan, status);
  return { upstream, simulator, read, fan, joined, tokens, prime, flips, fanFlip };
}

/** @typedef {Awaited<ReturnType<typeof fixtures>>} Fixtures */

/** A webhook request's bytes, with a delivery id never used before. @param {{ body: Buffer, signature: string }} signed */
const webhookRequest = ({ body, signature }) =>
  requestBytes(
    'POST',
    '/webhook',
    {
      'Content-Type': 'application/json',
      'rtk-signature': signature,
      'rtk-uuid': deliveryId(),
      'rtk-webhook-id': 'bench',
    },
    body,
  );

/**
 * A server in its own process, reading the fixtures' simulator.
 * @param {'server' | 'bare'} kind @param {Fixtures} fx @param {Record<string, string>} [env]
 */
const startChild = (kind, fx, env = {}) => startServerProcess(kind, { upstream: fx.upstream.url, secret: SECRET, env });

/** @typedef {import('./server-process.mjs').ServerProcess} Child */

/** The read a viewer makes. @param {Fixtures} fx @param {string} id */
const readRequest = (fx, id) =>
  requestBytes('GET', `/recordings/${id}`, { Authorization: `Bearer ${fx.tokens.get(id) ?? ''}` });
/** @param {Fixtures} fx @param {string} id */
const followRequest = (fx, id) =>
  requestBytes('GET', `/events?recording_id=${id}`, {
    Authorization: `Bearer ${fx.tokens.get(id) ?? ''}`,
    Accept: 'text/event-stream',
  });

/** The answers both servers must give, byte for byte: the real server's, once primed. */
async function answers(/** @type {Fixtures} */ fx, /** @type {Child} */ child) {
  /** @type {Map<string, string>} */
  const bodies = new Map();
  /** @type {[string, string][]} */
  let headers = [];
  for (const r of [...fx.read, fx.fan]) {
    const response = await fetch(`${child.url}/recordings/${r.id}`, {
      headers: { Authorization: `Bearer ${fx.tokens.get(r.id) ?? ''}` },
    });
    if (response.status !== 200) throw new Error(`the ${child.kind} server answered ${response.status}`);
    bodies.set(r.id, await response.text());
    // What every answer carries besides its own length, date and validator: the bare server sends it too.
    const own = new Set([
      'content-length',
      'content-type',
      'date',
      'etag',
      'connection',
      'keep-alive',
      'cache-control',
    ]);
    headers = [...response.headers].filter(([name]) => !own.has(name));
  }
  return { bodies, headers };
}

/**
 * Readies a child: the real server reads each recording once and gets one webhook for it (a snapshot fed by
 * webhooks stays fresh); the bare one is seeded with the real server's answers.
 * @param {Fixtures} fx @param {Child} child @param {Awaited<ReturnType<typeof answers>> | null} reference
 */
async function ready(fx, child, reference) {
  if (child.kind === 'server') {
    for (const r of [...fx.read, fx.fan]) {
      await fetch(`${child.url}/recordings/${r.id}`, {
        headers: { Authorization: `Bearer ${fx.tokens.get(r.id) ?? ''}` },
      });
      const prime = fx.prime.get(r.id);
      if (prime) await child.deliver(prime);
    }
  } else if (reference !== null) {
    const seed = [...reference.bodies.values()].map((body) => ({ recording: JSON.parse(body).data, seq: 1 }));
    await child.ask({ seed });
  }
  const own = await answers(fx, child);
  let differing = 0;
  for (const [id, body] of own.bodies) if (reference !== null && reference.bodies.get(id) !== body) differing++;
  return { own, differing };
}

/**
 * Runs `fn` as a measured phase: the child's CPU before and after, and in profile mode its CPU profile.
 * @template T
 * @param {Child} child @param {string} name @param {Options} options @param {() => Promise<T>} fn
 * @param {Map<string, any>} profiles
 */
async function phase(child, name, options, fn, profiles) {
  if (options.profile) await child.ask({ profile: 'start' });
  const before = await child.cpu();
  const client = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const wallMs = performance.now() - started;
  const clientUs = cpuMicros(client, process.cpuUsage());
  const after = await child.cpu();
  if (options.profile) profiles.set(`${child.kind} ${name}`, (await child.ask({ profile: 'stop' })).profile);
  const cpuUs = cpuMicros(before.cpu, after.cpu);
  return { result, cpuUs, clientUs, busy: cpuUs / 1000 / wallMs, before: before.stats, after: after.stats };
}

/**
 * One server through every row.
 * @param {Fixtures} fx @param {Child} child @param {Options} options @param {Map<string, any>} profiles
 */
async function measure(fx, child, options, profiles) {
  /** @type {string[]} */
  const notes = [];
  const loop = (/** @type {number} */ durationMs, /** @type {(n: number) => Buffer} */ request) =>
    requestLoop({ port: child.port, connections: CONNECTIONS, durationMs, request });
  const ok = (/** @type {Map<number, number>} */ statuses, /** @type {string} */ what) => {
    const other = [...statuses].filter(([status]) => status !== 200);
    if (other.length) notes.push(`${child.kind}: ${what} answered ${other.map(([s, n]) => `${n}× ${s}`).join(', ')}`);
    return statuses.get(200) ?? 0;
  };

  // Reads: every request carries its recording's token; the snapshot is fresh (no upstream request).
  const reads = fx.read.map((r) => readRequest(fx, r.id));
  const readAt = (/** @type {number} */ n) => /** @type {Buffer} */ (reads[n % reads.length]);
  await loop(options.warmMs, readAt);
  const upstreamBefore = fx.simulator.stats.upstreamRequests;
  const get = await phase(child, 'GET', options, () => loop(options.loopMs, readAt), profiles);
  const upstreamReads = fx.simulator.stats.upstreamRequests - upstreamBefore;
  if (upstreamReads > 0) notes.push(`${child.kind}: ${upstreamReads} upstream reads during the GET row`);
  const got = ok(get.result.statuses, 'GET');

  // Webhooks: each recording flips between RECORDING and PAUSED, so every delivery is a change; no viewers.
  // Counted across the warm-up and the timed loop, so the timed loop never repeats a warm-up body.
  let sent = 0;
  const flipAt = () => {
    const flip = fx.flips[sent++ % fx.flips.length];
    if (flip === undefined) throw new Error('no signed webhook');
    return webhookRequest(flip);
  };
  await loop(options.warmMs, flipAt);
  const hooks = await phase(child, 'webhook', options, () => loop(options.loopMs, flipAt), profiles);
  const accepted = ok(hooks.result.statuses, 'webhooks');
  const counted = hooks.after.webhooks.accepted - hooks.before.webhooks.accepted;
  if (counted !== accepted) notes.push(`${child.kind}: ${accepted} webhooks answered 200, ${counted} counted accepted`);

  /** @type {Record<number, { eventUs: number, heapPerViewer: number, acceptUs: number }>} */
  const byViewers = {};
  let fanStatus = /** @type {'RECORDING' | 'PAUSED'} */ ('RECORDING');
  const flipFan = () => {
    fanStatus = fanStatus === 'RECORDING' ? 'PAUSED' : 'RECORDING';
    return fx.fanFlip(fanStatus).then(child.deliver);
  };
  const follow = followRequest(fx, fx.fan.id);
  for (const n of options.viewers) {
    // Fed by a webhook just now: joining it needs no upstream read.
    await flipFan();
    const heapBefore = await child.heap();
    const audience = viewers(child.port);
    const accept = await phase(child, `connect ${n}`, options, () => audience.openMany(n, () => follow), profiles);
    if (audience.refused > 0) notes.push(`${child.kind}: ${audience.refused} of ${n} viewers refused`);
    const heapAfter = await child.heap();
    const fanOut = await phase(
      child,
      `fan-out ${n}`,
      options,
      async () => {
        for (let k = 1; k <= options.events; k++) {
          await flipFan();
          await audience.until(audience.open * (1 + k), 30_000 + n * 5);
        }
      },
      profiles,
    );
    const open = audience.open;
    audience.close();
    // Bounded: the server lets go of its viewers within ten seconds.
    for (let i = 0; i < 200 && (await child.cpu()).stats.viewers > 0; i++) await new Promise((r) => setTimeout(r, 50));
    byViewers[n] = {
      eventUs: fanOut.cpuUs / (options.events * open),
      heapPerViewer: (heapAfter - heapBefore) / open,
      acceptUs: accept.cpuUs / n,
    };
  }
  return {
    getPerSecond: (got / get.result.elapsedMs) * 1000,
    getUs: get.cpuUs / got,
    webhooksPerSecond: (accepted / hooks.result.elapsedMs) * 1000,
    webhookUs: hooks.cpuUs / accepted,
    byViewers,
    // A server not kept busy by a loop was held back by the client or by the machine: its rate says less.
    loops: {
      GET: { busy: get.busy, clientUs: get.clientUs / got },
      webhook: { busy: hooks.busy, clientUs: hooks.clientUs / accepted },
    },
    notes,
  };
}

/**
 * Upstream reads while 1000 viewers join 100 recordings (each in turn, one join every 24 ms, so each recording
 * gets a viewer every 2.4 s) over 24 s of the server's clock, run `speed` times faster than real time.
 * @param {Fixtures} fx @param {number} speed
 */
async function joinRow(fx, speed) {
  const child = await startChild('server', fx, { BENCH_CLOCK_SPEED: String(speed) });
  const audience = viewers(child.port);
  try {
    const gapMs = JOIN.spanMs / JOIN.viewers / speed;
    const before = fx.simulator.stats.upstreamRequests;
    const started = performance.now();
    /** @type {Promise<unknown>[]} */
    const joins = [];
    for (let i = 0; i < JOIN.viewers; i++) {
      const due = started + i * gapMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const r = fx.joined[i % fx.joined.length];
      if (r) joins.push(audience.openOne(followRequest(fx, r.id)));
    }
    await within(Promise.all(joins), 60_000, `${JOIN.viewers} joins`);
    const reads = fx.simulator.stats.upstreamRequests - before;
    // How long the joins really took on the server's clock (they run late on a busy machine).
    const spanMs = (performance.now() - started) * speed;
    /** @type {{ stats: { upstream: { overBudget: number } } }} */
    const { stats } = await child.ask('cpu');
    return { reads, overBudget: stats.upstream.overBudget, spanMs, refused: audience.refused };
  } finally {
    audience.close();
    await child.stop();
  }
}

/** @param {Partial<Options> & { quick?: boolean }} [given] */
export async function fastPathsBench(given) {
  const options = benchOptions(given);
  const limit = openFileLimit();
  /** @type {string[]} */
  const notes = [];
  const counts = options.viewers.filter((n) => {
    // The client holds n sockets, and so does the server's process: each needs its own descriptors.
    if (n + 256 <= limit) return true;
    notes.push(
      `${n} viewers skipped: this process may open ${limit} files (ulimit -n), and ${n} viewers need ${n + 256}`,
    );
    return false;
  });
  const run = { ...options, viewers: counts };
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const fx = await fixtures();
  /** @type {Map<string, any>} */
  const profiles = new Map();
  /** @type {{ server: Awaited<ReturnType<typeof measure>>[], bare: Awaited<ReturnType<typeof measure>>[] }} */
  const results = { server: [], bare: [] };
  /** @type {Awaited<ReturnType<typeof answers>> | null} */
  let reference = null;
  /** @type {Awaited<ReturnType<typeof joinRow>>[]} */
  const joins = [];
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      for (const kind of /** @type {('server' | 'bare')[]} */ (['server', 'bare'])) {
        const child = await startChild(
          kind,
          fx,
          reference === null ? {} : { BENCH_HEADERS: JSON.stringify(reference.headers) },
        );
        try {
          const { own, differing } = await ready(fx, child, reference);
          reference ??= own;
          if (differing) notes.push(`${kind}: ${differing} answers differ from the real server's first answers`);
          const result = await measure(fx, child, run, profiles);
          results[kind].push(result);
          notes.push(...result.notes);
        } finally {
          await child.stop();
        }
      }
      if (!options.profile) joins.push(await joinRow(fx, options.joinSpeed));
    }
  } finally {
    await fx.upstream.close();
  }
  /** Each server's figures, repetition by repetition. @param {(r: Awaited<ReturnType<typeof measure>>) => number} pick */
  const row = (pick) => ({ server: results.server.map(pick), bare: results.bare.map(pick) });
  return {
    options: run,
    notes,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
    seconds: (performance.now() - started) / 1000,
    get: row((r) => r.getPerSecond),
    getUs: row((r) => r.getUs),
    webhooks: row((r) => r.webhooksPerSecond),
    webhookUs: row((r) => r.webhookUs),
    viewers: counts.map((n) => ({
      n,
      eventUs: row((r) => r.byViewers[n]?.eventUs ?? NaN),
      heapPerViewer: row((r) => r.byViewers[n]?.heapPerViewer ?? NaN),
      acceptUs: row((r) => r.byViewers[n]?.acceptUs ?? NaN),
    })),
    joins,
    runs: results,
    profiles,
  };
}

/** @typedef {Awaited<ReturnType<typeof fastPathsBench>>} FastPaths */

const number = (/** @type {number} */ x, digits = 0) =>
  x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The markdown table. @param {FastPaths} r */
export function fastPathRows(r) {
  /**
   * @param {string} measure @param {{ server: number[], bare: number[] }} runs figures by repetition
   * @param {(x: number) => string} show @param {string} unit @param {'more' | 'less' | null} better @param {number} [goal]
   */
  const line = (measure, runs, show, unit, better, goal) => {
    const v = { server: median(runs.server), bare: median(runs.bare) };
    const ratio = v.server / v.bare;
    // The spread over the repetitions, beside the median: on a shared machine it is part of the figure.
    const cell = (/** @type {number} */ m, /** @type {number[]} */ xs) =>
      `${show(m)}${unit}${xs.length < 2 ? '' : ` (${show(Math.min(...xs))}–${show(Math.max(...xs))})`}`;
    const target = better === null || goal === undefined ? '' : `${better === 'more' ? '≥' : '≤'} ${goal}×`;
    const met = target === '' ? '' : (better === 'more' ? ratio >= (goal ?? 0) : ratio <= (goal ?? 0)) ? 'yes' : 'no';
    return `| ${measure} | ${cell(v.server, runs.server)} | ${cell(v.bare, runs.bare)} | ${number(ratio, 2)}× | ${target} | ${met} |`;
  };
  const count = (/** @type {number} */ x) => number(x);
  const us = (/** @type {number} */ x) => number(x, x < 100 ? 1 : 0);
  const kib = (/** @type {number} */ x) => number(x / 1024, 1);
  const reads = r.joins.map((j) => j.reads);
  const readMedian = median(reads);
  const k = (/** @type {number} */ n) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const rows = [
    `| server fast paths vs a bare node:http server (median of ${r.options.reps}, same run) | server | bare | ratio | goal | at goal |`,
    '|---|---:|---:|---:|---|---|',
    line('`GET /recordings/{id}` with a valid token, fresh snapshot, req/s', r.get, count, '', 'more', 0.25),
    line('  CPU per `GET /recordings/{id}`', r.getUs, us, ' µs', null),
    line('signed webhooks accepted per s, no viewers', r.webhooks, count, '', 'more', 0.5),
    line('  CPU per accepted webhook', r.webhookUs, us, ' µs', null),
    ...r.viewers.flatMap((v) => [
      line(`CPU per delivered event, ${k(v.n)} viewers of one recording`, v.eventUs, us, ' µs', 'less', 1.3),
      line(`heap per open viewer, ${k(v.n)} viewers`, v.heapPerViewer, kib, ' KiB', 'less', 2),
      line(`CPU to accept one viewer, ${k(v.n)} viewers`, v.acceptUs, us, ' µs', 'less', 2),
    ]),
    `| upstream reads while ${JOIN.viewers} viewers join ${JOIN.recordings} recordings over ~24 s (server clock ×${r.options.joinSpeed}) | ${number(readMedian)} (${reads.join(', ')}; over budget: ${r.joins.map((j) => j.overBudget).join(', ')}) | | | ${JOIN.recordings} | ${readMedian <= JOIN.recordings ? 'yes' : 'no'} |`,
  ];
  const spans = r.joins.map((j) => (j.spanMs / 1000).toFixed(1)).join(', ');
  rows.push(
    '',
    `(${r.seconds.toFixed(0)} s; ${CONNECTIONS} keep-alive connections, ${r.options.loopMs} ms loops after ${r.options.warmMs} ms of warm-up; ` +
      `${r.options.events} events per viewer count; joins took ${spans} s of the server's clock; ` +
      `load average ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} on ${process.version})`,
    ...r.notes.map((note) => `- ${note}`),
  );
  for (const kind of /** @type {const} */ (['server', 'bare'])) {
    for (const what of /** @type {const} */ (['GET', 'webhook'])) {
      const runs = r.runs[kind].map((result) => result.loops[what]);
      rows.push(
        `- ${kind}, ${what} loop: the server busy ${runs.map((l) => `${(l.busy * 100).toFixed(0)}%`).join(', ')} of a core; ` +
          `the client ${runs.map((l) => l.clientUs.toFixed(0)).join(', ')} µs per request`,
      );
    }
  }
  return rows;
}

/** Where each phase's CPU went, from the profiles, as markdown. @param {Map<string, any>} profiles @param {string} dir */
async function profileReport(profiles, dir) {
  const lines = [];
  // The real server's phases, each beside the bare server's.
  const names = [...profiles.keys()]
    .filter((name) => name.startsWith('server '))
    .flatMap((name) => [name, name.replace(/^server /, 'bare ')]);
  for (const name of names) {
    const profile = profiles.get(name);
    if (profile === undefined) continue;
    const file = join(dir, `${name.replace(/\s+/g, '-')}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const { busyMs, functions, origins, callers } = summarise(profile);
    const shares = (/** @type {{ name: string, share: number }[]} */ xs) =>
      xs.map((o) => `${o.name} ${(o.share * 100).toFixed(0)}%`).join(', ');
    lines.push(
      `\n### ${name}: ${number(busyMs)} ms on the main thread (${file})`,
      `self time by origin: ${shares(origins)}`,
      `by the package that called into the runtime: ${shares(callers)}`,
      '',
      '| self | function |',
      '|---:|---|',
      ...functions.map((f) => `| ${(f.share * 100).toFixed(1)}% | \`${f.name}\` |`),
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string' },
      quick: { type: 'boolean' },
      reps: { type: 'string' },
      'join-speed': { type: 'string' },
      profile: { type: 'boolean' },
    },
  });
  const result = await fastPathsBench({
    quick: values.quick ?? false,
    profile: values.profile ?? false,
    ...(values.viewers === undefined ? {} : { viewers: values.viewers.split(',').map(Number) }),
    ...(values.reps === undefined ? {} : { reps: Number(values.reps) }),
    ...(values['join-speed'] === undefined ? {} : { joinSpeed: Number(values['join-speed']) }),
  });
  if (values.profile) {
    const dir = await mkdtemp(join(tmpdir(), 'recording-status-profiles-'));
    console.log((await profileReport(result.profiles, dir)).join('\n'));
  } else {
    console.log(fastPathRows(result).join('\n'));
  }
}
