// @ts-check
/**
 * The two ways the recording server runs, started the same way for the tests that must hold for both: Node in
 * one process (`createRecordingServer` + `listen`), and the Cloudflare Worker with its Durable Objects in
 * workerd (through miniflare, the same runtime `wrangler dev` uses). Both sit in front of the simulator as a
 * real HTTP upstream on 127.0.0.1, and both are reached over real HTTP: miniflare's dispatchFetch would
 * buffer a streamed body.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { startSimulatorUpstream } from '../../src/simulator/upstream.js';
import { createRecordingServer, createViewerToken } from '../../dist/server/index.js';
import { listen } from '../../dist/server/node.js';

export const API_TOKEN = 'rtk-API-token-that-must-never-leak-0002';
export const SECRET = 'viewer-token-secret-that-is-long-enough-9876543210';
/** The compatibility date of wrangler.jsonc: the newest this workerd takes. */
export const COMPATIBILITY_DATE = '2026-04-01';

/** @typedef {Awaited<ReturnType<typeof startSimulatorUpstream>>} Upstream */

/**
 * @typedef {object} Backend
 * @property {string} url without a trailing slash
 * @property {Upstream} upstream
 * @property {(target: { recordingId: string } | { meetingId: string }, download?: boolean) => Promise<string>} token
 * @property {() => Promise<void>} close
 */

/** @param {{ startDelayMs?: number, uploadMs?: number }} options */
async function simulatorUpstream(options) {
  return startSimulatorUpstream({ port: 0, apiToken: API_TOKEN, webhookUrl: null, seed: true, ...options });
}

const token = (/** @type {any} */ target, download = true) => createViewerToken(SECRET, target, { download });

/**
 * @param {{ startDelayMs?: number, uploadMs?: number, budget?: number }} [options]
 * @returns {Promise<Backend>}
 */
export async function startNode(options = {}) {
  const upstream = await simulatorUpstream(options);
  const server = createRecordingServer({
    accountId: 'acc',
    appId: 'app',
    apiToken: API_TOKEN,
    apiBase: `${upstream.url}/client/v4`,
    webhookKeyUrl: `${upstream.url}/.well-known/webhooks.json`,
    tokenSecret: SECRET,
    log: () => undefined,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const listening = await listen(server, { port: 0 });
  upstream.webhookUrl = `${listening.url}/webhook`;
  return {
    url: listening.url,
    upstream,
    token,
    close: async () => {
      await listening.close();
      await upstream.close();
    },
  };
}

/** Bundles, one per entry and test process. @type {Map<string, Promise<string>>} */
const bundles = new Map();

/** A Worker entry bundled as wrangler would (the package's own by default). */
function workerBundle(entry = fileURLToPath(new URL('../../dist/server/cloudflare/index.js', import.meta.url))) {
  let bundled = bundles.get(entry);
  if (bundled === undefined) {
    bundled = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'recording-status-worker-'));
      const outfile = join(dir, 'worker.js');
      await build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        target: 'es2022',
        // workerd's own module, as wrangler leaves it.
        external: ['cloudflare:workers'],
        outfile,
        logLevel: 'warning',
      });
      process.once('exit', () => {
        void rm(dir, { recursive: true, force: true });
      });
      return outfile;
    })();
    bundles.set(entry, bundled);
  }
  return bundled;
}

/**
 * @param {{ startDelayMs?: number, uploadMs?: number, budget?: number, freshFor?: number, persist?: string, upstream?: Upstream, entry?: string, vars?: Record<string, unknown> }} [options]
 * @returns {Promise<Backend & { miniflare: Miniflare, restart: () => Promise<void>, hubStats: (name: string) => Promise<any>, budgetStats: () => Promise<any> }>}
 */
export async function startWorker(options = {}) {
  const upstream = options.upstream ?? (await simulatorUpstream(options));
  const scriptPath = await workerBundle(options.entry);
  const config = /** @type {import('miniflare').MiniflareOptions} */ ({
    modules: true,
    modulesRoot: join(scriptPath, '..'),
    scriptPath,
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: {
      RECORDING_HUB: { className: 'RecordingHub', useSQLite: true },
      UPSTREAM_BUDGET: { className: 'UpstreamBudget', useSQLite: true },
    },
    bindings: {
      REALTIMEKIT_ACCOUNT_ID: 'acc',
      REALTIMEKIT_APP_ID: 'app',
      REALTIMEKIT_API_TOKEN: API_TOKEN,
      RECORDING_STATUS_TOKEN_SECRET: SECRET,
      REALTIMEKIT_API_BASE: `${upstream.url}/client/v4`,
      REALTIMEKIT_WEBHOOK_KEY_URL: `${upstream.url}/.well-known/webhooks.json`,
      ...(options.budget === undefined ? {} : { RECORDING_STATUS_BUDGET: String(options.budget) }),
      ...(options.freshFor === undefined ? {} : { RECORDING_STATUS_FRESH_FOR: String(options.freshFor) }),
      ...options.vars,
    },
    ...(options.persist === undefined ? {} : { durableObjectsPersist: options.persist }),
    host: '127.0.0.1',
    port: 0,
  });
  let miniflare = new Miniflare(config);
  const url = (await miniflare.ready).href.replace(/\/$/, '');
  upstream.webhookUrl = `${url}/webhook`;
  const backend = {
    url,
    /** What the hub of a target says of itself (its stats() RPC method, which the Worker never calls). */
    hubStats: async (/** @type {string} */ name) => {
      const namespace = /** @type {any} */ (await miniflare.getDurableObjectNamespace('RECORDING_HUB'));
      return /** @type {any} */ (await namespace.getByName(name).stats());
    },
    /** What the deployment's budget object says of itself. */
    budgetStats: async () => {
      const namespace = /** @type {any} */ (await miniflare.getDurableObjectNamespace('UPSTREAM_BUDGET'));
      const response = await namespace.get(namespace.idFromName('app')).fetch('https://budget/stats');
      return /** @type {any} */ (await response.json());
    },
    upstream,
    token,
    miniflare,
    /** A new runtime on the same storage, as after an eviction or a deploy: every object restarts. */
    restart: async () => {
      await miniflare.dispose();
      miniflare = new Miniflare({ ...config, port: Number(new URL(url).port) });
      backend.miniflare = miniflare;
      await miniflare.ready;
    },
    close: async () => {
      await miniflare.dispose();
      if (options.upstream === undefined) await upstream.close();
    },
  };
  return backend;
}
