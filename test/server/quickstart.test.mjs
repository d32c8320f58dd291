// @ts-check
/**
 * The README's server quick start, run as a host would: examples/server/quickstart.mjs in its own process,
 * against the simulator as a real HTTP upstream that signs and delivers webhooks. The README's copy of the
 * quick start must be that file, so the two cannot drift.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSimulatorUpstream } from '../../demo/simulator/standalone.mjs';
import { rank } from '../../dist/lifecycle.js';

const file = fileURLToPath(new URL('../../examples/server/quickstart.mjs', import.meta.url));
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
      'README.md must carry examples/server/quickstart.mjs',
    );
  });

  it('runs against the simulator: tokens for signed-in viewers only, and signed webhooks pushed live', async () => {
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
        WATCHABLE_MEETINGS: meeting.id,
      },
    });
    cleanups.push(() => child.kill('SIGTERM'));
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /recording server on (http:\/\/[^:]+:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`quickstart exited ${code}`)));
    });
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
    upstream.webhookUrl = `${url}/webhook`;

    assert.equal((await fetch(`${url}/token?meeting_id=${meeting.id}`)).status, 403);
    const elsewhere = await fetch(`${url}/token?meeting_id=another`, { headers: { Cookie: 'session=abc' } });
    assert.equal(elsewhere.status, 403);
    const tokenAnswer = await fetch(`${url}/token?meeting_id=${meeting.id}`, { headers: { Cookie: 'session=abc' } });
    const { token } = /** @type {{ token: string }} */ (await tokenAnswer.json());

    const events = await fetch(`${url}/events?meeting_id=${meeting.id}`, {
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
