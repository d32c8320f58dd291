// @ts-check
/**
 * The README's server quick start, run as a host would: examples/server/quickstart/quickstart.mjs in its own process,
 * against the simulator as a real HTTP upstream that signs and delivers webhooks. The README's copy of the
 * quick start must be that file, so the two cannot drift.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSimulatorUpstream } from '../../src/simulator/upstream.js';
import { rank } from '../../dist/lifecycle.js';

const file = fileURLToPath(new URL('../../examples/server/quickstart/quickstart.mjs', import.meta.url));
/** @type {(() => unknown)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the server quick start', () => {
  it('is in the README word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.ok(
      readme.includes(readFileSync(file, 'utf8').trim()),
      'README.md must carry examples/server/quickstart/quickstart.mjs',
    );
  });

  it('a missing variable is one line naming every one, and exit 2', () => {
    const out = spawnSync(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', REALTIMEKIT_APP_ID: 'app' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(out.status, 2);
    assert.equal(
      out.stderr,
      'quickstart: recording-status: REALTIMEKIT_ACCOUNT_ID is not set. REALTIMEKIT_API_TOKEN is not set. ' +
        'RECORDING_STATUS_TOKEN_SECRET is not set: make one with openssl rand -hex 32.\n',
    );
  });

  it('runs against the simulator on one origin: the page, tokens for whoever opened it, and signed webhooks pushed live', async () => {
    const upstream = await startSimulatorUpstream({ port: 0, seed: false, startDelayMs: 150, uploadMs: 150 });
    cleanups.push(() => upstream.close());
    const meeting = upstream.simulator.addMeeting('Quick start');
    const child = spawn(process.execPath, [file], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        REALTIMEKIT_ACCOUNT_ID: 'acc',
        REALTIMEKIT_APP_ID: 'app',
        REALTIMEKIT_API_TOKEN: upstream.simulator.apiToken,
        RECORDING_STATUS_TOKEN_SECRET: 'quickstart-secret-with-at-least-32-bytes-0000',
        REALTIMEKIT_API_BASE: `${upstream.url}/client/v4`,
        REALTIMEKIT_WEBHOOK_KEY_URL: `${upstream.url}/.well-known/webhooks.json`,
      },
    });
    cleanups.push(() => child.kill('SIGTERM'));
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /quick start on (http:\/\/[^:]+:\d+)\//.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`quickstart exited ${code}`)));
    });
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
    upstream.webhookUrl = `${url}/api/webhook`;

    const page = await fetch(`${url}/?meeting=${meeting.id}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<recording-status proxy-url="\/api" token-endpoint="\/api\/token"/);
    const cookie = (page.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    assert.match(cookie, /^session=/);
    const script = await fetch(`${url}/recording-status.min.js`);
    assert.equal(script.status, 200);
    assert.match(await script.text(), /recording-status/);

    assert.equal((await fetch(`${url}/api/token?meeting_id=${meeting.id}`)).status, 403, 'no session, no token');
    const tokenAnswer = await fetch(`${url}/api/token?meeting_id=${meeting.id}`, { headers: { Cookie: cookie } });
    assert.equal(tokenAnswer.status, 200);
    const { token } = /** @type {{ token: string }} */ (await tokenAnswer.json());

    const events = await fetch(`${url}/api/events?meeting_id=${meeting.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const reader = /** @type {ReadableStream<Uint8Array>} */ (events.body).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    /** @type {unknown[]} */
    const seen = [];
    // A status may be passed over (the next one arrives first, and the server never goes back): wait for it or a
    // later one.
    const reached = (/** @type {unknown} */ r, /** @type {string} */ status) =>
      /** @type {any} */ (r)?.status !== undefined &&
      rank(/** @type {any} */ (r).status) >= rank(/** @type {any} */ (status));
    const until = async (/** @type {string} */ status) => {
      for (let i = 0; i < 200 && !seen.some((r) => reached(r, status)); i++) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (data !== undefined) seen.push(JSON.parse(data));
        }
      }
      return seen.find((r) => reached(r, status));
    };
    const started = await fetch(`${upstream.url}/control/meetings/${meeting.id}/recordings`, { method: 'POST' });
    const { id } = /** @type {{ id: string }} */ (await started.json());
    assert.equal(/** @type {any} */ (await until('INVOKED'))?.id, id);
    assert.equal(/** @type {any} */ (await until('RECORDING'))?.id, id);
    await fetch(`${upstream.url}/control/recordings/${id}/stop`, { method: 'POST' });
    const done = /** @type {any} */ (await until('UPLOADED'));
    assert.equal(done?.id, id);
    // authorize said { download: false }: the link is stripped, the shape kept.
    assert.equal(done?.download_url, null);
    assert.equal(seen[0], null);
    assert.ok(upstream.state.delivered >= 4);
    await reader.cancel();
  });
});
