/**
 * The routes of the recording server, as one Hono app over a `Hub`: the same routes and answers whether the hub
 * is in memory (one Node process) or a Durable Object per target. Composed of middleware (secure headers, CORS,
 * viewer auth) and one sub-app per concern beside this file: reads, events, token, webhook.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Clock } from '../../platform.js';
import type { Hub, ReadFailure } from '../hub.js';
import { failure, failureWithRetry } from '../envelope.js';
import { secretMismatchHint } from '../secret-mismatch.js';
import { eventRoutes } from './event-stream.js';
import { readRoutes } from './reads.js';
import { tokenRoute } from './token.js';
import type { Authorize } from '../token-handler.js';
import { webhookRoute, type WebhookCounters, type WebhookRouteConfig } from './webhook.js';
import type { StreamLimits } from '../feed/stream-caps.js';

export type { Authorization, Authorize } from '../token-handler.js';
export { webhookCounters, type WebhookCounters } from './webhook.js';

export interface Health {
  readonly reachable: boolean | null;
  /** RealtimeKit answers, but refuses this server's credentials: reachable, and no use. */
  readonly refused?: boolean;
  readonly perMinute: number;
  readonly left: number;
}

export interface RoutesConfig {
  readonly hub: Hub;
  readonly verify: WebhookRouteConfig['verify'];
  readonly secret: string;
  readonly tokenTtl: number;
  readonly authorize: Authorize | undefined;
  readonly basePath: string;
  readonly cors: { readonly origin: string | readonly string[] } | undefined;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly health: () => Health | Promise<Health>;
  /** Counted here, read by stats(). */
  readonly webhooks: WebhookCounters;
  readonly streams?: Required<StreamLimits>;
}

export function recordingRoutes(config: RoutesConfig) {
  const { log } = config;
  let warnedCredentials = false;
  /** An upstream failure as the viewer sees it; RealtimeKit refusing our own credentials is told to the host once. */
  const upstreamFailure = (c: Context, result: ReadFailure) => {
    if (result.kind === 'config' && !warnedCredentials) {
      warnedCredentials = true;
      log(`recording-status server: ${result.message}`);
    }
    return failureWithRetry(c, result);
  };

  const app = new Hono().basePath(config.basePath);
  app.use(secureHeaders());
  if (config.cors) {
    app.use(
      cors({
        origin: typeof config.cors.origin === 'string' ? config.cors.origin : [...config.cors.origin],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Accept', 'If-None-Match', 'Content-Type', 'Last-Event-ID'],
        exposeHeaders: ['ETag', 'Retry-After', 'Age'],
        maxAge: 600,
      }),
    );
  }
  const badSignature = secretMismatchHint(config.clock, log);
  app.route('/', readRoutes({ ...config, upstreamFailure, badSignature }));
  app.route('/', eventRoutes({ ...config, upstreamFailure, badSignature }));
  app.route('/', tokenRoute(config));
  app.route('/', webhookRoute(config));

  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const { reachable, refused, perMinute, left } = await config.health();
    return c.json({
      success: true,
      upstream: refused === true ? 'refused' : reachable === null ? 'unknown' : reachable ? 'reachable' : 'unreachable',
      budget: { perMinute, left },
    });
  });

  app.notFound((c) => failure(c, 404, `No such route.${basePathHint(config.basePath, c.req.path)}`));
  app.onError((error, c) => {
    // The error's own text may come from host code (authorize); log its name only.
    log(`recording-status server: a request failed (${error.name}).`);
    return failure(c, 500, 'The server failed to answer.');
  });
  return app;
}

/**
 * For a 404 that ends like one of the routes under another prefix (a framework mount that strips its path, a
 * basePath left out): where the routes really are, and the setting that moves them.
 */
function basePathHint(basePath: string, path: string): string {
  const prefix = /^(.*)\/(?:recordings(?:\/.*)?|events|token|webhook|healthz)$/.exec(path)?.[1];
  if (prefix === undefined || prefix === basePath || prefix.length > 100) return '';
  const here = basePath === '' ? 'at the root' : `under ${basePath}`;
  return ` This server's routes are ${here} (its basePath option); this path would need basePath '${prefix}'.`;
}
