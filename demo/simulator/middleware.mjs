// @ts-check
/**
 * Serves the simulator over HTTP under a prefix:
 *   {prefix}/proxy/recordings…   the host proxy's paths (RealtimeKit's REST reads)
 *   {prefix}/token               the host's token endpoint
 *   {prefix}/control/…           the demo's buttons (start, pause, resume, stop, fail, faults, state)
 *   {prefix}/downloads/…         a stand-in for the recording files
 * as connect middleware (Vite) and as Koa middleware (web-test-runner).
 */
import { RealtimeKitSimulator } from '../../src/simulator/simulator.js';

/** @typedef {import('../../src/simulator/simulator.js').SimResponse} SimResponse */

/**
 * @param {RealtimeKitSimulator} simulator
 * @param {string} prefix
 * @param {{ method?: string | undefined, url?: string | undefined, headers: Record<string, string | string[] | undefined> }} req
 * @returns {Promise<SimResponse | 'hang' | null>} null when the path is not the simulator's
 */
async function route(simulator, prefix, req) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(`${prefix}/`)) return null;
  const rest = url.pathname.slice(prefix.length);
  /** @type {Record<string, string | undefined>} */
  const headers = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  const method = req.method ?? 'GET';
  const host = headers['host'] ?? 'localhost';
  simulator.downloadBase = `http://${host}${prefix}/downloads`;
  if (rest.startsWith('/proxy/')) {
    return simulator.handleProxy({ method, path: rest.slice('/proxy'.length), query: url.searchParams, headers });
  }
  if (rest === '/token') return simulator.issueToken(url.searchParams);
  if (rest.startsWith('/control/')) {
    return simulator.handleControl({ method, path: rest.slice('/control'.length), query: url.searchParams, headers });
  }
  if (rest.startsWith('/downloads/')) {
    return {
      status: 200,
      headers: { 'Content-Type': 'video/mp4', 'Content-Disposition': 'attachment' },
      body: 'simulated recording',
    };
  }
  return null;
}

const HANG_LIMIT_MS = 120_000;

/**
 * Connect-style middleware, for Vite's dev server.
 * @param {{ prefix?: string, simulator?: RealtimeKitSimulator }} [options]
 */
export function connectSimulator(options = {}) {
  const prefix = options.prefix ?? '/api';
  const simulator = options.simulator ?? new RealtimeKitSimulator({ seed: true, tokenTtlSeconds: 30 });
  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void} */
  const middleware = (req, res, next) => {
    route(simulator, prefix, { method: req.method, url: req.url, headers: req.headers }).then(
      (answer) => {
        if (answer === null) {
          next();
          return;
        }
        if (answer === 'hang') {
          const timer = setTimeout(() => res.writeHead(504).end(), HANG_LIMIT_MS);
          req.on('close', () => clearTimeout(timer));
          return;
        }
        res.writeHead(answer.status, answer.headers).end(answer.body);
      },
      () => res.writeHead(500).end(),
    );
  };
  return { middleware, simulator };
}

/**
 * Koa-style middleware, for web-test-runner. One simulator for the whole run; tests isolate themselves by
 * creating their own meetings.
 * @param {{ prefix?: string, simulator?: RealtimeKitSimulator }} [options]
 */
export function simulatorMiddleware(options = {}) {
  const prefix = options.prefix ?? '/api';
  const simulator = options.simulator ?? new RealtimeKitSimulator({ seed: true, startDelayMs: 200, uploadMs: 2500 });
  /**
   * The part of Koa's context this uses.
   * @param {{ method: string, url: string, headers: Record<string, string | string[] | undefined>,
   *   req: import('node:http').IncomingMessage, status: number, body: unknown,
   *   set(headers: Record<string, string>): void }} ctx
   * @param {() => Promise<unknown>} next
   */
  return async (ctx, next) => {
    const answer = await route(simulator, prefix, { method: ctx.method, url: ctx.url, headers: ctx.headers });
    if (answer === null) {
      await next();
      return;
    }
    if (answer === 'hang') {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, HANG_LIMIT_MS);
        ctx.req.on('close', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
      ctx.status = 504;
      return;
    }
    ctx.status = answer.status;
    ctx.set(answer.headers);
    ctx.body = answer.body;
  };
}
