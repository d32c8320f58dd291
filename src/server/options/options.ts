/**
 * What a host may set on the recording server, and what the server runs on once they are checked (`Settings`):
 * the shapes and their defaults, whether the options come from code (`createRecordingServer`), a process's
 * environment (the CLI) or a Worker's bindings.
 */
import type { Clock, FetchLike } from '../../platform.js';
import type { Authorize } from '../token-handler.js';
import type { StreamLimits } from '../feed/stream-caps.js';
import type { RedisSetting } from './redis.js';
import type { RedisClientLike } from '../redis/package.js';

export interface RecordingServerOptions {
  /** The Cloudflare account that holds the RealtimeKit app. */
  readonly accountId: string;
  /** The RealtimeKit app whose recordings are read. */
  readonly appId: string;
  /** A Cloudflare API token with the Realtime permission; only the server holds it, never a viewer. */
  readonly apiToken: string;
  /** Default `https://api.cloudflare.com/client/v4`. */
  readonly apiBase?: string;
  /** HS256 secret for viewer tokens, at least 32 bytes. */
  readonly tokenSecret: string;
  /** The host's own check for `/token`; without it `/token` answers 404 and the host mints tokens itself. */
  readonly authorize?: Authorize;
  /** Seconds a viewer token from `/token` lives; default 300. */
  readonly tokenTtl?: number;
  /** RealtimeKit's webhook public key (PEM, SPKI); when set, nothing is fetched. */
  readonly webhookKey?: string;
  /** Where to fetch that key; default RealtimeKit's `/.well-known/webhooks.json` (`data.publicKey`). */
  readonly webhookKeyUrl?: string;
  /** Upstream requests per minute for the whole app; default 900 (RealtimeKit allows 1000). */
  readonly budget?: number;
  /** Upstream requests per minute one viewer (a token's `sub`, else its target) may cause; default a tenth of `budget`. */
  readonly viewerBudget?: number;
  /**
   * Caps on concurrent `/events` streams: per viewer token (32; a subject's tokens on one target count as one), per
   * subject (100), per target (5000), in all (10 000).
   */
  readonly streams?: StreamLimits;
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
  /**
   * Redis, for Node replicas that share pushes, state and the upstream budget: a `redis://` (or `rediss://`)
   * URL, or a node-redis client the host made (this server never closes it). Needs the `redis` package
   * (node-redis 6). Unset: one process, nothing shared, no Redis needed.
   */
  readonly redis?: string | RedisClientLike;
  /** The prefix of every Redis key and channel; default one per RealtimeKit app (`recording-status:{account}:{app}:`). */
  readonly redisPrefix?: string;
}

/** The options, checked and with every default filled in. */
export interface Settings {
  readonly apiToken: string;
  /** `{apiBase}/accounts/{accountId}/realtime/kit/{appId}`. */
  readonly upstreamBase: string;
  readonly secret: string;
  readonly tokenTtl: number;
  readonly perMinute: number;
  readonly perViewer: number;
  readonly streams: Required<StreamLimits>;
  readonly freshFor: number;
  readonly webhookKey: string | undefined;
  readonly webhookKeyUrl: string;
  readonly basePath: string;
  readonly cors: { readonly origin: string | readonly string[] } | undefined;
  readonly authorize: Authorize | undefined;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Redis and the prefix of its keys, when replicas share through it. */
  readonly redis: RedisSetting | undefined;
  /** What looks wrong but may be meant (an `apiBase` without `/client/v4`): logged once at startup. */
  readonly warnings: readonly string[];
}

export const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';
/** Upstream requests a minute for the whole app: RealtimeKit allows 1000, and the rest is headroom. */
export const DEFAULT_BUDGET = 900;
/** Seconds a viewer token from `/token` lives. */
export const DEFAULT_TOKEN_TTL = 300;
/** Milliseconds an upstream answer is reused for other viewers. */
export const DEFAULT_FRESH_FOR = 2000;
