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
import { RedisReplica } from './redis/replica.js';

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
  /** With Redis: this replica's commands, outages, and what went through the shared state and channels. */
  readonly redis?: {
    readonly up: boolean;
    /** Commands sent, heartbeats (one every 10 s) and failed ones (a script's first run after a restart) included. */
    readonly commands: number;
    readonly heartbeats: number;
    readonly failures: number;
    readonly outages: number;
    readonly channels: number;
    readonly replicas: number | null;
    readonly changes: number;
    readonly published: number;
    readonly heard: number;
    readonly localChanges: number;
    readonly budget: { readonly shared: number; readonly local: number };
  };
}

/**
 * The recording server: a web-standard `fetch`, and a Hono app, so that a Hono host routes it as its own
 * (`app.route('/api/recordings', server)`, with no `basePath`: Hono puts the routes under the path it is given).
 */
export interface RecordingServer extends Hono<BlankEnv, BlankSchema, string> {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  stats(): RecordingServerStats;
  /**
   * Settles once the server can serve: at once in one process; with Redis, once node-redis is loaded and a first
   * connection was tried (a Redis that is down is no error: the replica serves alone until it is back). Rejects
   * when the `redis` package is missing, naming it. `listen()` waits for it.
   */
  readonly ready: Promise<void>;
  /** Lets go of what the server holds beyond its requests (Redis connections, timers); a no-op in one process. */
  close(): Promise<void>;
}

export function createRecordingServer(options: RecordingServerOptions): RecordingServer {
  return serverFromSettings(resolveOptions(options));
}

/** The server from checked settings (the CLI checks them in its variables' names); says their warnings once. */
export function serverFromSettings(settings: Settings): RecordingServer {
  for (const warning of settings.warnings) settings.log(`recording-status server: ${warning}`);
  const { clock, perMinute, freshFor } = settings;
  const replica =
    settings.redis === undefined
      ? null
      : new RedisReplica({
          redis: settings.redis.client,
          prefix: settings.redis.prefix,
          perMinute,
          perViewer: settings.perViewer,
          freshFor,
          clock,
          log: settings.log,
        });
  const budget = replica?.budget ?? new SharedBudget(perMinute, settings.perViewer, clock);
  const upstream = new Upstream({
    base: settings.upstreamBase,
    apiToken: settings.apiToken,
    fetch: settings.fetch,
    clock,
    budget,
    freshFor,
    log: settings.log,
  });
  const redisHub = replica?.hub(upstream) ?? null;
  const hub = redisHub ?? new MemoryHub({ upstream, clock, freshFor });
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

  const ready = replica === null ? Promise.resolve() : replica.open();
  // Seen by ready's own callers; the requests below are told too.
  ready.catch(() => undefined);
  // The Hono app itself, so that a Hono host can route it; its fetch always a promise (with Redis, once ready), its
  // stats, ready and close beside it.
  const dispatch = app.fetch;
  const serve = (request: Request, env?: unknown, ctx?: unknown) =>
    Promise.resolve(dispatch(request, env as never, ctx as never));
  const server: typeof app & { -readonly [K in 'stats' | 'ready' | 'close']?: RecordingServer[K] } = app;
  server.fetch = replica === null ? serve : (request, env, ctx) => ready.then(() => serve(request, env, ctx));
  server.ready = ready;
  server.close = () => replica?.close() ?? Promise.resolve();
  server.stats = (): RecordingServerStats => ({
    upstream: { ...upstream.stats, reachable: upstream.reachable },
    budget: { perMinute, left: budget.left },
    webhooks: { ...webhooks },
    keyFetches: verifier.keyFetches,
    targets: hub.targets,
    viewers: hub.viewers,
    ...(replica === null || redisHub === null
      ? {}
      : {
          redis: {
            up: replica.connection.up,
            commands: replica.connection.stats.commands,
            heartbeats: replica.replicas.beats,
            failures: replica.connection.stats.failures,
            outages: replica.connection.stats.outages,
            channels: replica.connection.channels,
            replicas: replica.replicas.count,
            changes: redisHub.shared.changes,
            published: redisHub.stats.published,
            heard: redisHub.stats.heard,
            localChanges: redisHub.stats.localChanges,
            budget: { ...replica.budget.stats },
          },
        }),
  });
  return server as RecordingServer;
}
