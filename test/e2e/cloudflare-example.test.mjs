// @ts-check
/**
 * The README's "Deploy on Cloudflare" files, examples/cloudflare/, run as written: the Worker imports the
 * package by its name, and runs in workerd with the bindings its wrangler.jsonc declares.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startWorker } from './backends.mjs';

const example = (/** @type {string} */ file) =>
  fileURLToPath(new URL(`../../examples/cloudflare/${file}`, import.meta.url));
/** wrangler.jsonc, read as JSON once its comments and trailing commas are gone. */
const config = JSON.parse(
  readFileSync(example('wrangler.jsonc'), 'utf8')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/,(\s*[}\]])/g, '$1'),
);

describe('examples/cloudflare', () => {
  /** @type {Awaited<ReturnType<typeof startWorker>> | undefined} */
  let worker;
  after(() => worker?.close());

  it('declares the bindings the Worker needs, and no secret', () => {
    assert.deepEqual(
      config.durable_objects.bindings.map((/** @type {any} */ b) => `${b.name}=${b.class_name}`),
      ['RECORDING_HUB=RecordingHub', 'UPSTREAM_BUDGET=UpstreamBudget'],
    );
    assert.deepEqual(config.migrations[0].new_sqlite_classes, ['RecordingHub', 'UpstreamBudget']);
    assert.equal('REALTIMEKIT_API_TOKEN' in config.vars, false);
    assert.equal('RECORDING_STATUS_TOKEN_SECRET' in config.vars, false);
  });

  it('serves the page on the same origin, running the Worker first only for the routes under basePath', () => {
    assert.deepEqual(config.assets, { directory: './public', binding: 'ASSETS', run_worker_first: ['/api/*'] });
    assert.equal(`${config.vars.RECORDING_STATUS_BASE_PATH}/*`, config.assets.run_worker_first[0]);
    const page = readFileSync(example('public/index.html'), 'utf8');
    assert.match(page, /<recording-status proxy-url="\/api" token-endpoint="\/api\/token">/);
  });

  it('.dev.vars.example names the two secrets wrangler dev needs, with no value', () => {
    const lines = readFileSync(example('.dev.vars.example'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.deepEqual(lines, ['REALTIMEKIT_API_TOKEN=', 'RECORDING_STATUS_TOKEN_SECRET=']);
  });

  it('serves /token to signed-in viewers only, and its tokens carry no download links', async () => {
    worker = await startWorker({
      entry: example(config.main),
      vars: { RECORDING_STATUS_BASE_PATH: config.vars.RECORDING_STATUS_BASE_PATH },
    });
    const sim = worker.upstream.simulator;
    const uploaded = [...sim.recordings.values()][0];
    assert.ok(uploaded);
    const base = `${worker.url}${config.vars.RECORDING_STATUS_BASE_PATH}`;
    assert.equal((await fetch(`${base}/token?recording_id=${uploaded.id}`)).status, 403);
    const answer = await fetch(`${base}/token?recording_id=${uploaded.id}`, { headers: { Cookie: 'session=abc' } });
    assert.equal(answer.status, 200);
    const { token, expires_in } = /** @type {any} */ (await answer.json());
    assert.equal(expires_in, 300);
    const read = await fetch(`${base}/recordings/${uploaded.id}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = /** @type {any} */ (await read.json());
    assert.equal(body.data.status, 'UPLOADED');
    assert.equal(body.data.download_url, null);
  });
});
