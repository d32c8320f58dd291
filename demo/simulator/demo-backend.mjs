// @ts-check
/**
 * The demo's backend: the real `createRecordingServer` in front of the RealtimeKit simulator, as a host would
 * run it. The simulator plays RealtimeKit: it answers the server's REST reads (API token, REST shapes,
 * storage_config included) and signs a `recording.statusUpdate` webhook on every transition with a key pair
 * made at start, its public key served like RealtimeKit's. The widgets talk to the server only.
 *
 *   {prefix}/recordings…, /events, /token, /webhook, /healthz   the recording server
 *   {prefix}/control/…, {prefix}/downloads/…                   the demo's buttons, stand-in files
 *   {prefix}/control/push/{on,off}                              turns the server's /events off (404) and on
 *   {prefix}/stats                                             counters for the page
 */
import { getRequestListener } from '@hono/node-server';
import { RealtimeKitSimulator } from '../../src/simulator/simulator.js';
import { WebhookSigner } from '../../src/simulator/webhook-signer.js';
import { pushSwitch } from './push-switch.mjs';

const UPSTREAM = 'http://realtimekit.simulator';

/**
 * @param {{
 *   prefix?: string,
 *   createRecordingServer: typeof import('../../src/server/index.js').createRecordingServer,
 *   simulator?: RealtimeKitSimulator,
 *   tickMs?: number,
 * }} options
 */
export async function demoBackend(options) {
  const prefix = options.prefix ?? '/api';
  const simulator = options.simulator ?? new RealtimeKitSimulator({ seed: true, apiToken: 'demo-api-token' });
  const signer = await WebhookSigner.create();
  const accountPath = '/client/v4/accounts/demo-account/realtime/kit/demo-app';

  /** RealtimeKit, in process: the key document and the REST reads. @type {import('../../src/platform.js').FetchLike} */
  const fetchUpstream = async (input, init) => {
    const url = new URL(input);
    if (url.pathname === '/.well-known/webhooks.json') {
      return new Response(signer.keyDocument(), { headers: { 'Content-Type': 'application/json' } });
    }
    if (!url.pathname.startsWith(accountPath)) return new Response('not found', { status: 404 });
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const answer = simulator.handleUpstream({
      method: 'GET',
      path: url.pathname.slice(accountPath.length),
      query: url.searchParams,
      headers,
    });
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      });
    }
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };

  const server = options.createRecordingServer({
    accountId: 'demo-account',
    appId: 'demo-app',
    apiToken: simulator.apiToken,
    apiBase: `${UPSTREAM}/client/v4`,
    // A fresh secret per start: tokens from an earlier run are simply refused.
    tokenSecret: [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join(''),
    webhookKeyUrl: `${UPSTREAM}/.well-known/webhooks.json`,
    fetch: fetchUpstream,
    // The demo's "host app" lets everyone watch everything; a real one checks its own session here.
    authorize: () => true,
    tokenTtl: 60,
    basePath: prefix,
  });

  let delivered = 0;
  /** Every transition is delivered as RealtimeKit would: signed, to the server's /webhook. */
  simulator.onTransition = (recording) => {
    const payload = simulator.webhookPayload(recording);
    void signer
      .delivery(payload)
      .then(({ body, headers }) =>
        server.fetch(new Request(`http://demo.local${prefix}/webhook`, { method: 'POST', body, headers })),
      )
      .then((response) => {
        if (response.ok) delivered++;
      });
  };
  // The simulator owns no timers; this one makes scheduled transitions (and their webhooks) happen on time.
  const ticker = setInterval(() => simulator.tick(), options.tickMs ?? 250);
  ticker.unref?.();

  const serve = getRequestListener((request) => server.fetch(request));
  const push = pushSwitch(prefix);

  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void} */
  const middleware = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${prefix}/`)) {
      next();
      return;
    }
    const rest = url.pathname.slice(prefix.length);
    simulator.downloadBase = `http://${req.headers.host ?? 'localhost'}${prefix}/downloads`;
    if (rest === '/stats') {
      const stats = server.stats();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(
        JSON.stringify({
          upstreamRequests: simulator.stats.upstreamRequests,
          webhooksDelivered: delivered,
          budgetLeft: stats.budget.left,
          backend: 'Node, one process (createRecordingServer)',
        }),
      );
      return;
    }
    if (rest === '/events' || rest.startsWith('/control/push')) {
      push.middleware(req, res, () => void serve(req, res));
      return;
    }
    if (rest.startsWith('/control/')) {
      const headers = /** @type {Record<string, string | undefined>} */ ({});
      const answer = simulator.handleControl({
        method: req.method ?? 'GET',
        path: rest.slice('/control'.length),
        query: url.searchParams,
        headers,
      });
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (rest.startsWith('/downloads/')) {
      res
        .writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Disposition': 'attachment' })
        .end('simulated recording');
      return;
    }
    void serve(req, res);
  };

  return { middleware, simulator, server, push, close: () => clearInterval(ticker) };
}
