// @ts-check
/**
 * `npm run worker`: the demo page with its widgets served by the Cloudflare Worker and its Durable Objects,
 * run locally in workerd by `wrangler dev`, in front of the simulator as RealtimeKit. Vite serves the page and
 * passes `/api` to the Worker; the simulator's controls and counters stay beside it. Everything listens on
 * 127.0.0.1; secrets are made at start and handed to wrangler in an env file that is deleted at exit.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { proxiedBackend } from '../demo/simulator/proxied-backend.mjs';
import { freePort } from './free-port.mjs';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PREFIX = '/api';

const upstream = await startSimulatorUpstream({ port: 0, webhookUrl: null, seed: true });
const workerPort = await freePort();
const worker = `http://127.0.0.1:${workerPort}`;
const state = mkdtempSync(join(tmpdir(), 'recording-status-worker-demo-'));
const envFile = join(state, '.dev.vars');
writeFileSync(
  envFile,
  `REALTIMEKIT_API_TOKEN=${upstream.simulator.apiToken}\nRECORDING_STATUS_TOKEN_SECRET=${randomBytes(32).toString('hex')}\n`,
  { mode: 0o600 },
);

const wrangler = spawn(
  process.execPath,
  [
    join(root, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    '--config',
    join(root, 'wrangler.jsonc'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(workerPort),
    '--env-file',
    envFile,
    '--persist-to',
    join(state, 'state'),
    '--var',
    `REALTIMEKIT_API_BASE:${upstream.url}/client/v4`,
    '--var',
    `REALTIMEKIT_WEBHOOK_KEY_URL:${upstream.url}/.well-known/webhooks.json`,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
  ],
  { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'inherit', 'inherit'] },
);

let stopping = false;
const stop = async (/** @type {number} */ code) => {
  if (stopping) return;
  stopping = true;
  wrangler.kill('SIGTERM');
  await upstream.close();
  rmSync(state, { recursive: true, force: true });
  process.exit(code);
};
wrangler.once('exit', (code) => {
  if (!stopping) {
    console.error(`wrangler dev exited (${code}).`);
    void stop(1);
  }
});
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

// Ready when the Worker answers its health route (bounded: two minutes).
for (let i = 0; ; i++) {
  if (i >= 240) {
    console.error('The Worker did not come up within two minutes.');
    await stop(1);
  }
  const up = await fetch(`${worker}${PREFIX}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
upstream.webhookUrl = `${worker}${PREFIX}/webhook`;

const backend = proxiedBackend({
  prefix: PREFIX,
  upstream,
  server: worker,
  backend: 'Cloudflare Worker + Durable Objects, in workerd (wrangler dev)',
});

const vite = await createServer({
  configFile: false,
  root: join(root, 'demo'),
  plugins: [backend.plugin],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    proxy: backend.proxy,
  },
});
await vite.listen();
console.log(`Demo (widgets served by the Worker in workerd): ${vite.resolvedUrls?.local[0] ?? ''}
  Worker: ${worker}${PREFIX}   RealtimeKit simulator: ${upstream.url}`);
