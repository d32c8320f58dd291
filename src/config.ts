/**
 * Turns the element's attributes into what a stream needs, validating as it goes: the rules for
 * defaults, clamping and precedence live here, apart from the element, so they are table-tested.
 */
import { RequestFailure } from './api/errors.js';
import { eventsUrl, resolveProxyUrl, targetUrl, type Target } from './api/client.js';
import { tokenUrl } from './auth/token-source.js';
import type { StreamRequest } from './stream/controller.js';

export const DEFAULT_POLL_INTERVAL = 5000;
export const DEFAULT_REQUEST_TIMEOUT = 15_000;
export const MIN_MILLISECONDS = 1000;
/** One hour: a status nobody looks at for longer is better served by `refresh()`. */
export const MAX_POLL_INTERVAL = 3_600_000;
/** Five minutes: no proxy answer is worth waiting longer for. */
export const MAX_REQUEST_TIMEOUT = 300_000;

/**
 * A millisecond setting from an attribute or property, clamped into [1000, max]: a huge value must not
 * overflow a browser timer (which then fires at once). Anything that is not a finite number (junk, empty,
 * `Infinity`) falls back to the default.
 */
export function parseMilliseconds(raw: unknown, fallback: number, max: number): number {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)) value = Number(raw);
  else return fallback;
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(MIN_MILLISECONDS, Math.round(value)));
}

/** `auto`: push where the proxy offers it, polling otherwise; `poll`: never open an event stream. */
export type Transport = 'auto' | 'poll';

/** Anything but `poll` (junk, empty, missing) is `auto`. */
export function parseTransport(raw: unknown): Transport {
  return typeof raw === 'string' && raw.trim().toLowerCase() === 'poll' ? 'poll' : 'auto';
}

export interface ElementConfig {
  readonly recordingId: string | null;
  readonly meetingId: string | null;
  readonly proxyUrl: string | null;
  readonly tokenEndpoint: string | null;
  readonly pollInterval: unknown;
  readonly requestTimeout: unknown;
  readonly transport?: unknown;
}

const nonBlank = (value: string | null): value is string => value !== null && value.trim() !== '';

/** `recording-id` wins over `meeting-id`; neither is idle; an ID without `proxy-url` is a config error. */
export function targetOf(config: ElementConfig): Target | null {
  if (nonBlank(config.recordingId)) return { kind: 'recording', id: config.recordingId.trim() };
  if (nonBlank(config.meetingId)) return { kind: 'meeting', id: config.meetingId.trim() };
  return null;
}

export function streamRequest(config: ElementConfig, baseUrl: string): StreamRequest {
  const target = targetOf(config);
  if (target === null) return { kind: 'idle' };
  try {
    if (!nonBlank(config.proxyUrl)) {
      throw new RequestFailure('config', 'proxy-url is required when recording-id or meeting-id is set.');
    }
    const proxy = resolveProxyUrl(config.proxyUrl.trim(), baseUrl);
    return {
      kind: 'watch',
      key: {
        url: targetUrl(proxy, target),
        tokenUrl: nonBlank(config.tokenEndpoint) ? tokenUrl(config.tokenEndpoint.trim(), baseUrl, target) : null,
        target,
        events: parseTransport(config.transport) === 'auto' ? eventsUrl(proxy, target) : null,
      },
      settings: {
        pollInterval: parseMilliseconds(config.pollInterval, DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL),
        requestTimeout: parseMilliseconds(config.requestTimeout, DEFAULT_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT),
      },
    };
  } catch (error) {
    if (error instanceof RequestFailure) return { kind: 'invalid', failure: error };
    throw error;
  }
}
