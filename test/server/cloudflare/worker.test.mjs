// @ts-check
/**
 * The Worker's configuration, read from its variables and bindings: every missing or invalid one answered and
 * logged at once, by the variable's name (what a host types into .dev.vars or wrangler.jsonc), never a value.
 * Plain Node is enough here: a Worker that is not configured never reaches its Durable Objects.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createRecordingWorker } from '../../../dist/server/cloudflare/worker.js';

const binding = /** @type {any} */ ({ idFromName: () => ({}), get: () => ({}) });

describe('server/cloudflare/worker: configuration', () => {
  it('names every missing variable and binding at once, says where secrets go, and logs it once', async () => {
    /** @type {string[]} */
    const logs = [];
    const worker = createRecordingWorker({ log: (line) => logs.push(line) });
    const env = { REALTIMEKIT_ACCOUNT_ID: 'acc', RECORDING_STATUS_BUDGET: '0.5' };
    const answer = await worker.fetch(new Request('http://w.test/healthz'), env);
    assert.equal(answer.status, 500);
    const expected =
      'REALTIMEKIT_APP_ID is not set. REALTIMEKIT_API_TOKEN is not set. ' +
      'RECORDING_STATUS_TOKEN_SECRET is not set: make one with openssl rand -hex 32. ' +
      'RECORDING_STATUS_BUDGET must be a whole number of requests per minute, at least 1 (default 900). ' +
      'RECORDING_HUB and UPSTREAM_BUDGET: Durable Object bindings missing from the wrangler config. ' +
      'Secrets go in .dev.vars for wrangler dev, and through wrangler secret put when deployed.';
    assert.deepEqual(await answer.json(), {
      success: false,
      error: { code: 500, message: `The recording server is not configured: ${expected}` },
    });
    await worker.fetch(new Request('http://w.test/healthz'), env);
    assert.deepEqual(logs, [`recording-status worker is not configured: ${expected}`]);
  });

  it('an invalid variable is named, never its value', async () => {
    const worker = createRecordingWorker({ log: () => undefined });
    const answer = await worker.fetch(new Request('http://w.test/healthz'), {
      REALTIMEKIT_ACCOUNT_ID: 'acc',
      REALTIMEKIT_APP_ID: 'app',
      REALTIMEKIT_API_TOKEN: 'api-token-value',
      RECORDING_STATUS_TOKEN_SECRET: 'a-token-secret-of-at-least-thirty-two-bytes',
      REALTIMEKIT_API_BASE: 'api.cloudflare.com/client/v4',
      RECORDING_HUB: binding,
      UPSTREAM_BUDGET: binding,
    });
    const text = await answer.text();
    assert.equal(answer.status, 500);
    assert.match(text, /REALTIMEKIT_API_BASE must be an absolute http\(s\) URL/);
    assert.equal(text.includes('api-token-value') || text.includes('api.cloudflare.com/client/v4"'), false);
    assert.equal(text.includes('Secrets go in'), false);
  });
});
