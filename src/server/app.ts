/**
 * `createRecordingServer`: the backend every host of `<recording-status>` needs, as one web-standard `fetch`
 * handler built on Hono (the routes are in routes.ts; this composes them with the in-memory parts). It proxies RealtimeKit's three recording reads for viewers holding a viewer token,
 * turns the signed `recording.statusUpdate` webhook into live Server-Sent Events, and keeps the app's shared
 * upstream budget whatever the number of viewers.
 */
import { systemClock, type Clock, type FetchLike } from '../platform.js';
import { TokenBucket } from './budget.js';
import { MemoryHub } from './hub.js';
import { recordingRoutes, type Authorization, type WebhookCounters } from './routes.js';
import { checkSecret, type ViewerTarget } from './tokens.js';
import { Upstream } from './upstream.js';
import { DEFAULT_WEBHOOK_KEY_URL, WebhookVerifier } from './webhook.js';

export type { Authorization } from './routes.js';

export interface RecordingServerOptions {
  readonly accountId: string;
  readonly appId: string;
  readonly apiToken: string;
  /** Default `https://api.cloudflare.com/client/v4`. */
  readonly apiBase?: string;
  /** HS256 secret for viewer tokens, at least 32 bytes. */
  readonly tokenSecret: string;
  /** The host's own check for `/token`; without it `/token` answers 404 and the host mints tokens itself. */
  readonly authorize?: (request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>;
  /** Seconds a viewer token from `/token` lives; default 300. */
  readonly tokenTtl?: number;
  /** RealtimeKit's webhook public key (PEM, SPKI); when set, nothing is fetched. */
  readonly webhookKey?: string;
  /** Where to fetch that key; default RealtimeKit's `/.well-known/webhooks.json` (`data.publicKey`). */
  readonly webhookKeyUrl?: string;
  /** Upstream requests per minute for the whole app; default 900 (RealtimeKit allows 1000). */
  readonly budget?: number;
  /** Milliseconds an upstream answer is reused for other viewers; default 2000. */
  readonly freshFor?: number;
  /** Where the routes live; default `''`. */
  readonly basePath?: string;
  /** Off by default; `{ origin }` answers CORS for those origins. */
  readonly cors?: { readonly origin: string | readonly string[] };
  /** The fetch used to reach RealtimeKit (tests, a simulator); default the global fetch. */
  readonly fetch?: FetchLike;
  /** Time, for tests; default the system clock. */
  readonly clock?: Clock;
  /** Where the server reports what a host should know (refused credentials, an unobtainable key); default console.warn. */
  readonly log?: (line: string) => void;
}

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

export interface RecordingServer {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  stats(): RecordingServerStats;
}

const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';

function required(options: RecordingServerOptions, name: 'accountId' | 'appId' | 'apiToken'): string {
  const value: unknown = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`createRecordingServer: ${name} is required.`);
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`createRecordingServer: ${name} must be a positive number.`);
  return value;
}

export function createRecordingServer(options: RecordingServerOptions): RecordingServer {
  const accountId = required(options, 'accountId');
  const appId = required(options, 'appId');
  const apiToken = required(options, 'apiToken');
  checkSecret(options.tokenSecret);
  const secret = options.tokenSecret;
  const tokenTtl = positive(options.tokenTtl, 300, 'tokenTtl');
  const perMinute = Math.floor(positive(options.budget, 900, 'budget'));
  const freshFor = positive(options.freshFor, 2000, 'freshFor');
  const clock = options.clock ?? systemClock;
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const log =
    options.log ??
    ((line: string) => {
      console.warn(line);
    });
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');

  const budget = new TokenBucket(perMinute, clock);
  const upstream = new Upstream({
    base: `${apiBase}/accounts/${encodeURIComponent(accountId)}/realtime/kit/${encodeURIComponent(appId)}`,
    apiToken,
    fetch,
    clock,
    budget,
    freshFor,
  });
  const hub = new MemoryHub({ upstream, clock, freshFor });
  const verifier = new WebhookVerifier({
    key: options.webhookKey,
    keyUrl: options.webhookKeyUrl ?? DEFAULT_WEBHOOK_KEY_URL,
    fetch,
    clock,
  });
  const webhooks: WebhookCounters = {
    accepted: 0,
    duplicates: 0,
    ignored: 0,
    badSignature: 0,
    malformed: 0,
    tooLarge: 0,
    noKey: 0,
  };
  const app = recordingRoutes({
    hub,
    verify: (body, signature) => verifier.verify(body, signature),
    secret,
    tokenTtl,
    authorize: options.authorize,
    basePath: options.basePath ?? '',
    cors: options.cors,
    clock,
    log,
    health: () => ({ reachable: upstream.reachable, perMinute, left: budget.left }),
    webhooks,
  });

  return {
    fetch: (request, env, ctx) => Promise.resolve(app.fetch(request, env as never, ctx as never)),
    stats: () => ({
      upstream: { ...upstream.stats, reachable: upstream.reachable },
      budget: { perMinute, left: budget.left },
      webhooks: { ...webhooks },
      keyFetches: verifier.keyFetches,
      targets: hub.targets,
      viewers: hub.viewers,
    }),
  };
}
