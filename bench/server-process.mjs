// @ts-check
/**
 * A benchmarked server in a child process of its own (bench/server-child.mjs), so that its CPU and heap are its
 * own: asked by message for its CPU, heap and stats, sent signed webhooks, stopped.
 */
import { fork } from 'node:child_process';

/** A webhook delivery id in RealtimeKit's shape (a UUID): the server counts any other as none. */
export const deliveryId = () => crypto.randomUUID();

/**
 * A server in its own process (server-child.mjs), reading RealtimeKit at `upstream`.
 * @param {'server' | 'bare'} kind
 * @param {{ upstream: string, secret: string, env?: Record<string, string> }} options
 */
export async function startServerProcess(kind, options) {
  const child = fork(new URL('./server-child.mjs', import.meta.url), {
    env: {
      ...process.env,
      BENCH_UPSTREAM: options.upstream,
      BENCH_SECRET: options.secret,
      BENCH_SERVER: kind,
      ...options.env,
    },
    execArgv: ['--expose-gc'],
  });
  const exited = new Promise((_, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the ${kind} server's process exited (${code})`));
    });
  });
  exited.catch(() => undefined);
  /** @type {(message: unknown) => Promise<any>} */
  const ask = (message) =>
    Promise.race([
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send(/** @type {any} */ (message));
      }),
      exited,
    ]);
  const { url } = /** @type {{ url: string }} */ (
    await Promise.race([new Promise((resolve) => child.once('message', resolve)), exited])
  );
  const port = Number(new URL(url).port);
  /** Sends one webhook and waits for its answer. @param {{ body: Buffer, signature: string }} signed */
  const deliver = async (signed) => {
    const response = await fetch(`${url}/webhook`, {
      method: 'POST',
      body: new Uint8Array(signed.body),
      headers: {
        'Content-Type': 'application/json',
        'rtk-signature': signed.signature,
        'rtk-uuid': deliveryId(),
      },
    });
    if (!response.ok) throw new Error(`the ${kind} server refused a webhook: ${response.status}`);
  };
  return {
    kind,
    url,
    port,
    ask,
    deliver,
    /** @returns {Promise<{ cpu: NodeJS.CpuUsage, stats: { viewers: number, webhooks: { accepted: number } } }>} */
    cpu: () => ask('cpu'),
    /** @returns {Promise<number>} heap used after a full GC */
    heap: async () => /** @type {{ memory: { heapUsed: number } }} */ (await ask('memory')).memory.heapUsed,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send('stop');
      }),
  };
}

/** @typedef {Awaited<ReturnType<typeof startServerProcess>>} ServerProcess */
