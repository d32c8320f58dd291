/**
 * Live push for one target: follows `{proxy-url}/events` with fetch (the bearer token in a header, which
 * EventSource cannot send), and keeps following it by the rules: the server's `retry:` with full-jitter
 * exponential backoff, a watchdog on silence, a token renewed once on 401 (the token source's rule), Retry-After
 * honoured, a stream slot held per proxy origin. It knows nothing of polling or the DOM: the stream that owns it decides what a
 * failure means for the page.
 */
import { failureFor, pushedRecording, type Target } from '../api/client.js';
import { RequestFailure } from '../api/errors.js';
import { openWithDeadline } from '../api/request.js';
import type { TokenSource } from '../auth/token-source.js';
import { isTerminal, type Recording } from '../lifecycle.js';
import { timerDelay, type Clock, type FetchLike, type TimerId } from '../platform.js';
import { readEvents } from './sse-reader.js';
import type { PushSlots, Release } from './slots.js';

/** A stream silent this long (no event, no keepalive) is presumed dead. The server sends a keepalive every 15 s. */
export const WATCHDOG_MS = 40_000;
/** The reconnect delay's ceiling. */
export const RECONNECT_CAP_MS = 30_000;
/** What the spec's EventSource starts from until a server says `retry:`. */
export const DEFAULT_RETRY_MS = 3000;

/**
 * Full jitter: a uniform delay up to `retry × 2^(n+1)`, capped, where n counts the failures in a row. On
 * average the first reconnect comes after the server's `retry`, and a server that drops every stream at once
 * sees its viewers return spread out, not as one spike.
 */
export function reconnectDelay(retryMs: number, failures: number, random: number): number {
  return Math.round(random * Math.min(RECONNECT_CAP_MS, retryMs * 2 ** (failures + 1)));
}

/** Why push is over for this target (until restarted). */
export type PushEnd =
  /** The proxy has no push (404, 405, 501, or an answer that is not an event stream). */
  | 'unsupported'
  /** 204: the server asks this viewer to stop pushing. */
  | 'declined'
  /** A recording stream reached UPLOADED or ERRORED. */
  | 'terminal'
  /** Halted: 401 after a renewed token, or 403. */
  | RequestFailure;

export interface PushListener {
  /** A validated `recording` event (null: the meeting has no recording yet). */
  recording(recording: Recording | null): void;
  /** Events flow (a stream delivered its first event), or no longer do (it closed; a reconnect is due). */
  live(live: boolean): void;
  /** No stream slot is free for this origin: the owner should poll until `live(true)`. */
  waiting(): void;
  /** An attempt failed; `inARow` counts consecutive failures, the next attempt comes in `retryIn` ms. */
  failed(failure: RequestFailure, inARow: number, retryIn: number): void;
  ended(end: PushEnd): void;
}

export interface PushContext {
  readonly clock: Clock;
  readonly fetch: FetchLike;
  readonly random: () => number;
  readonly slots: PushSlots;
}

const UNSUPPORTED = new Set([404, 405, 501]);

/** After events flowed: the server closed the stream, or it broke off (network, silence). */
type Outcome = 'closed' | 'dropped' | PushEnd;

export class PushTransport {
  readonly #url: string;
  readonly #target: Target;
  readonly #token: TokenSource | null;
  readonly #context: PushContext;
  readonly #listener: PushListener;
  readonly #requestTimeout: () => number;

  #running = false;
  /** Aborts what is under way: the wait for a slot, or one attempt. Replaced for each, so a late answer is known. */
  #abort: AbortController | null = null;
  #release: Release | null = null;
  /** The reconnect timer between attempts, the silence watchdog during one: never both. */
  #timer: TimerId | undefined;
  #retryMs = DEFAULT_RETRY_MS;
  #failures = 0;
  #lastEventId: string | null = null;
  #live = false;
  /** The next attempt fetches a new token first. */
  #renew = false;
  /**
   * A terminal event came, and the server is closing the stream: it is read to its end (bounded by the watchdog)
   * rather than aborted, so the slot is let go only once the connection is free, and may be reused.
   */
  #ending = false;

  constructor(
    url: string,
    target: Target,
    token: TokenSource | null,
    context: PushContext,
    listener: PushListener,
    requestTimeout: () => number,
  ) {
    this.#url = url;
    this.#target = target;
    this.#token = token;
    this.#context = context;
    this.#listener = listener;
    this.#requestTimeout = requestTimeout;
  }

  /** True while a request, a slot, a timer or a wait is held: what a leak test checks. */
  get active(): boolean {
    return this.#running || this.#release !== null || this.#timer !== undefined;
  }

  /** Takes a slot and connects now (a page back in view reconnects without waiting out a backoff). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#run((this.#abort = new AbortController()));
  }

  /** Closes the stream, gives its slot back and drops every timer. Keeps the last event ID for the next start. */
  stop(): void {
    this.#running = false;
    if (this.#ending) return;
    this.#abort?.abort();
    this.#abort = null;
    this.#clearTimer();
    this.#release?.();
    this.#release = null;
    this.#setLive(false);
  }

  async #run(abort: AbortController): Promise<void> {
    const slots = this.#context.slots;
    let release = await slots.tryAcquire(this.#url);
    if (release === null && abort === this.#abort) {
      this.#listener.waiting();
      release = await slots.acquire(this.#url, abort.signal).catch(() => null);
    }
    if (abort !== this.#abort) {
      release?.();
      return;
    }
    this.#release = release;
    this.#connect();
  }

  #connect(): void {
    this.#timer = undefined;
    const abort = (this.#abort = new AbortController());
    this.#attempt(abort).then(
      (outcome) => {
        if (abort !== this.#abort) return;
        if (outcome === 'closed' || outcome === 'dropped') {
          // A server closes a stream when the viewer's token is about to expire (or its hub moves): come back
          // with a fresh token, quietly.
          this.#renew = outcome === 'closed';
          this.#again(reconnectDelay(this.#retryMs, this.#failures, this.#context.random()));
          return;
        }
        this.#ending = false;
        this.stop();
        this.#listener.ended(outcome);
      },
      (error: unknown) => {
        if (abort !== this.#abort) return;
        const failure =
          error instanceof RequestFailure ? error : new RequestFailure('network', 'The event stream broke.');
        const retryIn = Math.max(
          reconnectDelay(this.#retryMs, this.#failures++, this.#context.random()),
          failure.retryAfterMs ?? 0,
        );
        this.#again(retryIn);
        this.#listener.failed(failure, this.#failures, retryIn);
      },
    );
  }

  #again(ms: number): void {
    this.#setLive(false);
    this.#clearTimer();
    this.#timer = this.#context.clock.setTimeout(() => {
      this.#connect();
    }, timerDelay(ms));
  }

  async #attempt(attempt: AbortController): Promise<Outcome> {
    const { signal } = attempt;
    const timeoutMs = this.#requestTimeout();
    const fresh = this.#renew;
    this.#renew = false;
    const open = async (token: string | null) => {
      const response = await this.#open(token, timeoutMs, signal);
      if (response.status !== 401) return response;
      void response.body?.cancel().catch(() => undefined);
      throw failureFor(response, '', this.#context.clock.now());
    };
    let response: Response;
    try {
      response = await (this.#token ? this.#token.send(open, timeoutMs, signal, fresh) : open(null));
    } catch (error) {
      // Refused even with a renewed token: push halts.
      if (error instanceof RequestFailure && error.kind === 'unauthorized') return error;
      throw error;
    }
    const { status, ok, body } = response;
    if (!ok || status === 204 || !body || !/^text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) {
      void body?.cancel().catch(() => undefined);
      if (status === 204) return 'declined';
      if (ok || UNSUPPORTED.has(status)) return 'unsupported';
      const failure = failureFor(response, '', this.#context.clock.now());
      if (failure.kind === 'forbidden') return failure;
      throw failure;
    }
    return this.#read(body, attempt);
  }

  #open(token: string | null, timeoutMs: number, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    // The server can then answer 204 when this viewer has already seen the end.
    if (this.#lastEventId !== null) headers['Last-Event-ID'] = this.#lastEventId;
    return openWithDeadline(this.#context.fetch, this.#context.clock, this.#url, {
      headers,
      timeoutMs,
      signal,
      label: 'proxy',
    });
  }

  async #read(body: ReadableStream<Uint8Array>, attempt: AbortController): Promise<Outcome> {
    // An object, not lets: the writes happen in closures that narrowing cannot see.
    const seen = { first: true, terminal: false, silent: false, broke: false };
    const feed = () => {
      this.#clearTimer();
      this.#timer = this.#context.clock.setTimeout(() => {
        seen.silent = true;
        attempt.abort();
      }, WATCHDOG_MS);
    };
    feed();
    try {
      await readEvents(
        body,
        {
          activity: feed,
          retry: (ms) => (this.#retryMs = ms),
          event: ({ event, data, id }) => {
            if (id !== undefined) this.#lastEventId = id;
            // Unknown events are for other clients, or a later version: ignored.
            if (event !== 'recording' || seen.terminal) return;
            const recording = pushedRecording(data, this.#target);
            if (seen.first) {
              seen.first = false;
              this.#failures = 0;
              this.#setLive(true);
            }
            if (this.#target.kind === 'recording' && recording !== null && isTerminal(recording.status)) {
              seen.terminal = this.#ending = true;
            }
            this.#listener.recording(recording);
          },
        },
        attempt.signal,
      );
    } catch (error) {
      // A pushed event that fails validation is the server's fault, reported like a bad polled answer.
      if (!seen.terminal && (error instanceof RequestFailure || seen.first)) throw error;
      seen.broke = true;
    } finally {
      this.#clearTimer();
    }
    if (seen.terminal) return 'terminal';
    if (seen.first) {
      throw seen.silent
        ? new RequestFailure('timeout', 'The event stream was silent.')
        : new RequestFailure('invalid-response', 'The event stream ended early.');
    }
    // After events flowed, a silent or broken stream is only reopened: nothing the viewer needs to hear of.
    return seen.broke || seen.silent ? 'dropped' : 'closed';
  }

  #setLive(live: boolean): void {
    if (this.#live === live) return;
    this.#live = live;
    this.#listener.live(live);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#context.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
