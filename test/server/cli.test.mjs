// @ts-check
import { strict as assert } from 'node:assert';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/server/cli.js', import.meta.url));
const ENV = {
  REALTIMEKIT_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
  REALTIMEKIT_API_TOKEN: 'cli-api-token-never-printed-000000',
  RECORDING_STATUS_TOKEN_SECRET: 'cli-secret-of-at-least-thirty-two-bytes-000',
};
const run = (/** @type {string[]} */ args, /** @type {Record<string, string>} */ env) =>
  spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });

/** As run(), without blocking the event loop (for a test that holds a port meanwhile). */
const runAsync = (/** @type {string[]} */ args, /** @type {Record<string, string>} */ env) =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 },
      (_error, stdout, stderr) => {
        resolve({ status: child.exitCode, stdout, stderr });
      },
    );
  }).then((out) => /** @type {{ status: number | null, stdout: string, stderr: string }} */ (out));

describe('recording-status-server (the bin)', () => {
  it('--help says what it reads and that the host app mints the tokens', () => {
    const out = run(['--help'], {});
    assert.equal(out.status, 0);
    for (const name of [...Object.keys(ENV), 'PORT', 'HOST', 'createViewerToken', '127.0.0.1'])
      assert.ok(out.stdout.includes(name), name);
  });

  it('a missing variable is a clear error and exit 2', () => {
    const rest = Object.fromEntries(Object.entries(ENV).filter(([name]) => name !== 'REALTIMEKIT_API_TOKEN'));
    const out = run([], rest);
    assert.equal(out.status, 2);
    assert.equal(
      out.stderr,
      'recording-status-server: REALTIMEKIT_API_TOKEN is not set.\nRun with --help for the variables it reads.\n',
    );
  });

  it('says every missing or invalid variable at once, by its name, with the fix, never a value', () => {
    const out = run([], {
      REALTIMEKIT_APP_ID: 'app',
      RECORDING_STATUS_TOKEN_SECRET: 'short-secret',
      REALTIMEKIT_API_BASE: 'not-a-url',
      REALTIMEKIT_WEBHOOK_KEY: 'garbage',
      RECORDING_STATUS_BUDGET: '0.5',
      PORT: 'eighty',
    });
    assert.equal(out.status, 2);
    assert.deepEqual(out.stderr.trim().split('\n'), [
      'recording-status-server: PORT must be a port number (0 to 65535).',
      'recording-status-server: REALTIMEKIT_ACCOUNT_ID is not set.',
      'recording-status-server: REALTIMEKIT_API_TOKEN is not set.',
      'recording-status-server: RECORDING_STATUS_TOKEN_SECRET must be at least 32 bytes: openssl rand -hex 32.',
      'recording-status-server: REALTIMEKIT_API_BASE must be an absolute http(s) URL, such as https://api.cloudflare.com/client/v4.',
      "recording-status-server: REALTIMEKIT_WEBHOOK_KEY is not a PEM public key (-----BEGIN PUBLIC KEY----- …); leave it unset to fetch RealtimeKit's.",
      'recording-status-server: RECORDING_STATUS_BUDGET must be a whole number of requests per minute, at least 1 (default 900).',
      'Run with --help for the variables it reads.',
    ]);
    for (const value of ['short-secret', 'not-a-url', 'garbage']) assert.equal(out.stderr.includes(value), false);
  });

  it('a port in use is exit 2, naming the host and the port', async () => {
    const taken = createServer();
    await new Promise((resolve) => taken.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (taken.address());
    try {
      const out = await runAsync([], { ...ENV, PORT: String(port) });
      assert.equal(out.status, 2);
      assert.equal(
        out.stderr.split('\n')[0],
        `recording-status-server: could not listen on 127.0.0.1:${port} (EADDRINUSE): something else is listening there; stop it or choose another port.`,
      );
    } finally {
      taken.close();
    }
  });

  it('a short secret is exit 2, naming the variable’s rule and never a value', () => {
    const out = run([], { ...ENV, RECORDING_STATUS_TOKEN_SECRET: 'short' });
    assert.equal(out.status, 2);
    assert.match(out.stderr, /at least 32 bytes/);
    assert.equal(out.stderr.includes('short'), false);
  });

  it('serves on 127.0.0.1 by default, and answers /healthz without secrets', async () => {
    const child = spawn(process.execPath, [cli], { env: { PATH: process.env.PATH ?? '', ...ENV, PORT: '0' } });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const m = /listening on (http:\/\/[^\s]+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      const text = await health.text();
      assert.equal(health.status, 200);
      assert.equal(text.includes(ENV.REALTIMEKIT_API_TOKEN) || text.includes(ENV.RECORDING_STATUS_TOKEN_SECRET), false);
      assert.equal((await fetch(`${url}/token?recording_id=r`)).status, 404);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
