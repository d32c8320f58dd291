/**
 * `createRecordingServer`: the backend every host of `<recording-status>` needs, as one web-standard `fetch`
 * handler built on Hono (the routes are in routes/; this composes them with the in-memory parts). It proxies RealtimeKit's three recording reads for viewers holding a viewer token,
 * turns the signed `recording.statusUpdate` webhook into live Server-Sent Events, and keeps the app's shared
 * upstream budget whatever the number of viewers.
 */
import type { Hono } from 'hono';
import type { BlankEnv, BlankSchema } from 'hono/types';
import { SharedBudget } from './budget.js';
import { MemoryHub } from './hub.js';
import type { RecordingServerOptions, Settings } from './options/options.js';
import { resolveOptions } from './options/resolve.js';
import { recordingRoutes, webhookCounters, type WebhookCounters } from './routes/index.js';
import { Upstream } from './upstream.js';
import { WebhookVerifier } from './webhook/signature.js';

export type { Authorization, Authorize } from './routes/index.js';
export type { RecordingServerOptions } from './options/options.js';

export interface RecordingServerStats {
  readonly upstream: {
    readonly requests: number;
    readonly coalesced: number;
    readonly reused: number;
    readonly overBudget: number;
    readonly failures: number;
    readonly reachable: boolean | null;
  };
  readonly budget: { readonly perMinute: number; readonly left: number };
  readonly webhooks: Readonly<WebhookCounters>;
  readonly keyFetches: number;
  readonly targets: number;
  readonly viewers: number;
}

/**
 * The recording server: a web-standard `fetch`, and a Hono app, so that a Hono host routes it as its own
 * (`app.route('/api/recordings', server)`, with no `basePath`: Hono puts the routes under the path it is given).
 */
export interface RecordingServer extends Hono<BlankEnv, BlankSchema, string> {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  stats(): RecordingServerStats;
}

export function createRecordingServer(options: RecordingServerOptions): RecordingServer {
  return serverFromSettings(resolveOptions(options));
}

/** The server from checked settings (the CLI checks them in its variables' names); says their warnings once. */
export function serverFromSettings(settings: Settings): RecordingServer {
  for (const warning of settings.warnings) settings.log(`recording-status server: ${warning}`);
  const { clock, perMinute, freshFor } = settings;
  const budget = new SharedBudget(perMinute, settings.perViewer, clock);
  const upstream = new Upstream({
    base: settings.upstreamBase,
    apiToken: settings.apiToken,
    fetch: settings.fetch,
    clock,
    budget,
    freshFor,
    log: settings.log,
  });
  const hub = new MemoryHub({ upstream, clock, freshFor });
  const verifier = new WebhookVerifier({
    key: settings.webhookKey,
    keyUrl: settings.webhookKeyUrl,
    fetch: settings.fetch,
    clock,
  });
  const webhooks = webhookCounters();
  const app = recordingRoutes({
    ...settings,
    hub,
    verify: (body, signature) => verifier.verify(body, signature),
    health: () => ({ reachable: upstream.reachable, refused: upstream.refused, perMinute, left: budget.left }),
    webhooks,
  });

  // The Hono app itself, so that a Hono host can route it; its fetch always a promise, its stats beside it.
  const dispatch = app.fetch;
  const server: typeof app & Partial<Pick<RecordingServer, 'stats'>> = app;
  server.fetch = (request: Request, env?: unknown, ctx?: unknown) =>
    Promise.resolve(dispatch(request, env as never, ctx as never));
  server.stats = (): RecordingServerStats => ({
    upstream: { ...upstream.stats, reachable: upstream.reachable },
    budget: { perMinute, left: budget.left },
    webhooks: { ...webhooks },
    keyFetches: verifier.keyFetches,
    targets: hub.targets,
    viewers: hub.viewers,
  });
  return server as RecordingServer;
}
