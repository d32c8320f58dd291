/**
 * The server's options, checked once and resolved to settings: every problem at once, each naming the option
 * (or, in the environment's words, its variable) and never its value.
 */
import { systemClock } from '../../platform.js';
import { defaultViewerBudget } from '../budget.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '../feed/stream-caps.js';
import { MIN_SECRET_BYTES } from '../tokens.js';
import { DEFAULT_WEBHOOK_KEY_URL, isPublicKeyPem } from '../webhook/signature.js';
import {
  DEFAULT_API_BASE,
  DEFAULT_BUDGET,
  DEFAULT_FRESH_FOR,
  DEFAULT_TOKEN_TTL,
  type RecordingServerOptions,
  type Settings,
} from './options.js';

/** Every problem with the options at once, each naming the option (or the variable) and never its value. */
export class ConfigurationError extends Error {
  readonly problems: readonly string[];
  constructor(who: string, problems: readonly string[]) {
    super(`${who}: ${problems.join(' ')}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** Whose words a problem is in: an option's name (from code) or its variable's (from the environment). */
export interface Vocabulary {
  /** What to call an option, by its dotted path (`budget`, `streams.perToken`). */
  name(option: string): string;
  /** How a missing required one is said. */
  readonly unset: 'is required' | 'is not set';
}

const BY_OPTION: Vocabulary = { name: (option) => option, unset: 'is required' };

/** An absolute http(s) URL, or null. */
function absoluteHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Hosts an `http://` URL may name without a warning: this machine (a local RealtimeKit stand-in, a test). */
function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** An origin as CORS compares it: scheme, host and port, nothing after. */
const ORIGIN = /^https?:\/\/[^/?#\s,]+$/;

/**
 * The allowed origins: one, or a list. A string with commas is a list (as an environment variable can only say
 * one): taken whole it would match no origin, and break CORS without a word.
 */
function corsOrigin(origin: unknown): string | readonly string[] | null {
  const list = typeof origin === 'string' ? origin.split(',').map((o) => o.trim()) : origin;
  if (!Array.isArray(list) || list.length === 0) return null;
  if (!list.every((o): o is string => typeof o === 'string' && ORIGIN.test(o))) return null;
  const [only] = list;
  return list.length === 1 && typeof origin === 'string' && only !== undefined ? only : list;
}

/**
 * Checks the options; a problem is a {@link ConfigurationError} that lists every problem at once, each
 * naming the option (or, through `name`, its environment variable) and never its value.
 */
export function resolveOptions(
  options: RecordingServerOptions,
  who = 'createRecordingServer',
  vocabulary: Vocabulary = BY_OPTION,
): Settings {
  const problems: string[] = [];
  const name = (option: string) => vocabulary.name(option);
  const unset = (option: keyof RecordingServerOptions) => `${name(option)} ${vocabulary.unset}`;
  const required = (option: 'accountId' | 'appId' | 'apiToken'): string => {
    const value: unknown = options[option];
    if (value !== undefined && typeof value !== 'string') problems.push(`${name(option)} must be text.`);
    else if (value === undefined || value.trim() === '') problems.push(`${unset(option)}.`);
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
    if (typeof value !== 'string' || absoluteHttpUrl(value) === null) {
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
  const givenBasePath: unknown = options.basePath ?? '';
  const basePath = typeof givenBasePath === 'string' ? givenBasePath : '';
  if (basePath !== givenBasePath || (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/')))) {
    problems.push(`${name('basePath')} must start with / and not end with one, such as /api/recordings.`);
  }
  const tokenTtl = positive('tokenTtl', DEFAULT_TOKEN_TTL);
  const freshFor = positive('freshFor', DEFAULT_FRESH_FOR);
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
    whole(name(`streams.${key}`), options.streams?.[key], DEFAULT_STREAM_LIMITS[key]);
  const streams = {
    perToken: cap('perToken'),
    perSubject: cap('perSubject'),
    perTarget: cap('perTarget'),
    total: cap('total'),
  };
  let cors: Settings['cors'];
  if (options.cors !== undefined) {
    const origin = corsOrigin(options.cors.origin);
    if (origin === null) {
      problems.push(
        `${name('cors.origin')} must be an origin such as https://app.example, or a comma-separated list of them.`,
      );
    } else {
      cors = { origin };
    }
  }
  if (problems.length > 0) throw new ConfigurationError(who, problems);

  const warnings: string[] = [];
  // Plain http:// off this machine: the token (apiBase) or the key every delivery is checked with (webhookKeyUrl)
  // goes through whoever is on the path.
  const clear = (option: 'apiBase' | 'webhookKeyUrl', value: string, risk: string) => {
    const url = absoluteHttpUrl(value);
    if (url?.protocol === 'http:' && !isLoopback(url)) {
      warnings.push(`${name(option)} is http:// to ${url.hostname}: ${risk}; use https:// (http:// is for loopback).`);
    }
  };
  clear('apiBase', apiBase, 'the API token crosses the network in clear');
  clear('webhookKeyUrl', webhookKeyUrl, 'whoever is on the path can swap the webhook key and sign deliveries');
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
    cors,
    authorize: options.authorize,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: options.clock ?? systemClock,
    log:
      options.log ??
      ((line: string) => {
        console.warn(line);
      }),
    warnings,
  };
}
