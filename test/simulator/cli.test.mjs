// @ts-check
/// <reference types="node" />
/**
 * recording-status-simulator, the bin as a user runs it from the package (dist/simulator/cli.js): its help,
 * its controls over HTTP, and signed webhooks delivered to WEBHOOK_URL on every change.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/simulator/cli.js', import.meta.url));
/** @type {(() => unknown)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts the bin; resolves to its URL once it says where it listens. */
function start(/** @type {Record<string, string>} */ env) {
  const child = spawn(process.execPath, [cli], { env: { PATH: process.env.PATH ?? '', ...env } });
  cleanups.push(() => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /RealtimeKit simulator on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*(Then open|before starting both)/.exec(out);
      if (m) resolve({ url: /** @type {string} */ (m[1]), out });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  }).then((started) => /** @type {{ url: string, out: string }} */ (started));
}

describe('recording-status-simulator (the bin)', () => {
  it('--help lists its variables and its controls, and starts nothing', () => {
    const out = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(out.status, 0);
    for (const word of ['PORT', 'WEBHOOK_URL', 'SIM_API_TOKEN', 'SIM_SEED', '127.0.0.1', 'npx recording-status-server'])
      assert.ok(out.stdout.includes(word), word);
    for (const control of [
      '/recordings',
      '/pause',
      '/resume',
      '/stop',
      '/fail',
      '/control/fault/',
      'outage',
      'GET /control/state',
    ])
      assert.ok(out.stdout.includes(control), control);
  });

  it('plays RealtimeKit: reads with the API token, the key, controls, and a signed webhook per change', async () => {
    /** @type {{ status: string, signed: boolean }[]} */
    const deliveries = [];
    /** @type {{ count: number, resolve: () => void }[]} */
    const waiting = [];
    /** Resolves once `count` deliveries have arrived (the bin's own timer moves a start on to RECORDING). */
    const delivered = (/** @type {number} */ count) =>
      new Promise((resolve) => {
        if (deliveries.length >= count) resolve(undefined);
        else waiting.push({ count, resolve: () => resolve(undefined) });
      });
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const status = JSON.parse(body).recording.status;
        deliveries.push({ status, signed: Boolean(req.headers['rtk-signature']) });
        for (const w of waiting.filter((w) => deliveries.length >= w.count)) w.resolve();
        res.end('{}');
      });
    });
    await new Promise((resolve) => hook.listen(0, '127.0.0.1', () => resolve(undefined)));
    cleanups.push(() => hook.close());
    const hookPort = /** @type {import('node:net').AddressInfo} */ (hook.address()).port;
    const { url, out } = await start({
      PORT: '0',
      WEBHOOK_URL: `http://127.0.0.1:${hookPort}/webhook`,
      SIM_API_TOKEN: 'tok',
    });
    assert.match(out, /REALTIMEKIT_API_TOKEN=tok/);
    const meeting = /Meetings: ([0-9a-f-]+)/.exec(out)?.[1];
    const started = await fetch(`${url}/control/meetings/${meeting}/recordings`, { method: 'POST' });
    assert.equal(started.status, 201);
    const { id } = /** @type {{ id: string }} */ (await started.json());
    const read = (/** @type {string} */ token) =>
      fetch(`${url}/client/v4/accounts/a/realtime/kit/b/recordings/${id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    assert.equal((await read('wrong')).status, 401);
    assert.equal((await read('tok')).status, 200);
    const key = /** @type {any} */ (await (await fetch(`${url}/.well-known/webhooks.json`)).json());
    assert.match(key.data.publicKey, /BEGIN PUBLIC KEY/);
    const control = (/** @type {string} */ action) =>
      fetch(`${url}/control/recordings/${id}/${action}`, { method: 'POST' });
    assert.equal((await control('resume')).status, 409, 'resume fits only a paused recording');
    await delivered(2);
    for (const action of ['pause', 'resume', 'fail']) assert.equal((await control(action)).status, 200, action);
    await delivered(5);
    // Each delivery is its own POST: they may land in any order.
    assert.deepEqual(deliveries.map((d) => d.status).sort(), [
      'ERRORED',
      'INVOKED',
      'PAUSED',
      'RECORDING',
      'RECORDING',
    ]);
    assert.ok(deliveries.every((d) => d.signed));
  });

  it("stands in for the host app at /: a page reading from SERVER_URL, and a /token only with the server's secret", async () => {
    const without = await start({ PORT: '0', WEBHOOK_URL: 'none' });
    assert.match(without.out, /export RECORDING_STATUS_TOKEN_SECRET=\$\(openssl rand -hex 32\) before starting both/);
    const refused = await fetch(`${without.url}/token?meeting_id=m`);
    assert.equal(refused.status, 503);
    assert.match(await refused.text(), /RECORDING_STATUS_TOKEN_SECRET/);

    const secret = 'simulator-page-secret-of-at-least-32-bytes';
    const { url, out } = await start({
      PORT: '0',
      WEBHOOK_URL: 'none',
      SERVER_URL: 'http://127.0.0.1:9999/',
      RECORDING_STATUS_TOKEN_SECRET: secret,
    });
    assert.equal(out.includes(secret), false, 'the secret is read, never printed');
    assert.match(out, /RECORDING_STATUS_CORS_ORIGIN=http:\/\/127\.0\.0\.1:\d+/);
    const page = await fetch(`${url}/`);
    assert.match(await page.text(), /data-server="http:\/\/127\.0\.0\.1:9999"/);
    assert.equal((await fetch(`${url}/recording-status.min.js`)).status, 200);
    const answer = await fetch(`${url}/token?meeting_id=m1`);
    assert.equal(answer.status, 200);
    const { token } = /** @type {{ token: string }} */ (await answer.json());
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    assert.equal(claims.mid, 'm1');
    assert.equal((await fetch(`${url}/token`)).status, 400);
  });

  it('makes new meeting ids at every start, and the same ones at every start with SIM_SEED', async () => {
    const meetings = async (/** @type {Record<string, string>} */ env) =>
      /Meetings: (.+)/.exec((await start({ PORT: '0', WEBHOOK_URL: 'none', ...env })).out)?.[1];
    const [a, b] = [await meetings({}), await meetings({})];
    assert.ok(a && b);
    assert.notEqual(a, b, 'a fresh start: an old recording stored by the server is never taken for a new one');
    assert.equal(await meetings({ SIM_SEED: '42' }), await meetings({ SIM_SEED: '42' }));
    const child = spawn(process.execPath, [cli], { env: { PATH: process.env.PATH ?? '', SIM_SEED: 'abc' } });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
    assert.match(err, /SIM_SEED must be a whole number/);
  });

  it('a port in use is exit 2, naming host and port', async () => {
    const taken = createServer();
    await new Promise((resolve) => taken.listen(0, '127.0.0.1', () => resolve(undefined)));
    cleanups.push(() => taken.close());
    const port = /** @type {import('node:net').AddressInfo} */ (taken.address()).port;
    const child = spawn(process.execPath, [cli], { env: { PATH: process.env.PATH ?? '', PORT: String(port) } });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.equal(
      err.split('\n')[0],
      `recording-status-simulator: could not listen on 127.0.0.1:${port} (EADDRINUSE): something else is listening there; set PORT to another.`,
    );
  });
});
