// @ts-check
/**
 * `npm run demo:replicas`: the demo page on two replicas of the Node server sharing one Redis, as behind a load
 * balancer that sent every webhook to one replica and every viewer to the other. It starts its own redis-server
 * (a free port, no persistence), two `recording-status-server` processes (dist/server/cli.js) configured by their
 * environment with RECORDING_STATUS_REDIS_URL, and the simulator as RealtimeKit, whose signed webhooks reach
 * replica A only. Vite serves the page and passes `/api` to replica B only, so every change the widgets show was
 * signed to A and reached B through Redis. The page's `/api/token` is the host app's, minting tokens with the
 * replicas' secret (the CLI serves no /token). Everything listens on 127.0.0.1; what it started it stops by PID.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { proxiedBackend } from '../demo/simulator/proxied-backend.mjs';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';
import { redisServerInstalled, startRedisServer } from '../test/scale/redis-server.mjs';
import { createViewerToken } from '../dist/server/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PREFIX = '/api';
/** How long a replica may take to say it listens, and to end when asked. */
const START_MS = 15_000;
const STOP_MS = 5_000;

if (!redisServerInstalled()) {
  console.error('redis-server is not installed (Debian: apt-get install redis-server); the replicas need one.');
  process.exit(1);
}

const redis = await startRedisServer();
const upstream = await startSimulatorUpstream({ port: 0, webhookUrl: null, seed: true });
const secret = randomBytes(32).toString('hex');

/** @type {import('node:child_process').ChildProcess[]} */
const replicas = [];
let stopping = false;

/**
 * One replica, as a host runs it: the CLI, configured by its environment. Resolves with its URL once it says it
 * listens (bounded).
 * @param {string} name
 * @returns {Promise<string>}
 */
function startReplica(name) {
  const child = spawn(process.execPath, [join(root, 'dist/server/cli.js')], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      REALTIMEKIT_ACCOUNT_ID: 'demo-account',
      REALTIMEKIT_APP_ID: 'demo-app',
      REALTIMEKIT_API_TOKEN: upstream.simulator.apiToken,
      REALTIMEKIT_API_BASE: `${upstream.url}/client/v4`,
      REALTIMEKIT_WEBHOOK_KEY_URL: `${upstream.url}/.well-known/webhooks.json`,
      RECORDING_STATUS_TOKEN_SECRET: secret,
      RECORDING_STATUS_BASE_PATH: PREFIX,
      RECORDING_STATUS_REDIS_URL: redis.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  replicas.push(child);
  let output = '';
  // Its log lines (an outage said once, and its end) stay visible, named for the replica.
  child.stderr?.on('data', (chunk) => process.stderr.write(`[replica ${name}] ${chunk}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start: ${output}`)), START_MS);
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}): ${output}`));
      if (!stopping) {
        console.error(`Replica ${name} exited (${code}).`);
        void stop(1);
      }
    });
  });
}

/** Ends one child by its PID: SIGTERM, then SIGKILL if it has not ended within STOP_MS. */
async function end(/** @type {import('node:child_process').ChildProcess} */ child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), STOP_MS);
  await exited;
  clearTimeout(timer);
}

/** @type {import('vite').ViteDevServer | null} */
let vite = null;
async function stop(/** @type {number} */ code) {
  if (stopping) return;
  stopping = true;
  await vite?.close();
  await Promise.all(replicas.map(end));
  await upstream.close();
  await redis.stop();
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

const [a, b] = await Promise.all([startReplica('A'), startReplica('B')]).catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
  throw error;
});
upstream.webhookUrl = `${a}${PREFIX}/webhook`;

const backend = proxiedBackend({
  prefix: PREFIX,
  upstream,
  server: b,
  backend: 'Node, two replicas through Redis: the webhooks reach replica A, these widgets follow replica B',
  token: (target, ttl) => createViewerToken(secret, target, { ttl, download: true }),
});
vite = await createServer({
  configFile: false,
  root: join(root, 'demo'),
  logLevel: 'warn',
  plugins: [backend.plugin],
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), proxy: backend.proxy },
});
await vite.listen();
console.log(`Demo (two Node replicas through Redis): ${vite.resolvedUrls?.local[0] ?? ''}
  Redis:      ${redis.url} (redis-server, pid ${redis.pid()}, no persistence)
  Replica A:  ${a}${PREFIX}  RealtimeKit's signed webhooks go here, and only here
  Replica B:  ${b}${PREFIX}  the page's widgets read and follow /events here, and only here
  RealtimeKit simulator: ${upstream.url}
Every change the widgets show was signed to A and reached B through Redis. Ctrl-C stops all of it.`);
