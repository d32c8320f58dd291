// @ts-check
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
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
    assert.match(out.stderr, /missing REALTIMEKIT_API_TOKEN/);
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
