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

/**
 * Each option's JSDoc is its row in docs/server-options.md (`npm run docs`): what it is, its unit and range, what
 * happens past it, and its `@default` (which the docs check against its variable's, where it has one).
 */
export interface RecordingServerOptions {
  /** The Cloudflare account that holds the RealtimeKit app: upstream is `{apiBase}/accounts/{accountId}/realtime/kit/{appId}`. */
  readonly accountId: string;
  /**
   * The RealtimeKit app whose recordings are read. RealtimeKit's limit on recordings requests is per app, so every
   * server of one app shares it (see `budget`); so does the default `redisPrefix`.
   */
  readonly appId: string;
  /**
   * A Cloudflare API token with the Realtime permission. Only the server holds it: never in an answer, an error, a
   * log line or `stats()`. RealtimeKit refusing it (401 or 403) is a 502 for viewers whose message names
   * `accountId`, `appId` and `apiToken` (never a 401, which the widget would take for its own token), said once in
   * the log; `/healthz` then says `upstream: 'refused'`.
   */
  readonly apiToken: string;
  /**
   * RealtimeKit's API base (trailing slashes dropped); not an absolute http(s) URL is a startup error. Warned of
   * once at startup: a base that does not end in `/client/v4` (RealtimeKit would answer every read 404), and
   * `http://` to anything but loopback (the API token would cross the network in clear).
   * @default `https://api.cloudflare.com/client/v4`
   */
  readonly apiBase?: string;
  /**
   * The HS256 secret viewer tokens are signed and verified with: at least 32 bytes (`openssl rand -hex 32`), else a
   * startup error. An app that mints the tokens itself (`createViewerToken`, `createTokenHandler`) uses the same
   * one; when tokens fail their signature, the log says (at most once a minute, with how many) that the two may differ.
   */
  readonly tokenSecret: string;
  /**
   * Your check for `/token`: `authorize(request, target)`, `target` being `{ recordingId }` or `{ meetingId }`.
   * Answer (or resolve to) `true` (answers keep their download links), or a grant `{ subject, download }`:
   * `subject`, the signed-in user's id in your app, becomes the token's `sub`, so that all of that user's tokens
   * share one `viewerBudget` share and count together against the stream caps; `download` (default false) keeps
   * the download links. Anything else refuses with 403: `false`, and also the `undefined` of a forgotten `return`,
   * `null`, `0` or `''`. A throw or a rejection is a 500, logged by the error's name only; neither mints a token.
   * Tokens allowed without a subject all share one share of the budget, which the log says once.
   * @default none: `/token` answers 404, and your app mints the tokens (`createViewerToken`)
   */
  readonly authorize?: Authorize;
  /**
   * Seconds a token from `/token` lives, a positive number; the answer's `expires_in` says so. A stream ends when
   * its token does (it sends `retry: 3000` and closes) and the widget comes back with a new token, which it asks
   * for 30 s before the old one ends (a fifth of its life before, for a shorter one). Longer means fewer `/token`
   * requests, and a leaked token that reads for longer. Tokens your app mints take `createViewerToken`'s `ttl`.
   * @default 300
   */
  readonly tokenTtl?: number;
  /**
   * RealtimeKit's webhook public key (PEM, SPKI: `-----BEGIN PUBLIC KEY-----`); one not shaped as such is a startup
   * error. When set, nothing is fetched and it is the only key: a delivery it refuses is 401, which RealtimeKit does
   * not retry, so set the new key when RealtimeKit rotates its own.
   * @default none: fetched from `webhookKeyUrl`
   */
  readonly webhookKey?: string;
  /**
   * Where RealtimeKit's webhook key is fetched: JSON whose `data.publicKey` is the PEM; not an absolute http(s) URL
   * is a startup error, and `http://` to anything but loopback is warned of (whoever is on the path could swap the
   * key and sign deliveries). Fetched at the first delivery and kept. A delivery the kept key refuses fetches it
   * again, at most once a minute (a rotated key is picked up; a flood of forgeries costs one fetch a minute); until
   * a newer key can be had it is answered 503 with `Retry-After`, so RealtimeKit retries it. With no key yet, a
   * fetch is tried at most every 10 s; one that has not answered in 5 s is given up.
   * @default `https://api.realtime.cloudflare.com/.well-known/webhooks.json`
   */
  readonly webhookKeyUrl?: string;
  /**
   * Upstream requests a minute the server may send RealtimeKit for the whole app: a whole number, at least 1 (a
   * token bucket, starting full, refilled smoothly). RealtimeKit allows 1000 recordings requests a minute per app;
   * the rest is headroom. When it is spent, a read answers the last snapshot with an `Age` header, or 429 with
   * `Retry-After` when there is none; reconciling quiet targets never spends the last quarter, kept for viewers'
   * reads. One budget per server: processes behind one load balancer each spend their own unless they share
   * `redis`, so without Redis give each its part.
   * @default 900
   */
  readonly budget?: number;
  /**
   * Upstream requests a minute one viewer may cause: a whole number, at least 1. A viewer is its token's `sub` (the
   * `subject` your `authorize` or `createViewerToken` gave); all of `/token`'s tokens without a subject are one
   * viewer; a token your app minted without one is its target. A viewer past its share gets what a spent budget
   * gives (the last snapshot with `Age`, or 429 with `Retry-After`) while every other viewer's reads go on. One
   * process remembers the last 10 000 viewers' shares; a forgotten one starts full. More than `budget` changes
   * nothing.
   * @default a tenth of `budget`, at least 1
   */
  readonly viewerBudget?: number;
  /**
   * Caps on open `/events` streams (`{ perToken, perSubject, perTarget, total }`, each below): a stream takes a
   * place when it opens and gives it back when it ends; past any cap it is refused 429 with `Retry-After: 10` and a
   * message naming the cap. Counted in each process: with `redis`, each replica counts its own.
   * @default the four below
   */
  readonly streams?: StreamLimits;
  /**
   * Milliseconds an upstream answer is reused before the same read asks RealtimeKit again, a positive number.
   * Identical reads in flight share one request whatever this is. A target with live viewers, or one a webhook
   * updated in the last 30 s, answers from its snapshot (once read) without asking, so this bounds what readers of a
   * target nobody watches cost: one upstream request per read path in each `freshFor`.
   * @default 2000
   */
  readonly freshFor?: number;
  /**
   * Where the routes live: `''` (the root), or a path that starts with `/` and does not end with one, such as
   * `/api/recordings`; anything else is a startup error. A 404 for a path that ends like a route under another
   * prefix says which `basePath` would serve it. Under Hono's `app.route(path, server)`, leave it unset: Hono puts
   * the routes under `path`.
   * @default `''`
   */
  readonly basePath?: string;
  /**
   * Cross-origin viewers: `{ origin }` answers CORS (preflights included) for that origin, or for each of a list;
   * an origin is scheme, host and port (`https://app.example`: no path, no `*`), and a string with commas is a
   * list. Allows GET, POST and OPTIONS with `Authorization`, `Accept`, `If-None-Match`, `Content-Type` and
   * `Last-Event-ID`, exposes `ETag`, `Retry-After` and `Age`, and lets a browser keep a preflight 10 minutes.
   * @default off: same-origin pages only
   */
  readonly cors?: { readonly origin: string | readonly string[] };
  /**
   * The fetch that reaches RealtimeKit and the webhook key URL (tests, a simulator); upstream reads give up after
   * 10 s.
   * @default the global fetch
   */
  readonly fetch?: FetchLike;
  /**
   * Time, for tests.
   * @default the system clock
   */
  readonly clock?: Clock;
  /**
   * Where the server says what a host should know: startup warnings, RealtimeKit unreachable (once per outage) or
   * refusing the credentials, a likely secret mismatch, a failing `authorize`, Redis going away and coming back;
   * never a token or a secret.
   * @default console.warn
   */
  readonly log?: (line: string) => void;
  /**
   * Redis, for Node replicas that share pushes, state and the upstream budget: a `redis://` (or `rediss://`, TLS)
   * URL, which the server connects to itself and closes on `close()`, or a node-redis client the host made, which
   * it uses (and duplicates for pub/sub) and never closes. A URL needs the `redis` package (node-redis 6): without
   * it `ready` rejects, naming `npm install redis`. Startup waits up to 2 s for Redis, then serves alone until it is
   * back; a command waits at most 1 s. While Redis is away, each replica serves its own viewers and pays upstream
   * from its part of `budget` and `viewerBudget`: divided by the replicas last seen alive (two if none was
   * counted). A single Redis, or a primary with replicas; not Redis Cluster.
   * @default none: one process, nothing shared, no Redis needed
   */
  readonly redis?: string | RedisClientLike;
  /**
   * The prefix of every Redis key and channel: 1 to 200 characters, else a startup error. The default is one per
   * RealtimeKit app, so that the deployments of an app on one Redis share one budget, as RealtimeKit's limit is per
   * app. Every key expires by itself, none later than the target's retention (at most 7 days).
   * @default `recording-status:{account}:{app}:`
   */
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
