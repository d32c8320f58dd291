// @ts-check
/// <reference types="node" />
/**
 * The RealtimeKit simulator as a standalone HTTP upstream on 127.0.0.1, for running the server with no
 * account: `npx recording-status-simulator` (cli.js). It answers RealtimeKit's REST reads under
 * `/client/v4/accounts/{any}/realtime/kit/{any}` (API token `sim-api-token` unless SIM_API_TOKEN says
 * otherwise), serves its webhook key at `/.well-known/webhooks.json`, signs a `recording.statusUpdate`
 * webhook on every transition and POSTs it to WEBHOOK_URL, and takes the demo's controls under `/control/…`.
 */
import { createServer } from 'node:http';
import { RealtimeKitSimulator } from './simulator.js';
import { hostPage } from './host-page.js';
import { WebhookSigner } from './webhook-signer.js';

/**
 * @param {{ port?: number, apiToken?: string, webhookUrl?: string | null, seed?: boolean, idSeed?: number,
 *   startDelayMs?: number, uploadMs?: number, page?: { serverUrl: string, tokenSecret: string | null } }} [options]
 *   `page` also serves a host app's stand-in (host-page.js); `idSeed` the same ids at every start (else fresh ones)
 */
export async function startSimulatorUpstream(options = {}) {
  const simulator = new RealtimeKitSimulator({
    seed: options.seed ?? true,
    apiToken: options.apiToken ?? 'sim-api-token',
    ...(options.idSeed === undefined ? {} : { idSeed: options.idSeed }),
    ...(options.startDelayMs === undefined ? {} : { startDelayMs: options.startDelayMs }),
    ...(options.uploadMs === undefined ? {} : { uploadMs: options.uploadMs }),
  });
  const signer = await WebhookSigner.create();
  const state = { webhookUrl: options.webhookUrl ?? null, delivered: 0, failed: 0 };
  simulator.onTransition = (recording) => {
    const target = state.webhookUrl;
    if (target === null) return;
    void signer
      .delivery(simulator.webhookPayload(recording))
      .then(({ body, headers }) => fetch(target, { method: 'POST', body, headers }))
      .then(
        (response) => {
          if (response.ok) state.delivered++;
          else state.failed++;
        },
        () => state.failed++,
      );
  };
  const ticker = setInterval(() => simulator.tick(), 200);
  ticker.unref();

  const page = options.page ? hostPage(options.page) : null;
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (page && ['/', '/token', '/recording-status.min.js'].includes(url.pathname)) {
      void page(res, url).catch(() => res.writeHead(500).end());
      return;
    }
    const headers = /** @type {Record<string, string | undefined>} */ ({ authorization: req.headers.authorization });
    simulator.downloadBase = `http://${req.headers.host ?? 'localhost'}/downloads`;
    if (url.pathname === '/.well-known/webhooks.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(signer.keyDocument());
      return;
    }
    const api = /^\/client\/v4\/accounts\/[^/]+\/realtime\/kit\/[^/]+(\/recordings.*)$/.exec(url.pathname);
    if (api) {
      const answer = simulator.handleUpstream({
        method: req.method ?? 'GET',
        path: api[1] ?? '',
        query: url.searchParams,
        headers,
      });
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (url.pathname.startsWith('/control/')) {
      const answer = simulator.handleControl({
        method: req.method ?? 'GET',
        path: url.pathname.slice('/control'.length),
        query: url.searchParams,
        headers,
      });
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (url.pathname.startsWith('/downloads/')) {
      res
        .writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Disposition': 'attachment' })
        .end('simulated recording');
      return;
    }
    res
      .writeHead(404, { 'Content-Type': 'application/json' })
      .end('{"success":false,"error":{"code":404,"message":"No such route"}}');
  });
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8788, '127.0.0.1', () => resolve(undefined));
  });
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    simulator,
    signer,
    state,
    /** Where webhooks go from now on. @param {string | null} value */
    set webhookUrl(value) {
      state.webhookUrl = value;
    },
    close: () =>
      new Promise((resolve) => {
        clearInterval(ticker);
        http.close(() => resolve(undefined));
        http.closeAllConnections();
      }),
  };
}
