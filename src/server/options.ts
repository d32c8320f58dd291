/**
 * The server's options, checked once and resolved to settings, whether they come from code
 * (`createRecordingServer`), from a process's environment (the CLI) or from a Worker's bindings.
 */
import { systemClock, type Clock, type FetchLike } from '../platform.js';
import type { Authorization } from './routes.js';
import { defaultViewerBudget } from './budget.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-caps.js';
import { MIN_SECRET_BYTES, type ViewerTarget } from './tokens.js';
import { DEFAULT_WEBHOOK_KEY_URL } from './webhook/signature.js';
import { defaultPrefix } from './redis/keys.js';
import { isRedisClient, type RedisClientLike } from './redis/package.js';

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
  /** Upstream requests per minute one viewer (a token's `sub`, else its target) may cause; default a tenth of `budget`. */
  readonly viewerBudget?: number;
  /** Caps on concurrent `/events` streams: per viewer token (32), per target (5000), in all (10 000). */
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
  /**
   * Redis, for replicas that share pushes, state and the upstream budget: a `redis://` (or `rediss://`) URL, or a
   * node-redis client the host made (this server never closes it). Needs the `redis` package (node-redis 6).
   * Unset: one process, nothing shared, no Redis needed.
   */
  readonly redis?: string | RedisClientLike;
  /** The prefix of every Redis key and channel; default one per RealtimeKit app (`recording-status:{account}:{app}:`). */
  readonly redisPrefix?: string;
  /** Where the server reports what a host should know (refused credentials, an unobtainable key); default console.warn. */
  readonly log?: (line: string) => void;
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
  readonly authorize: RecordingServerOptions['authorize'];
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Redis and the prefix of its keys, when replicas share through it. */
  readonly redis: { readonly client: string | RedisClientLike; readonly prefix: string } | undefined;
  /** What looks wrong but may be meant (an `apiBase` without `/client/v4`): logged once at startup. */
  readonly warnings: readonly string[];
}

export const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';
/** Upstream requests a minute for the whole app: RealtimeKit allows 1000, and the rest is headroom. */
export const DEFAULT_BUDGET = 900;

/** Every problem with the options at once, each naming the option (or the variable) and never its value. */
export class ConfigurationError extends Error {
  readonly problems: readonly string[];
  constructor(who: string, problems: readonly string[]) {
    super(`${who}: ${problems.join(' ')}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** The environment variable behind each option that one can set. */
export const VARIABLES = {
  accountId: 'REALTIMEKIT_ACCOUNT_ID',
  appId: 'REALTIMEKIT_APP_ID',
  apiToken: 'REALTIMEKIT_API_TOKEN',
  tokenSecret: 'RECORDING_STATUS_TOKEN_SECRET',
  apiBase: 'REALTIMEKIT_API_BASE',
  webhookKey: 'REALTIMEKIT_WEBHOOK_KEY',
  webhookKeyUrl: 'REALTIMEKIT_WEBHOOK_KEY_URL',
  basePath: 'RECORDING_STATUS_BASE_PATH',
  cors: 'RECORDING_STATUS_CORS_ORIGIN',
  budget: 'RECORDING_STATUS_BUDGET',
  freshFor: 'RECORDING_STATUS_FRESH_FOR',
  tokenTtl: 'RECORDING_STATUS_TOKEN_TTL',
  viewerBudget: 'RECORDING_STATUS_VIEWER_BUDGET',
  redis: 'RECORDING_STATUS_REDIS_URL',
  redisPrefix: 'RECORDING_STATUS_REDIS_PREFIX',
} as const satisfies Partial<Record<keyof RecordingServerOptions, string>>;

/** The environment variables behind the `streams` caps. */
export const STREAM_VARIABLES = {
  perToken: 'RECORDING_STATUS_STREAMS_PER_TOKEN',
  perTarget: 'RECORDING_STATUS_STREAMS_PER_TARGET',
  total: 'RECORDING_STATUS_STREAMS_TOTAL',
} as const satisfies Record<keyof StreamLimits, string>;

const variableOf = (option: keyof RecordingServerOptions): string =>
  option in VARIABLES ? VARIABLES[option as keyof typeof VARIABLES] : option;

/** An absolute http(s) URL, or null. */
function httpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Whether a PEM block holds something shaped like an SPKI public key: base64 that decodes to one DER SEQUENCE
 * spanning the whole block, which starts with another (the algorithm). WebCrypto imports it for real later;
 * this only catches at startup the key that could never import, synchronously.
 */
export function isPublicKeyPem(pem: string): boolean {
  const body = /^\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----\s*$/.exec(pem)?.[1];
  if (body === undefined) return false;
  let der: string;
  try {
    der = atob(body.replace(/\s+/g, ''));
  } catch {
    return false;
  }
  const byte = (i: number) => der.charCodeAt(i);
  if (der.length < 4 || byte(0) !== 0x30) return false;
  let length = byte(1);
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 3) return false;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byte(2 + i);
    header += count;
  }
  return header + length === der.length && byte(header) === 0x30;
}

/**
 * Checks the options; a problem is a {@link ConfigurationError} that lists every problem at once, each
 * naming the option (or, through `name`, its environment variable) and never its value.
 */
export function resolveOptions(
  options: RecordingServerOptions,
  who = 'createRecordingServer',
  vocabulary: 'options' | 'variables' = 'options',
): Settings {
  const problems: string[] = [];
  const name = vocabulary === 'variables' ? variableOf : (option: keyof RecordingServerOptions) => option;
  const unset = (option: keyof RecordingServerOptions) =>
    vocabulary === 'variables' ? `${name(option)} is not set` : `${name(option)} is required`;
  const required = (option: 'accountId' | 'appId' | 'apiToken'): string => {
    const value: unknown = options[option];
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${unset(option)}.`);
    return typeof value === 'string' ? value : '';
  };
  const positive = (option: 'tokenTtl' | 'freshFor', fallback: number): number => {
    const value = options[option];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      problems.push(`${name(option)} must be a positive number.`);
      return fallback;
    }
    return value;
  };
  const url = (option: 'apiBase' | 'webhookKeyUrl', fallback: string, example: string): string => {
    const value = options[option];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || httpUrl(value) === null) {
      problems.push(`${name(option)} must be an absolute http(s) URL, such as ${example}.`);
      return fallback;
    }
    return value;
  };

  const accountId = required('accountId');
  const appId = required('appId');
  const apiToken = required('apiToken');
  const secret: unknown = options.tokenSecret;
  if (typeof secret !== 'string' || secret === '') {
    problems.push(`${unset('tokenSecret')}: make one with openssl rand -hex 32.`);
  } else if (new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) {
    problems.push(`${name('tokenSecret')} must be at least ${MIN_SECRET_BYTES} bytes: openssl rand -hex 32.`);
  }
  const apiBase = url('apiBase', DEFAULT_API_BASE, DEFAULT_API_BASE).replace(/\/+$/, '');
  const webhookKeyUrl = url('webhookKeyUrl', DEFAULT_WEBHOOK_KEY_URL, DEFAULT_WEBHOOK_KEY_URL);
  const webhookKey: unknown = options.webhookKey;
  if (webhookKey !== undefined && (typeof webhookKey !== 'string' || !isPublicKeyPem(webhookKey))) {
    problems.push(
      `${name('webhookKey')} is not a PEM public key (-----BEGIN PUBLIC KEY----- …); leave it unset to fetch RealtimeKit's.`,
    );
  }
  let perMinute = DEFAULT_BUDGET;
  if (options.budget !== undefined) {
    // A fraction would make the bucket's refill (and Retry-After) meaningless: whole requests only.
    if (typeof options.budget !== 'number' || !Number.isInteger(options.budget) || options.budget < 1) {
      problems.push(
        `${name('budget')} must be a whole number of requests per minute, at least 1 (default ${DEFAULT_BUDGET}).`,
      );
    } else {
      perMinute = options.budget;
    }
  }
  const basePath = options.basePath ?? '';
  if (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/'))) {
    problems.push(`${name('basePath')} must start with / and not end with one, such as /api/recordings.`);
  }
  const tokenTtl = positive('tokenTtl', 300);
  const freshFor = positive('freshFor', 2000);
  // Shares and caps count whole requests and streams, as the budget does.
  const whole = (label: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      problems.push(`${label} must be a whole number, at least 1 (default ${fallback}).`);
      return fallback;
    }
    return value;
  };
  const perViewer = whole(name('viewerBudget'), options.viewerBudget, defaultViewerBudget(perMinute));
  const cap = (key: keyof StreamLimits) =>
    whole(
      vocabulary === 'variables' ? STREAM_VARIABLES[key] : `streams.${key}`,
      options.streams?.[key],
      DEFAULT_STREAM_LIMITS[key],
    );
  const streams = { perToken: cap('perToken'), perTarget: cap('perTarget'), total: cap('total') };
  const redis = redisOption(options, name, problems);
  if (problems.length > 0) throw new ConfigurationError(who, problems);

  const warnings: string[] = [];
  if (!apiBase.endsWith('/client/v4')) {
    warnings.push(
      `${name('apiBase')} does not end in /client/v4: RealtimeKit's API lives under ${DEFAULT_API_BASE}, and any other base answers every read 404.`,
    );
  }
  return {
    apiToken,
    upstreamBase: `${apiBase}/accounts/${encodeURIComponent(accountId)}/realtime/kit/${encodeURIComponent(appId)}`,
    secret: secret as string,
    tokenTtl,
    perMinute,
    perViewer,
    freshFor,
    streams,
    webhookKey: webhookKey as string | undefined,
    webhookKeyUrl,
    basePath,
    cors: options.cors,
    authorize: options.authorize,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: options.clock ?? systemClock,
    log:
      options.log ??
      ((line: string) => {
        console.warn(line);
      }),
    redis:
      redis === undefined
        ? undefined
        : { client: redis, prefix: options.redisPrefix ?? defaultPrefix(accountId, appId) },
    warnings,
  };
}

/** The `redis` option checked: a redis:// or rediss:// URL, or something shaped like a node-redis client. */
function redisOption(
  options: RecordingServerOptions,
  name: (option: keyof RecordingServerOptions) => string,
  problems: string[],
): string | RedisClientLike | undefined {
  const value: unknown = options.redis;
  const prefix: unknown = options.redisPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '' || prefix.length > 200)) {
    problems.push(`${name('redisPrefix')} must be a non-empty string of at most 200 characters.`);
  }
  if (value === undefined) return undefined;
  if (isRedisClient(value)) return value;
  let url: URL | null = null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    problems.push(
      `${name('redis')} must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379${name('redis') === 'redis' ? ', or a node-redis client' : ''}.`,
    );
    return undefined;
  }
  return value as string;
}

export type ServerEnvironment = Readonly<Record<string, unknown>>;

/**
 * The options environment variables (or Worker bindings) give. A number that does not parse is kept as NaN, so
 * that {@link settingsFromEnv} reports it with the rest.
 */
export function optionsFromEnv(env: ServerEnvironment): RecordingServerOptions {
  const text = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const number = (name: string): number | undefined => {
    const value = text(name);
    return value === undefined ? undefined : value.trim() === '' ? NaN : Number(value);
  };
  const optional = <K extends keyof RecordingServerOptions>(key: K, value: RecordingServerOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  const origin = text(VARIABLES.cors);
  const streams = Object.fromEntries(
    Object.entries(STREAM_VARIABLES).flatMap(([key, name]) => {
      const value = number(name);
      return value === undefined ? [] : [[key, value]];
    }),
  ) as StreamLimits;
  return {
    accountId: text(VARIABLES.accountId) ?? '',
    appId: text(VARIABLES.appId) ?? '',
    apiToken: text(VARIABLES.apiToken) ?? '',
    tokenSecret: text(VARIABLES.tokenSecret) ?? '',
    ...optional('apiBase', text(VARIABLES.apiBase)),
    ...optional('webhookKey', text(VARIABLES.webhookKey)),
    ...optional('webhookKeyUrl', text(VARIABLES.webhookKeyUrl)),
    ...optional('basePath', text(VARIABLES.basePath)),
    ...optional('budget', number(VARIABLES.budget)),
    ...optional('freshFor', number(VARIABLES.freshFor)),
    ...optional('tokenTtl', number(VARIABLES.tokenTtl)),
    ...optional('viewerBudget', number(VARIABLES.viewerBudget)),
    ...optional('redis', text(VARIABLES.redis)),
    ...optional('redisPrefix', text(VARIABLES.redisPrefix)),
    ...(Object.keys(streams).length === 0 ? {} : { streams }),
    ...(origin === undefined ? {} : { cors: { origin } }),
  };
}

/**
 * Settings from environment variables (the CLI) or bindings (a Worker), with the host's code-only options;
 * a {@link ConfigurationError} names the variables, every missing or invalid one at once.
 */
export function settingsFromEnv(
  env: ServerEnvironment,
  who: string,
  code: Pick<RecordingServerOptions, 'authorize' | 'log'> = {},
): Settings {
  return resolveOptions({ ...optionsFromEnv(env), ...code }, who, 'variables');
}

/**
 * The options in the variables `recording-status-server` and the Worker read (`REALTIMEKIT_ACCOUNT_ID`, …), for
 * a host's own process: `createRecordingServer({ ...serverOptionsFromEnv(process.env), authorize })`. Every
 * missing or invalid variable is a {@link ConfigurationError} that names them all, never a value.
 */
export function serverOptionsFromEnv(env: ServerEnvironment): RecordingServerOptions {
  const options = optionsFromEnv(env);
  resolveOptions(options, 'recording-status', 'variables');
  return options;
}
