// @ts-check
/**
 * A deployment for the scale-out tests: one redis-server, the RealtimeKit simulator as a real HTTP upstream, and
 * N replicas of the recording server sharing that Redis, each in this process behind its own port (or, where a
 * replica must die, as a child process running the CLI). The simulator's own webhooks are off: tests sign and
 * send each delivery to the replica they choose, as a load balancer would.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulatorUpstream } from '../../src/simulator/upstream.js';
import { createRecordingServer, createViewerToken } from '../../dist/server/index.js';
import { listen } from '../../dist/server/node.js';
import { startRedisServer } from './redis-server.mjs';

export const API_TOKEN = 'rtk-API-token-that-must-never-leak-0003';
export const SECRET = 'viewer-token-secret-that-is-long-enough-0123456789';

/** @typedef {Awaited<ReturnType<typeof startSimulatorUpstream>>} Upstream */

/**
 * A clock running `factor` times faster than the wall: the hub's 30 s reconciliation takes 30 / factor s. Every
 * replica of a test shares it, as replicas share the time of day.
 */
export function fastClock(factor = 1) {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * factor,
    setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) =>
      globalThis.setTimeout(callback, Math.min(2 ** 31 - 1, Math.max(0, ms / factor))),
    clearTimeout: (/** @type {ReturnType<typeof setTimeout>} */ id) => globalThis.clearTimeout(id),
  };
}

/**
 * @typedef {object} Replica
 * @property {string} url
 * @property {import('../../dist/server/index.js').RecordingServer} server
 * @property {string[]} logs
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ replicas?: number, budget?: number, freshFor?: number, clock?: any, startDelayMs?: number, uploadMs?: number, redis?: boolean }} [options]
 */
export async function startCluster(options = {}) {
  const redis = await startRedisServer();
  const upstream = await startSimulatorUpstream({
    port: 0,
    apiToken: API_TOKEN,
    webhookUrl: null,
    seed: true,
    startDelayMs: options.startDelayMs ?? 3_600_000,
    uploadMs: options.uploadMs ?? 3_600_000,
  });
  const prefix = `test-${Math.random().toString(16).slice(2)}:`;
  const base = {
    accountId: 'acc',
    appId: 'app',
    apiToken: API_TOKEN,
    apiBase: `${upstream.url}/client/v4`,
    webhookKeyUrl: `${upstream.url}/.well-known/webhooks.json`,
    tokenSecret: SECRET,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.freshFor === undefined ? {} : { freshFor: options.freshFor }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
  /** @type {Replica[]} */
  const replicas = [];
  const addReplica = async () => {
    /** @type {string[]} */
    const logs = [];
    const server = createRecordingServer({
      ...base,
      ...(options.redis === false ? {} : { redis: redis.url, redisPrefix: prefix }),
      log: (line) => logs.push(line),
    });
    const listening = await listen(server, { port: 0 });
    /** @type {Replica} */
    const replica = {
      url: listening.url,
      server,
      logs,
      close: async () => {
        await listening.close();
        await server.close();
      },
    };
    replicas.push(replica);
    return replica;
  };
  for (let i = 0; i < (options.replicas ?? 2); i++) await addReplica();

  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  /** A replica as its own process: the CLI, configured by its environment as a host would. */
  const spawnReplica = async () => {
    const cli = fileURLToPath(new URL('../../dist/server/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: '0',
        REALTIMEKIT_ACCOUNT_ID: base.accountId,
        REALTIMEKIT_APP_ID: base.appId,
        REALTIMEKIT_API_TOKEN: API_TOKEN,
        REALTIMEKIT_API_BASE: base.apiBase,
        REALTIMEKIT_WEBHOOK_KEY_URL: base.webhookKeyUrl,
        RECORDING_STATUS_TOKEN_SECRET: SECRET,
        RECORDING_STATUS_REDIS_URL: redis.url,
        RECORDING_STATUS_REDIS_PREFIX: prefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the replica did not start: ${out}`)), 15_000);
      child.stdout?.on('data', (chunk) => {
        out += String(chunk);
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr?.on('data', (chunk) => (out += String(chunk)));
      child.once('exit', (code) => reject(new Error(`the replica exited (${code}): ${out}`)));
    });
    return {
      url: /** @type {string} */ (url),
      pid: child.pid,
      /** Ends it as a crash would. */
      kill: () =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
            return resolve(undefined);
          child.once('exit', () => resolve(undefined));
          process.kill(child.pid, 'SIGKILL');
        }),
    };
  };

  const simulator = upstream.simulator;
  let distinct = 0;
  /**
   * A recording's current state signed as RealtimeKit's webhook, ready to POST.
   * @param {string} recordingId
   * @param {{ uuid?: string, body?: string, distinct?: boolean }} [reuse] `distinct`: a body unlike any before (a
   *   field the server does not read differs), as RealtimeKit's differ when seconds apart
   */
  const prepare = async (recordingId, reuse = {}) => {
    const recording = simulator.recordings.get(recordingId);
    if (!recording) throw new Error(`no recording ${recordingId}`);
    const payload = simulator.webhookPayload(recording);
    if (reuse.distinct) payload.recording.organizationId = `sim-organization-${++distinct}`;
    const { body, headers } = await upstream.signer.delivery(payload);
    const sent = reuse.body ?? body;
    /** @type {Record<string, string>} */
    const sentHeaders = { ...headers, 'rtk-signature': await upstream.signer.sign(sent) };
    if (reuse.uuid !== undefined) sentHeaders['rtk-uuid'] = reuse.uuid;
    return { body: sent, headers: sentHeaders, uuid: sentHeaders['rtk-uuid'] ?? '' };
  };
  /** POSTs a prepared delivery to one replica, as a load balancer would; its answer. */
  const post = async (
    /** @type {{ url: string }} */ replica,
    /** @type {Awaited<ReturnType<typeof prepare>>} */ delivery,
  ) => {
    const response = await fetch(`${replica.url}/webhook`, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, json: await response.json(), body: delivery.body, uuid: delivery.uuid };
  };
  /**
   * Signs a recording's current state and POSTs it to one replica.
   * @param {{ url: string }} replica @param {string} recordingId
   * @param {{ uuid?: string, body?: string, distinct?: boolean }} [reuse]
   */
  const deliver = async (replica, recordingId, reuse = {}) => post(replica, await prepare(recordingId, reuse));

  return {
    redis,
    upstream,
    simulator,
    replicas,
    addReplica,
    spawnReplica,
    deliver,
    prepare,
    post,
    prefix,
    token: (/** @type {any} */ target, download = true) => createViewerToken(SECRET, target, { download, ttl: 3600 }),
    /** Upstream requests the simulator answered on the API. */
    upstreamRequests: () => simulator.stats.upstreamRequests,
    close: async () => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          process.kill(child.pid, 'SIGKILL');
        }
      }
      await Promise.all(replicas.map((r) => r.close()));
      await upstream.close();
      await redis.stop();
    },
  };
}

/** p-th percentile of a list of numbers. */
export function percentile(/** @type {number[]} */ values, /** @type {number} */ p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Waits, every 20 ms, until `done` holds; throws after `ms`. */
export const until = async (/** @type {() => boolean | Promise<boolean>} */ done, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A new recording in a seeded meeting, already RECORDING (the simulator's start delay is short). */
export async function recordingNow(/** @type {Awaited<ReturnType<typeof startCluster>>} */ c) {
  const meeting = [...c.simulator.meetings.values()][0];
  assert.ok(meeting);
  const r = c.simulator.startRecording(meeting.id, Date.now() - 10_000);
  c.simulator.tick();
  assert.equal(r.status, 'RECORDING');
  return r;
}
