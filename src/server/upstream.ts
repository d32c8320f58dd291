/**
 * The RealtimeKit client: the only code that holds the API token. Identical reads in flight share one
 * request, an answer is reused for `freshFor` ms, and every request that leaves is paid from the app-wide
 * budget. Failures come back as values with the status a viewer should see; no message ever carries the
 * token, and upstream's own words are not passed on (they are not ours to vouch for).
 */
import { parseRetryAfter } from '../api/rest.js';
import { timerDelay, type Clock, type FetchLike } from '../platform.js';
import type { Budget, Priority } from './budget.js';

export type UpstreamFailureKind = 'not-found' | 'config' | 'rate-limited' | 'unavailable' | 'invalid' | 'budget';

export type UpstreamResult =
  | { readonly ok: true; readonly body: unknown; readonly at: number }
  | {
      readonly ok: false;
      readonly kind: UpstreamFailureKind;
      /** The HTTP status the server answers with. */
      readonly status: number;
      readonly message: string;
      readonly retryAfterSeconds?: number;
      readonly at: number;
    };

export interface UpstreamOptions {
  /** `{apiBase}/accounts/{accountId}/realtime/kit/{appId}`. */
  readonly base: string;
  readonly apiToken: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly budget: Budget;
  readonly freshFor: number;
  readonly timeoutMs?: number;
  /** Told once per outage that RealtimeKit cannot be reached, with its host (never a credential). */
  readonly log?: (line: string) => void;
}

export interface UpstreamStats {
  requests: number;
  coalesced: number;
  reused: number;
  overBudget: number;
  failures: number;
}

const REACH_TIMEOUT_MS = 10_000;

/** Upstream's `Retry-After` (seconds or an HTTP date, capped as the widget caps it), in whole seconds. */
function retryAfter(header: string | null, now: number): number | undefined {
  const ms = parseRetryAfter(header, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

export class Upstream {
  readonly #options: UpstreamOptions;
  readonly #inFlight = new Map<string, Promise<UpstreamResult>>();
  readonly #answers = new Map<string, UpstreamResult>();
  readonly stats: UpstreamStats = { requests: 0, coalesced: 0, reused: 0, overBudget: 0, failures: 0 };
  /** Whether the last request reached RealtimeKit; null before the first. */
  reachable: boolean | null = null;
  /** RealtimeKit answered, and refused this server's credentials (401 or 403) the last time it answered. */
  refused = false;

  constructor(options: UpstreamOptions) {
    this.#options = options;
  }

  /**
   * GET `{base}{path}`. `fresh` skips the reuse window (reconciliation, a webhook that needs a list read) but
   * still shares a request in flight and still pays from the budget; `background` work pays only from what
   * is left above the budget's reserve. `viewer` (a token's subject) pays from its own share as well.
   */
  get(path: string, fresh = false, priority: Priority = 'read', viewer?: string): Promise<UpstreamResult> {
    const now = this.#options.clock.now();
    const kept = this.#answers.get(path);
    if (!fresh && kept && now - kept.at < this.#options.freshFor) {
      this.stats.reused++;
      return Promise.resolve(kept);
    }
    const pending = this.#inFlight.get(path);
    if (pending) {
      this.stats.coalesced++;
      return pending;
    }
    // In flight from this moment, before the budget answers: identical reads meanwhile share this one.
    const request = this.#paid(path, priority, viewer).then((result) => {
      this.#inFlight.delete(path);
      if (result.ok || result.kind === 'not-found') {
        // Keep the map from growing without bound: answers older than the window are worth nothing.
        if (this.#answers.size > 10_000) this.#forgetStale();
        this.#answers.set(path, result);
      } else if (result.kind !== 'budget') {
        this.stats.failures++;
      }
      return result;
    });
    this.#inFlight.set(path, request);
    return request;
  }

  /** Sends the request if the budget pays for it. */
  async #paid(path: string, priority: Priority, viewer: string | undefined): Promise<UpstreamResult> {
    const grant = await this.#options.budget.grant(priority, viewer);
    if (!grant.ok) {
      this.stats.overBudget++;
      return {
        ok: false,
        kind: 'budget',
        status: 429,
        message: "The server has spent this minute's RealtimeKit budget; try again shortly.",
        retryAfterSeconds: Math.max(1, Math.ceil(grant.retryAfterMs / 1000)),
        at: this.#options.clock.now(),
      };
    }
    return this.#send(path);
  }

  #forgetStale(): void {
    const now = this.#options.clock.now();
    for (const [path, answer] of this.#answers) {
      if (now - answer.at >= this.#options.freshFor) this.#answers.delete(path);
    }
  }

  /** Once per outage: the host and the network's reason (ECONNREFUSED, a timeout), nothing from the request. */
  #sayUnreachable(error: unknown): void {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    const code =
      typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : error instanceof Error && error.name === 'AbortError'
          ? 'no answer in time'
          : 'network error';
    let host = 'its API base';
    try {
      host = new URL(this.#options.base).host;
    } catch {
      // The options were checked at startup; a base that is no URL is said generically.
    }
    this.#options.log?.(
      `recording-status server: RealtimeKit could not be reached at ${host} (${code}); reads answer 502 until it can.`,
    );
  }

  async #send(path: string): Promise<UpstreamResult> {
    const { clock } = this.#options;
    this.stats.requests++;
    const abort = new AbortController();
    const timer = clock.setTimeout(
      () => {
        abort.abort();
      },
      timerDelay(this.#options.timeoutMs ?? REACH_TIMEOUT_MS),
    );
    const fail = (kind: UpstreamFailureKind, status: number, message: string, seconds?: number): UpstreamResult => ({
      ok: false,
      kind,
      status,
      message,
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
      at: clock.now(),
    });
    try {
      let response: Response;
      let text: string;
      try {
        response = await this.#options.fetch(this.#options.base + path, {
          method: 'GET',
          headers: { Accept: 'application/json', Authorization: `Bearer ${this.#options.apiToken}` },
          signal: abort.signal,
        });
        text = await response.text();
      } catch (error) {
        if (this.reachable !== false) this.#sayUnreachable(error);
        this.reachable = false;
        return fail('unavailable', 502, 'RealtimeKit could not be reached.');
      }
      this.reachable = true;
      const status = response.status;
      this.refused = status === 401 || status === 403;
      if (this.refused) {
        // Our credentials, not the viewer's: a 401 would make the widget renew its own token for nothing.
        return fail(
          'config',
          502,
          `RealtimeKit refused this server's credentials (${status}): check accountId, appId and apiToken.`,
        );
      }
      if (status === 404) return fail('not-found', 404, 'RealtimeKit has no such recording.');
      if (status === 429) {
        return fail(
          'rate-limited',
          429,
          'RealtimeKit is rate limiting this app.',
          retryAfter(response.headers.get('Retry-After'), clock.now()),
        );
      }
      if (status >= 500) {
        return fail(
          'unavailable',
          status,
          `RealtimeKit answered HTTP ${status}.`,
          retryAfter(response.headers.get('Retry-After'), clock.now()),
        );
      }
      if (status !== 200) return fail('invalid', 502, `RealtimeKit answered HTTP ${status}.`);
      try {
        return { ok: true, body: JSON.parse(text) as unknown, at: clock.now() };
      } catch {
        return fail('invalid', 502, 'RealtimeKit answered with something that is not JSON.');
      }
    } finally {
      clock.clearTimeout(timer);
    }
  }
}
