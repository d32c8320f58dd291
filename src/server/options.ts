/**
 * The server's options, checked once and resolved to settings, whether they come from code
 * (`createRecordingServer`), from a process's environment (the CLI) or from a Worker's bindings.
 */
import { systemClock, type Clock, type FetchLike } from '../platform.js';
import type { Authorization } from './routes.js';
import { defaultViewerBudget } from './budget.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-caps.js';
import { checkSecret, type ViewerTarget } from './tokens.js';
import { DEFAULT_WEBHOOK_KEY_URL } from './webhook.js';

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
}

const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';
/** Upstream requests a minute for the whole app: RealtimeKit allows 1000, and the rest is headroom. */
export const DEFAULT_BUDGET = 900;

/** Checks the options; a problem is an Error that names the option, never its value. */
export function resolveOptions(options: RecordingServerOptions, who = 'createRecordingServer'): Settings {
  const required = (name: 'accountId' | 'appId' | 'apiToken'): string => {
    const value: unknown = options[name];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`${who}: ${name} is required.`);
    return value;
  };
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${who}: ${name} must be a positive number.`);
    return value;
  };
  const accountId = required('accountId');
  const appId = required('appId');
  const apiToken = required('apiToken');
  checkSecret(options.tokenSecret);
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const perMinute = Math.floor(positive(options.budget, DEFAULT_BUDGET, 'budget'));
  return {
    apiToken,
    upstreamBase: `${apiBase}/accounts/${encodeURIComponent(accountId)}/realtime/kit/${encodeURIComponent(appId)}`,
    secret: options.tokenSecret,
    tokenTtl: positive(options.tokenTtl, 300, 'tokenTtl'),
    perMinute,
    perViewer: Math.floor(positive(options.viewerBudget, defaultViewerBudget(perMinute), 'viewerBudget')),
    freshFor: positive(options.freshFor, 2000, 'freshFor'),
    streams: {
      perToken: Math.floor(positive(options.streams?.perToken, DEFAULT_STREAM_LIMITS.perToken, 'streams.perToken')),
      perTarget: Math.floor(positive(options.streams?.perTarget, DEFAULT_STREAM_LIMITS.perTarget, 'streams.perTarget')),
      total: Math.floor(positive(options.streams?.total, DEFAULT_STREAM_LIMITS.total, 'streams.total')),
    },
    webhookKey: options.webhookKey,
    webhookKeyUrl: options.webhookKeyUrl ?? DEFAULT_WEBHOOK_KEY_URL,
    basePath: options.basePath ?? '',
    cors: options.cors,
    authorize: options.authorize,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: options.clock ?? systemClock,
    log:
      options.log ??
      ((line: string) => {
        console.warn(line);
      }),
  };
}

/** The variables a process or a Worker must set. */
export const REQUIRED_VARIABLES = [
  'REALTIMEKIT_ACCOUNT_ID',
  'REALTIMEKIT_APP_ID',
  'REALTIMEKIT_API_TOKEN',
  'RECORDING_STATUS_TOKEN_SECRET',
] as const;

export type ServerEnvironment = Readonly<Record<string, unknown>>;

/** The options environment variables (or Worker bindings) give; numbers that do not parse are a startup error. */
export function optionsFromEnv(env: ServerEnvironment): RecordingServerOptions {
  const text = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const number = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number.`);
    return parsed;
  };
  const optional = <K extends keyof RecordingServerOptions>(key: K, value: RecordingServerOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  const origin = text('RECORDING_STATUS_CORS_ORIGIN');
  return {
    accountId: text('REALTIMEKIT_ACCOUNT_ID') ?? '',
    appId: text('REALTIMEKIT_APP_ID') ?? '',
    apiToken: text('REALTIMEKIT_API_TOKEN') ?? '',
    tokenSecret: text('RECORDING_STATUS_TOKEN_SECRET') ?? '',
    ...optional('apiBase', text('REALTIMEKIT_API_BASE')),
    ...optional('webhookKey', text('REALTIMEKIT_WEBHOOK_KEY')),
    ...optional('webhookKeyUrl', text('REALTIMEKIT_WEBHOOK_KEY_URL')),
    ...optional('basePath', text('RECORDING_STATUS_BASE_PATH')),
    ...optional('budget', number('RECORDING_STATUS_BUDGET')),
    ...optional('freshFor', number('RECORDING_STATUS_FRESH_FOR')),
    ...optional('tokenTtl', number('RECORDING_STATUS_TOKEN_TTL')),
    ...(origin === undefined ? {} : { cors: { origin } }),
  };
}
