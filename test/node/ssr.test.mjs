// Server rendering, in Node as Next.js, Astro or Lit SSR would: importing the package must not throw, and
// rendering <recording-status> must yield its loading shell. Runs on the built dist/ (npm test builds first).
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the side-effect-free entry imports in Node without registering anything', async () => {
  const api = await import('../../dist/index.js');
  assert.equal(typeof api.RecordingStatusElement, 'function');
  assert.deepEqual(api.STATUSES, ['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING', 'UPLOADED', 'ERRORED']);
});

test('every entry imports in Node without throwing, recording-status.min.js included', async () => {
  // By the package's own name, so the exports map (and its node condition) decides what loads.
  for (const entry of [
    'recording-status',
    'recording-status/define',
    'recording-status/recording-status.min.js',
    'recording-status/react',
    'recording-status/solid',
    'recording-status/server',
    'recording-status/server/node',
  ]) {
    await assert.doesNotReject(import(entry), entry);
  }
});

test('Lit SSR renders the loading shell in declarative shadow DOM', async () => {
  const { render } = await import('@lit-labs/ssr');
  const { collectResult } = await import('@lit-labs/ssr/lib/render-result.js');
  const { html } = await import('lit');
  await import('../../dist/define.js');
  const markup = await collectResult(
    render(html`<recording-status recording-id="r1" proxy-url="/api/proxy" label="Weekly sync"></recording-status>`),
  );
  assert.match(markup, /<template shadowroot="open" shadowrootmode="open">/);
  assert.match(markup, /aria-busy="true"/);
  assert.match(markup, /Checking the recording status…/);
  assert.match(markup, /aria-label="Weekly sync: recording progress"/);
  assert.equal(markup.match(/<li\s[^>]*part="step step-upcoming"/g)?.length, 4);
  assert.doesNotMatch(markup, /aria-current/);
});

test('Lit SSR renders an idle element (no ID) without a busy state', async () => {
  const { render } = await import('@lit-labs/ssr');
  const { collectResult } = await import('@lit-labs/ssr/lib/render-result.js');
  const { html } = await import('lit');
  await import('../../dist/define.js');
  const markup = await collectResult(render(html`<recording-status proxy-url="/api/proxy"></recording-status>`));
  assert.match(markup, /aria-busy="false"/);
  assert.match(markup, /No recording selected\./);
});
