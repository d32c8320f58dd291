// @ts-check
/**
 * The page side of a demo whose recording server runs in processes of its own (the Worker in workerd, or Node
 * replicas): a Vite plugin answering what the page asks beside the server's routes, from the simulator upstream.
 *
 *   {prefix}/control/…, {prefix}/downloads/…   the simulator's buttons and stand-in files
 *   {prefix}/control/push/{on,off}             the demo's switch for the server's /events (push-switch.mjs)
 *   {prefix}/stats                             counters for the page, the budget from the server's /healthz
 *   {prefix}/token                             with `token`: the host app minting viewer tokens itself
 *
 * Everything else under the prefix goes on to the server through Vite's proxy (`proxy` below).
 */
import { pushSwitch } from './push-switch.mjs';

const TOKEN_TTL = 300;

/**
 * @param {{
 *   prefix: string,
 *   upstream: { url: string, simulator: { stats: { upstreamRequests: number } }, state: { delivered: number } },
 *   server: string,
 *   backend: string,
 *   token?: (target: { recordingId: string } | { meetingId: string }, ttl: number) => Promise<string>,
 * }} options `server`: the origin the page's widgets read from; `backend`: what the page says it is; `token`
 *   signs a viewer token for the target, lasting `ttl` seconds
 */
export function proxiedBackend(options) {
  const { prefix, upstream, server } = options;
  const push = pushSwitch(prefix);
  /** @type {(res: import('node:http').ServerResponse, status: number, body: unknown) => void} */
  const json = (res, status, body) => {
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(body));
  };

  /** @type {import('vite').Plugin} */
  const plugin = {
    name: 'proxied-backend',
    configureServer(vite) {
      // The demo's switch for the server's /events, before the proxy to the server.
      vite.middlewares.use(push.middleware);
      vite.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const rest = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : null;
        if (rest === '/stats') {
          void fetch(`${server}${prefix}/healthz`)
            .then((r) => r.json())
            .then((/** @type {any} */ health) => {
              json(res, 200, {
                upstreamRequests: upstream.simulator.stats.upstreamRequests,
                webhooksDelivered: upstream.state.delivered,
                budgetLeft: health.budget.left,
                backend: options.backend,
              });
            }, next);
          return;
        }
        if (rest === '/token' && options.token !== undefined) {
          // Everyone may watch everything here, with download links: a real host checks its own session first.
          const recordingId = url.searchParams.get('recording_id');
          const meetingId = url.searchParams.get('meeting_id');
          if (!recordingId === !meetingId) {
            json(res, 400, {
              success: false,
              error: { code: 400, message: 'Give one of recording_id and meeting_id.' },
            });
            return;
          }
          void options
            .token(recordingId ? { recordingId } : { meetingId: meetingId ?? '' }, TOKEN_TTL)
            .then((token) => json(res, 200, { token, expires_in: TOKEN_TTL }), next);
          return;
        }
        if (rest !== null && (rest.startsWith('/control/') || rest.startsWith('/downloads/'))) {
          // The simulator's own routes: its controls, and the stand-in files its download links point at.
          void fetch(`${upstream.url}${rest}${url.search}`, { method: req.method ?? 'GET' }).then(async (r) => {
            res.writeHead(r.status, { 'Content-Type': r.headers.get('Content-Type') ?? 'application/json' });
            res.end(Buffer.from(await r.arrayBuffer()));
          }, next);
          return;
        }
        next();
      });
    },
  };
  return { plugin, proxy: { [prefix]: { target: server, changeOrigin: false } } };
}
