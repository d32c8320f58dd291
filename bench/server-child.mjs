// @ts-check
/**
 * The server benchmarks' server, alone in this process so that its memory and CPU are its own, listening on
 * 127.0.0.1: `createRecordingServer` from dist/ under `listen()`, or with BENCH_SERVER=bare the bare
 * `node:http` baseline of bench/bare-server.mjs. RealtimeKit is the parent's simulator, over loopback HTTP.
 * BENCH_CLOCK_SPEED runs the real server's clock that many times faster (a compressed schedule). BENCH_REDIS_URL
 * (and BENCH_REDIS_PREFIX) makes it a replica sharing that Redis with the others (bench/replicas.mjs).
 * The parent asks by message: 'memory' (after full GCs), 'cpu', { seed }, { profile: 'start' | 'stop' }, 'stop'.
 */
import { Session } from 'node:inspector/promises';

const upstream = process.env.BENCH_UPSTREAM ?? '';
const secret = process.env.BENCH_SECRET ?? '';
const keyUrl = `${upstream}/.well-known/webhooks.json`;

/** A clock `speed` times faster than the system's, from now on. @param {number} speed @returns {import('../src/platform.js').Clock} */
const fastClock = (speed) => {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * speed,
    setTimeout: (callback, ms) => setTimeout(callback, Math.min(2 ** 31 - 1, Math.max(0, ms / speed))),
    clearTimeout: (id) => {
      clearTimeout(id);
    },
  };
};

/** @returns {Promise<{ url: string, close: () => Promise<unknown>, stats: () => unknown, seed?: (r: any, seq: number) => void }>} */
async function start() {
  // Each loads only its own code, so that neither's heap holds the other's.
  if (process.env.BENCH_SERVER === 'bare') {
    const { createBareServer } = await import('./bare-server.mjs');
    const key = /** @type {{ data: { publicKey: string } }} */ (await (await fetch(keyUrl)).json());
    const headers = /** @type {[string, string][]} */ (JSON.parse(process.env.BENCH_HEADERS ?? '[]'));
    const bare = createBareServer({ secret, publicKeyPem: key.data.publicKey, headers });
    await new Promise((resolve) => bare.http.listen(0, '127.0.0.1', () => resolve(undefined)));
    const address = bare.http.address();
    return {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      close: () => new Promise((resolve) => bare.http.close(resolve).closeAllConnections()),
      stats: bare.stats,
      seed: bare.seed,
    };
  }
  const { createRecordingServer } = await import('../dist/server/index.js');
  const { listen } = await import('../dist/server/node.js');
  const speed = Number(process.env.BENCH_CLOCK_SPEED ?? 1);
  const server = createRecordingServer({
    accountId: 'bench',
    appId: 'bench',
    apiToken: 'bench-api-token',
    apiBase: `${upstream}/client/v4`,
    tokenSecret: secret,
    webhookKeyUrl: keyUrl,
    // The bench's viewers of a recording share one token, and the 10k row opens 10 000 streams: the caps (32 per
    // token, 10 000 in all) would refuse most of them, and the rows would compare a few dozen viewers with the bare
    // server's thousands. The caps are a hardening limit, tested in test/server; here they are lifted.
    streams: { perToken: 100_000, perTarget: 100_000, total: 100_000 },
    ...(speed === 1 ? {} : { clock: fastClock(speed) }),
    ...(process.env.BENCH_REDIS_URL
      ? { redis: process.env.BENCH_REDIS_URL, redisPrefix: process.env.BENCH_REDIS_PREFIX ?? 'bench:' }
      : {}),
  });
  const listening = await listen(server, { port: 0 });
  return {
    url: listening.url,
    close: () => Promise.all([listening.close(), server.close()]),
    stats: () => server.stats(),
  };
}

const server = await start();
/** Heap and RSS after full collections, with a turn of the event loop between them for finalizers to run. */
const memory = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
};
/** @type {Session | null} */
let profiler = null;
process.on('message', (/** @type {any} */ message) => {
  const reply = (/** @type {unknown} */ value) => process.send?.(value);
  if (message === 'memory') void memory().then((m) => reply({ memory: m, stats: server.stats() }));
  if (message === 'cpu') reply({ cpu: process.cpuUsage(), stats: server.stats() });
  if (message === 'stop') void server.close().then(() => process.exit(0));
  if (message?.seed) {
    for (const { recording, seq } of message.seed) server.seed?.(recording, seq);
    reply({ seeded: message.seed.length });
  }
  if (message?.profile === 'start') {
    profiler = new Session();
    profiler.connect();
    void (async () => {
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
      reply({ profiling: true });
    })();
  }
  if (message?.profile === 'stop' && profiler !== null) {
    const session = profiler;
    profiler = null;
    void session.post('Profiler.stop').then(({ profile }) => {
      session.disconnect();
      reply({ profile });
    });
  }
});
// Never outlive the bench: a parent that died leaves no server behind.
process.once('disconnect', () => process.exit(0));
process.send?.({ url: server.url });
