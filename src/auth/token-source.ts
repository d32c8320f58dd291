/**
 * Fetches, caches and renews the bearer token from the host's token endpoint. The token lives only in this
 * object's private fields: never in the DOM, an attribute, an event or a log line.
 */
import type { Target } from '../api/client.js';
import { RequestFailure, httpUrl } from '../api/errors.js';
import { getWithDeadline, parseJson } from '../api/request.js';
import { targetParameter } from '../api/rest.js';
import { parseDate, tokenAnswer } from '../api/schema.js';
import type { Clock, FetchLike } from '../platform.js';

/** Renew this long before expiry, but never more than a fifth of the token's lifetime early. */
const RENEW_AHEAD_MS = 30_000;

/** The token endpoint URL with the watched ID in its query, refusing anything but http(s). */
export function tokenUrl(endpoint: string, baseUrl: string, target: Target): string {
  const url = httpUrl(endpoint, baseUrl, 'token-endpoint');
  url.searchParams.set(...targetParameter(target));
  return url.href;
}

export class TokenSource {
  readonly #url: string;
  readonly #fetch: FetchLike;
  readonly #clock: Clock;
  #token: string | null = null;
  /** When to stop using the cached token; `Infinity` when the endpoint gave no expiry. */
  #renewAt = 0;
  #inFlight: Promise<string> | null = null;

  constructor(url: string, fetch: FetchLike, clock: Clock) {
    this.#url = url;
    this.#fetch = fetch;
    this.#clock = clock;
  }

  /** A token that is not about to expire, fetching one if needed. */
  get(timeoutMs: number, signal: AbortSignal): Promise<string> {
    if (this.#token !== null && this.#clock.now() < this.#renewAt) return Promise.resolve(this.#token);
    return this.renew(timeoutMs, signal);
  }

  /** Throws the cached token away and fetches a new one; concurrent callers share one request. */
  renew(timeoutMs: number, signal: AbortSignal): Promise<string> {
    this.#token = null;
    this.#inFlight ??= this.#fetchToken(timeoutMs, signal).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /**
   * Sends a request with a token (a new one when `fresh`). A refusal (an `unauthorized` failure) may only mean
   * the token expired early, or under an open stream: the token is renewed once and the request sent once more;
   * a second refusal stands, thrown to the caller.
   */
  async send<T>(
    request: (token: string) => Promise<T>,
    timeoutMs: number,
    signal: AbortSignal,
    fresh = false,
  ): Promise<T> {
    const token = await (fresh ? this.renew(timeoutMs, signal) : this.get(timeoutMs, signal));
    try {
      return await request(token);
    } catch (error) {
      if (!(error instanceof RequestFailure) || error.kind !== 'unauthorized') throw error;
      return request(await this.renew(timeoutMs, signal));
    }
  }

  /** Forgets the token, e.g. when the stream that owns this source stops. */
  clear(): void {
    this.#token = null;
    this.#renewAt = 0;
  }

  async #fetchToken(timeoutMs: number, signal: AbortSignal): Promise<string> {
    let result;
    try {
      result = await getWithDeadline(this.#fetch, this.#clock, this.#url, {
        headers: { Accept: 'application/json' },
        timeoutMs,
        signal,
        label: 'token endpoint',
      });
    } catch (error) {
      if (error instanceof RequestFailure && error.kind === 'network') {
        throw new RequestFailure('token', 'The token endpoint could not be reached.');
      }
      throw error;
    }
    const { response, body } = result;
    if (!response.ok) {
      throw new RequestFailure('token', `The token endpoint answered HTTP ${response.status}.`, {
        httpStatus: response.status,
      });
    }
    const parsed = tokenAnswer.safeParse(parseJson(body));
    if (!parsed.success) {
      throw new RequestFailure('token', 'The token endpoint answered without a usable token.', {
        httpStatus: response.status,
      });
    }
    const now = this.#clock.now();
    const { token, expires_in, expires_at } = parsed.data;
    const expiresAt =
      expires_in != null ? now + expires_in * 1000 : expires_at != null ? parseDate(expires_at) : Infinity;
    const lifetime = expiresAt - now;
    this.#renewAt = expiresAt - Math.min(RENEW_AHEAD_MS, lifetime / 5);
    this.#token = token;
    return token;
  }
}
