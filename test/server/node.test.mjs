// @ts-check
/**
 * toNodeHandler: the recording server inside a Node app that already has a server, over real HTTP on
 * 127.0.0.1. node:http directly; a mount that strips its path as Express and Connect do (req.originalUrl
 * kept); a body parser ahead of it; Koa with ctx.respond = false. Event streams end when their client goes.
 * Under both `listen()` and `toNodeHandler()` an event stream is written straight to Node's response: the same
 * headers as the web answer, its place given back when its client goes.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { bundlePath, listen, toNodeHandler } from '../../dist/server/node.js';
import { KEEPALIVE_MS } from '../../dist/server/feed/feed.js';
import { Frames, open } from './frames.mjs';
import { setup, settle } from './helpers.mjs';

/** @type {(() => unknown)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** @param {import('node:http').RequestListener} listener */
async function host(listener) {
  const http = createServer(listener);
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        http.close(() => resolve(undefined));
        http.closeAllConnections();
      }),
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (http.address());
  return `http://127.0.0.1:${port}`;
}

/** Reads the whole body, as express.json() does before the next handler runs. */
const readBody = (/** @type {import('node:http').IncomingMessage} */ req) =>
  new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  }).then((bytes) => /** @type {Buffer} */ (bytes));

describe('server/node: toNodeHandler', () => {
  it('serves inside a plain node:http server: reads, pushes from signed webhooks, and an event stream that ends when its client goes', async () => {
    const t = await setup();
    const url = await host(toNodeHandler(t.server));
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    assert.equal(
      (await fetch(`${url}/recordings/${r.id}`, { headers: { Authorization: `Bearer ${token}` } })).status,
      200,
    );
    const viewer = await open(`${url}/events?recording_id=${r.id}`, token);
    assert.equal((await viewer.recording())?.status, 'INVOKED');
    await t.clock.advance(3000);
    t.simulator.tick();
    assert.equal((await fetch(`${url}/webhook`, { method: 'POST', ...(await t.delivery(r)) })).status, 200);
    assert.equal((await viewer.recording())?.status, 'RECORDING');
    assert.equal(t.server.stats().viewers, 1);
    await viewer.reader.cancel();
    for (let i = 0; i < 50 && t.server.stats().viewers > 0; i++) await settle();
    assert.equal(t.server.stats().viewers, 0, 'the viewer is let go when its client goes');
  });

  it('under a mount that strips its path (Express, Connect), routes answer under basePath, and the host keeps its req.url', async () => {
    const t = await setup({ basePath: '/api/recordings' });
    const handler = toNodeHandler(t.server);
    /** @type {string[]} */
    const seen = [];
    const url = await host((req, res) => {
      // What app.use('/api/recordings', handler) does to the request before calling it.
      const full = req.url ?? '/';
      if (!full.startsWith('/api/recordings')) return void res.writeHead(404).end();
      Object.assign(req, { originalUrl: full });
      req.url = full.slice('/api/recordings'.length) || '/';
      void handler(req, res).then(() => seen.push(req.url ?? ''));
    });
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    const read = await fetch(`${url}/api/recordings/recordings/${r.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(read.status, 200);
    assert.equal(
      (await fetch(`${url}/api/recordings/webhook`, { method: 'POST', ...(await t.delivery(r)) })).status,
      200,
    );
    assert.deepEqual(seen, [`/recordings/${r.id}`, '/webhook']);
  });

  it('a webhook whose body a parser already read is 500 with the cause and the fix, said once in the log', async () => {
    const t = await setup();
    /** @type {string[]} */
    const logs = [];
    const handler = toNodeHandler(t.server, { log: (line) => logs.push(line) });
    const url = await host((req, res) => {
      void readBody(req).then((bytes) => {
        Object.assign(req, { body: JSON.parse(bytes.toString('utf8')) });
        return handler(req, res);
      });
    });
    const r = t.start();
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${url}/webhook`, { method: 'POST', ...(await t.delivery(r)) });
      assert.equal(answer.status, 500);
      assert.deepEqual(await answer.json(), {
        success: false,
        error: {
          code: 500,
          message:
            'The request body was already read by a body parser: mount the recording server before express.json() (or any body parser).',
        },
      });
    }
    assert.equal(logs.length, 1);
    assert.match(
      logs[0] ?? '',
      /a body parser read the request body.*Mount the recording server before express\.json\(\)/,
    );
    assert.equal(t.server.stats().webhooks.accepted, 0);
  });

  it('a body kept as raw bytes (express.raw()) verifies as the stream would', async () => {
    const t = await setup();
    const handler = toNodeHandler(t.server);
    const url = await host((req, res) => {
      void readBody(req).then((bytes) => {
        Object.assign(req, { body: bytes });
        return handler(req, res);
      });
    });
    const r = t.start();
    assert.equal((await fetch(`${url}/webhook`, { method: 'POST', ...(await t.delivery(r)) })).status, 200);
    assert.equal(t.server.stats().webhooks.accepted, 1);
  });

  it('serves under Koa with ctx.respond = false', async () => {
    const t = await setup({ basePath: '/rs' });
    const handler = toNodeHandler(t.server);
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (!ctx.path.startsWith('/rs/')) return next();
      ctx.respond = false;
      await handler(ctx.req, ctx.res);
    });
    app.use((ctx) => {
      ctx.body = 'the host app';
    });
    const url = await host(app.callback());
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    const viewer = await open(`${url}/rs/events?recording_id=${r.id}`, token);
    assert.equal((await viewer.recording())?.status, 'INVOKED');
    assert.equal((await fetch(`${url}/rs/webhook`, { method: 'POST', ...(await t.delivery(r)) })).status, 200);
    assert.equal(await (await fetch(`${url}/elsewhere`)).text(), 'the host app');
    await viewer.reader.cancel();
  });
});

describe('server/node: bundlePath', () => {
  it("is the widget's self-contained bundle on disk, not the module Node resolves the bundle's specifier to", async () => {
    const bundle = new URL('../../dist/recording-status.min.js', import.meta.url);
    assert.equal(bundlePath, fileURLToPath(bundle));
    assert.deepEqual(readFileSync(bundlePath), readFileSync(bundle));
    assert.notEqual(
      fileURLToPath(import.meta.resolve('recording-status/recording-status.min.js')),
      bundlePath,
      'under the node condition the specifier names the module for server rendering',
    );
  });
});

describe('server/node: event streams written straight to Node', () => {
  /** What only an HTTP answer has (its framing and date), or only the in-process one. */
  const framing = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  const headersOf = (/** @type {Response} */ response) =>
    Object.fromEntries([...response.headers].filter(([name]) => !framing.has(name)));

  it('a response the host ends under an open feed is let go, and never written after its end', async () => {
    const t = await setup();
    const handler = toNodeHandler(t.server);
    /** @type {import('node:http').ServerResponse[]} */
    const responses = [];
    const url = await host((req, res) => {
      responses.push(res);
      void handler(req, res);
    });
    const r = t.start();
    const viewer = await open(`${url}/events?recording_id=${r.id}`, await t.token({ recordingId: r.id }));
    assert.equal((await viewer.recording())?.status, 'INVOKED');
    // A framework's own timeout ends the response; the keepalive falls due in the same turn, before Node says
    // 'close'. Written after its end, it would be an unhandled 'error' that takes the process down.
    responses[0]?.end();
    for (const [id, timer] of [...t.clock.timers]) {
      if (timer.at > t.clock.now() + KEEPALIVE_MS) continue;
      t.clock.timers.delete(id);
      timer.fn();
    }
    for (let i = 0; i < 50 && t.server.stats().viewers > 0; i++) await settle();
    assert.equal(t.server.stats().viewers, 0, 'the feed is let go with its response');
    assert.equal(await viewer.next(), null, 'the client sees the end');
  });

  it('stays open when the host started @hono/node-server (its global Response) before importing the Node glue', async () => {
    // In a process of its own: the import order is the point, and this process loaded the glue long ago.
    const script = new URL('./late-node-import.mjs', import.meta.url);
    /** @type {{ stdout: string }} */
    const { stdout } = await new Promise((resolve, reject) => {
      execFile(process.execPath, [script.pathname], { timeout: 30_000 }, (error, out, err) => {
        if (error) reject(new Error(`${error.message}\n${err}`));
        else resolve({ stdout: out });
      });
    });
    assert.deepEqual(stdout.trim().split('\n'), ['INVOKED', 'RECORDING'], 'the snapshot, then the change');
  });

  for (const kind of /** @type {const} */ (['listen', 'toNodeHandler'])) {
    it(`under ${kind}(): every header of the web answer (security, CORS), and each place given back when its client goes`, async () => {
      const origin = 'https://host.example';
      const t = await setup({ cors: { origin }, streams: { perToken: 2 } });
      /** @type {string} */
      let url;
      if (kind === 'listen') {
        const listening = await listen(t.server, { port: 0 });
        cleanups.push(() => listening.close());
        url = listening.url;
      } else {
        url = await host(toNodeHandler(t.server));
      }
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token}`, Origin: origin };
      const path = `/events?recording_id=${r.id}`;

      const web = await t.server.fetch(new Request(`http://host.test${path}`, { headers }));
      await web.body?.cancel();
      /** @type {AbortController[]} */
      const opened = [];
      for (let i = 0; i < 2; i++) {
        const abort = new AbortController();
        const response = await fetch(`${url}${path}`, { headers, signal: abort.signal });
        assert.equal(response.status, 200);
        assert.deepEqual(headersOf(response), headersOf(web));
        assert.equal(response.headers.get('access-control-allow-origin'), origin);
        // Compression middleware and proxies must not hold frames back.
        assert.equal(response.headers.get('cache-control'), 'private, no-store, no-transform');
        const frames = new Frames(response);
        assert.match((await frames.next()) ?? '', /^retry: \d+\nevent: recording\nid: \d+\ndata: /);
        opened.push(abort);
      }
      assert.equal((await fetch(`${url}${path}`, { headers })).status, 429, 'the token holds its two places');
      for (const abort of opened) abort.abort();
      for (let i = 0; i < 50 && t.server.stats().viewers > 0; i++) await settle();
      assert.equal(t.server.stats().viewers, 0, 'every viewer let go');
      const again = await fetch(`${url}${path}`, { headers });
      assert.equal(again.status, 200, 'the places were given back');
      await again.body?.cancel();
    });
  }
});
