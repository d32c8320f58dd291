// @ts-check
/**
 * Push beside polling, through the real server (`createRecordingServer` from dist/, the demo's backend: the
 * signing simulator as RealtimeKit) on 127.0.0.1 over HTTP/1.1:
 *
 * 1. Requests one full lifecycle costs the page, for 1, 10 and 100 elements on one recording, with
 *    `transport="auto"` (the goal: 2, the stream and its token) and with `transport="poll"`.
 * 2. Webhook → DOM latency: a transition is made at the simulator, which signs and delivers its webhook to the
 *    server, which pushes it; timed in the page from the control request to the element's `status` attribute.
 * 3. Reconnect spread: 200 push streams (the framework-free `RecordingStream` from dist/, in Node) on a server
 *    that then drops every connection at once, as a crash would: when do they come back?
 *
 * A benchmark: it measures, it asserts nothing.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { demoBackend } from '../demo/simulator/demo-backend.mjs';
import { RealtimeKitSimulator } from '../src/simulator/simulator.js';
import { staticFiles, listenOnLoopback } from '../scripts/static-files.mjs';
import { quantile } from './lifecycle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The real server and the page's static files on one loopback origin; every connection is tracked. */
async function startServer() {
  const { createRecordingServer } = await import('../dist/server/index.js');
  const simulator = new RealtimeKitSimulator({ seed: true, apiToken: 'bench', startDelayMs: 100, uploadMs: 300 });
  const backend = await demoBackend({ prefix: '/api', createRecordingServer, simulator, tickMs: 20 });
  const files = staticFiles(root);
  /** Requests per path kind, counted as they arrive. */
  const counts = { events: 0, token: 0, reads: 0 };
  /** When each /events request arrived (ms, performance.now()). @type {number[]} */
  const eventArrivals = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/events') {
      counts.events++;
      eventArrivals.push(performance.now());
    } else if (path === '/api/token') counts.token++;
    else if (path.startsWith('/api/recordings')) counts.reads++;
    if (path.startsWith('/api/')) backend.middleware(req, res, () => res.writeHead(404).end());
    else files(req, res);
  });
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const origin = await listenOnLoopback(server);
  const meeting = simulator.addMeeting('Bench');
  return {
    origin,
    simulator,
    counts,
    eventArrivals,
    /** A fresh recording, INVOKED. */
    start: () => simulator.startRecording(meeting.id).id,
    reset() {
      counts.events = counts.token = counts.reads = 0;
    },
    /** Every connection dropped at once, with no `retry:` and no goodbye. */
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      backend.close();
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Waits for `condition` (bounded), checking every 10 ms. @param {() => boolean} condition */
async function until(condition, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Rows 1 and 2, in headless Chromium.
 * @param {import('puppeteer-core').Browser} browser
 */
export async function pushPageBench(browser) {
  const server = await startServer();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${server.origin}/bench/push.html`);
    await page.waitForFunction(() => customElements.get('recording-status') !== undefined);

    /** One lifecycle with `n` elements on one recording: requests the page sent, and how long it took. */
    const lifecycle = async (/** @type {number} */ n, /** @type {'auto' | 'poll'} */ transport) => {
      const id = server.start();
      server.reset();
      const started = performance.now();
      await page.evaluate(
        (recordingId, count, mode) => /** @type {any} */ (window).mount(recordingId, count, mode),
        id,
        n,
        transport,
      );
      const status = (/** @type {string} */ want) =>
        page.waitForFunction((s) => /** @type {any} */ (window).allAt(s), { timeout: 30_000 }, want);
      // The walk a viewer sees (the simulator starts recording after 100 ms): recording, paused, recording,
      // uploading, uploaded; one second apart.
      await status('RECORDING');
      for (const action of ['pause', 'resume', 'stop']) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        server.simulator.control(id, /** @type {'pause'} */ (action));
        await status(action === 'pause' ? 'PAUSED' : action === 'resume' ? 'RECORDING' : 'UPLOADED');
      }
      const seconds = (performance.now() - started) / 1000;
      await page.evaluate(() => /** @type {any} */ (window).unmount());
      return { ...server.counts, seconds };
    };
    /** @type {{ n: number, push: Awaited<ReturnType<typeof lifecycle>>, poll: Awaited<ReturnType<typeof lifecycle>> }[]} */
    const lifecycles = [];
    for (const n of [1, 10, 100]) {
      lifecycles.push({ n, push: await lifecycle(n, 'auto'), poll: await lifecycle(n, 'poll') });
    }

    /**
     * Webhook → DOM, `samples` times: each a pause of its own recording, followed by its own element. (A
     * recording's bodies repeat byte for byte: RECORDING after a resume is the first RECORDING's, as
     * recording_duration stays 0 while recording. The server takes a repeat for a possible replay and asks
     * RealtimeKit, at most every 5 s, so pausing and resuming one recording every few ms would measure that.)
     */
    const latency = async (/** @type {'auto' | 'poll'} */ transport, /** @type {number} */ samples) => {
      /** @type {number[]} */
      const times = [];
      for (let i = 0; i < samples; i++) {
        const id = server.start();
        await page.evaluate(
          (recordingId, mode) => /** @type {any} */ (window).mount(recordingId, 1, mode, 1000),
          id,
          transport,
        );
        await page.waitForFunction(() => /** @type {any} */ (window).allAt('RECORDING'), { timeout: 30_000 });
        if (transport === 'auto') await page.waitForFunction(() => /** @type {any} */ (window).pushing() === 1);
        const [time] = await page.evaluate(
          (recordingId, gap) => /** @type {any} */ (window).latencies(recordingId, 1, gap),
          id,
          transport === 'poll' ? 1000 : 20,
        );
        times.push(time);
        await page.evaluate(() => /** @type {any} */ (window).unmount());
      }
      return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), samples: times.length };
    };
    const pushLatency = await latency('auto', 60);
    const pollLatency = await latency('poll', 20);
    await page.close();
    return { lifecycles, pushLatency, pollLatency };
  } finally {
    server.close();
  }
}

/** Row 3, in Node: 200 streams, one server that drops them all. */
export async function reconnectBench() {
  const server = await startServer();
  const { RecordingStream } = await import('../dist/stream/recording-stream.js');
  const { systemClock } = await import('../dist/platform.js');
  const STREAMS = 200;
  /** Enough slots for all: this measures the server's side of a mass reconnect, not a browser's cap. */
  const slots = {
    tryAcquire: () => Promise.resolve(() => undefined),
    acquire: () => Promise.resolve(() => undefined),
  };
  const env = {
    clock: systemClock,
    fetch: (/** @type {string} */ input, /** @type {RequestInit} */ init) => fetch(input, init),
    page: { isHidden: () => false, isOnline: () => true, onChange: () => () => undefined },
    random: Math.random,
    baseUrl: () => `${server.origin}/`,
    push: { slots, unsupported: new Set() },
  };
  const ids = Array.from({ length: 20 }, () => server.start());
  /** @type {number} */
  let live = 0;
  const streams = Array.from({ length: STREAMS }, (_, i) => {
    const id = ids[i % ids.length] ?? '';
    const stream = new RecordingStream(
      {
        url: `${server.origin}/api/recordings/${id}`,
        tokenUrl: `${server.origin}/api/token?recording_id=${id}`,
        target: { kind: 'recording', id },
        events: `${server.origin}/api/events?recording_id=${id}`,
      },
      env,
    );
    stream.subscribe(
      {
        state: () => undefined,
        error: () => undefined,
        connection: (/** @type {string | null} */ c) => {
          if (c === 'push') live++;
        },
      },
      { pollInterval: 5000, requestTimeout: 15_000 },
    );
    return stream;
  });
  try {
    await until(() => live === STREAMS);
    server.eventArrivals.length = 0;
    const dropped = performance.now();
    server.dropAll();
    await until(() => server.eventArrivals.length >= STREAMS, 60_000);
    const after = server.eventArrivals.slice(0, STREAMS).map((t) => t - dropped);
    const buckets = new Map();
    for (const t of after) buckets.set(Math.floor(t / 100), (buckets.get(Math.floor(t / 100)) ?? 0) + 1);
    return {
      streams: STREAMS,
      first: Math.min(...after),
      p50: quantile(after, 0.5),
      p95: quantile(after, 0.95),
      last: Math.max(...after),
      peak: Math.max(...buckets.values()),
    };
  } finally {
    for (const stream of streams) stream.stop();
    server.close();
  }
}

/** The README's rows. @param {Awaited<ReturnType<typeof pushPageBench>>} page @param {Awaited<ReturnType<typeof reconnectBench>>} spread */
export function pushRows(page, spread) {
  const lines = [
    '| one recording, full lifecycle through the real server (HTTP/1.1, loopback) | push (`transport="auto"`) | polling every 5 s (`transport="poll"`) |',
    '|---|---:|---:|',
    ...page.lifecycles.map(
      ({ n, push, poll }) =>
        `| ${n} element${n === 1 ? '' : 's'}: requests (stream + token + reads) over ${push.seconds.toFixed(1)} s / ${poll.seconds.toFixed(1)} s | ${push.events + push.token + push.reads} (${push.events} + ${push.token} + ${push.reads}) | ${poll.events + poll.token + poll.reads} (${poll.events} + ${poll.token} + ${poll.reads}) |`,
    ),
    `| webhook → DOM, p50 / p95 (${page.pushLatency.samples} and ${page.pollLatency.samples} transitions; polling every 1 s here) | ${page.pushLatency.p50.toFixed(1)} ms / ${page.pushLatency.p95.toFixed(1)} ms | ${page.pollLatency.p50.toFixed(0)} ms / ${page.pollLatency.p95.toFixed(0)} ms |`,
    '',
    `| ${spread.streams} push streams, the server drops every connection at once (no \`retry:\`) | after the drop |`,
    '|---|---:|',
    `| first / median / 95th percentile / last reconnect | ${spread.first.toFixed(0)} / ${spread.p50.toFixed(0)} / ${spread.p95.toFixed(0)} / ${spread.last.toFixed(0)} ms |`,
    `| most reconnects in any 100 ms | ${spread.peak} of ${spread.streams} |`,
  ];
  return lines;
}
