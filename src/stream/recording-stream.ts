/**
 * One request stream: follows one resource through one proxy (and one token), by push where the proxy offers
 * it and by polling otherwise (or while push is broken, or has no slot), one request at a time, and tells its
 * subscribers what to show. It knows nothing of the DOM or of Lit, so it is tested with an injected clock,
 * fetch and page.
 */
import { ProxyClient, type Answer } from '../api/client.js';
import { RequestFailure } from '../api/errors.js';
import { TokenSource } from '../auth/token-source.js';
import type { RecordingStatusErrorDetail } from '../events.js';
import { advance, isTerminal, type Recording, type Step } from '../lifecycle.js';
import { PushTransport, type PushEnd } from '../push/transport.js';
import type { Environment } from './environment.js';
import type { StreamKey } from './key.js';
import { nextPushMode, polls, type PushMode, type PushNews } from './push-mode.js';
import { ReadSchedule } from './schedule.js';

/** How updates arrive: an open event stream, polling, or nothing (idle, settled or halted). */
export type Connection = 'push' | 'poll' | null;

export interface StreamSettings {
  readonly pollInterval: number;
  readonly requestTimeout: number;
}

/** What a failure tells the page: the detail of `recording-status-error`, dispatched as is. */
export function errorDetail(failure: RequestFailure, willRetry: boolean, retryIn?: number): RecordingStatusErrorDetail {
  return {
    kind: failure.kind,
    message: failure.message,
    ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
    willRetry,
    ...(retryIn === undefined ? {} : { retryIn }),
  };
}

export interface StreamState {
  /** `loading` until the first answer; then `ready`, even if later polls fail. */
  readonly phase: 'loading' | 'ready';
  readonly recording: Recording | null;
  /** Where an ERRORED recording failed; null otherwise. */
  readonly failedAt: Step | null;
  /** The last failure, until the next success. */
  readonly error: RecordingStatusErrorDetail | null;
}

export interface StreamListener {
  state(state: StreamState): void;
  /** Once per failed attempt, after `state` has been updated with it. */
  error(error: RecordingStatusErrorDetail): void;
  /** How updates arrive, whenever that changes (and at once on subscribing). */
  connection?(connection: Connection): void;
}

/** Where every stream starts, and what an element shows for a new target until its stream answers. */
export const LOADING: StreamState = { phase: 'loading', recording: null, failedAt: null, error: null };

export class RecordingStream {
  readonly key: StreamKey;
  readonly #env: Environment;
  readonly #client: ProxyClient;
  readonly #url: string;
  readonly #token: TokenSource | null;
  readonly #subscribers = new Map<StreamListener, StreamSettings>();

  readonly #schedule: ReadSchedule;

  #state: StreamState = LOADING;
  #etag: string | null = null;
  #abort: AbortController | null = null;
  #inFlight: Promise<void> | null = null;
  /** Bumped on stop, so an answer that arrives for an abandoned poll is dropped. */
  #generation = 0;
  /**
   * Pushed events so far. A read a push overtook (a refresh() racing the change it was asked for) may have left
   * the server before that change and would take the view back (PAUSED ⇄ RECORDING may go either way); the
   * server pushes every change it learns, a read's included, so the overtaken read is taken as "unchanged".
   */
  #pushed = 0;
  /** Polling is over for now: terminal status or a halting error. `refresh()` lifts it. */
  #settled = false;
  #unlistenPage: (() => void) | null = null;
  readonly #push: PushTransport | null = null;
  /** The proxy's events path without its query: what "this proxy has no push" is remembered by. */
  readonly #pushBase: string;
  #pushMode: PushMode = 'off';
  #connection: Connection = null;

  constructor(key: StreamKey, env: Environment) {
    this.key = key;
    this.#env = env;
    this.#client = new ProxyClient(env.fetch, env.clock);
    this.#url = key.url;
    this.#token = key.tokenUrl === null ? null : new TokenSource(key.tokenUrl, env.fetch, env.clock);
    this.#pushBase = key.events?.split('?')[0] ?? '';
    this.#schedule = new ReadSchedule(env, () => {
      this.#due();
    });
    if (key.events) {
      const context = { clock: env.clock, fetch: env.fetch, random: env.random, slots: env.push.slots };
      this.#push = new PushTransport(
        key.events,
        key.target,
        this.#token,
        context,
        {
          recording: (recording) => {
            this.#pushed++;
            this.#answered({ kind: 'fresh', recording, etag: null });
          },
          live: (live) => {
            this.#pushLive(live);
          },
          waiting: () => {
            this.#pushFallback({ kind: 'waiting' });
          },
          failed: (failure, inARow, retryIn) => {
            this.#pushFailed(failure, inARow, retryIn);
          },
          ended: (end) => {
            this.#pushEnded(end);
          },
        },
        () => this.#settings.requestTimeout,
      );
    }
  }

  /** How updates arrive now. */
  get connection(): Connection {
    return this.#connection;
  }

  get state(): StreamState {
    return this.#state;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** True while a timer or request is alive: what a leak test checks. */
  get active(): boolean {
    return (
      this.#schedule.pending || this.#inFlight !== null || this.#unlistenPage !== null || (this.#push?.active ?? false)
    );
  }

  /**
   * Adds a subscriber (or updates its settings); the first one starts polling, and a stream that already has
   * an answer hands it over at once. Returns the unsubscribe.
   */
  subscribe(listener: StreamListener, settings: StreamSettings): () => void {
    const interval = this.#settings.pollInterval;
    this.#subscribers.set(listener, settings);
    if (this.#unlistenPage === null) this.#start();
    else if (this.#settings.pollInterval !== interval) this.#schedule.intervalChanged(this.#settings.pollInterval);
    if (this.#state.phase === 'ready' || this.#state.error !== null) listener.state(this.#state);
    listener.connection?.(this.#connection);
    return () => {
      if (!this.#subscribers.delete(listener) || this.#subscribers.size > 0) return;
      // An element moved in the DOM unsubscribes and subscribes again in one task: wait a microtask before
      // stopping, so it keeps its stream instead of polling afresh.
      queueMicrotask(() => {
        if (this.#subscribers.size === 0) this.stop();
      });
    };
  }

  /** Polls now, even when polling had stopped; concurrent calls share one request. */
  refresh(): Promise<void> {
    if (this.#subscribers.size === 0) return Promise.resolve();
    this.#settled = false;
    // A halted push (401, 403) is given another chance, unless the recording is over.
    if (this.#pushMode === 'off' && this.#pushUsable() && !isTerminal(this.#state.recording?.status ?? null)) {
      this.#pushNews({ kind: 'start' });
      this.#startPush();
    }
    if (this.#inFlight) return this.#inFlight;
    return this.#poll();
  }

  /** Aborts the request in flight and drops every timer and page listener. */
  stop(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = null;
    this.#inFlight = null;
    this.#schedule.clear();
    this.#unlistenPage?.();
    this.#unlistenPage = null;
    this.#push?.stop();
    this.#pushNews({ kind: 'ended' });
    this.#connection = null;
    this.#token?.clear();
  }

  get #settings(): StreamSettings {
    // Shared streams serve the most demanding subscriber.
    let pollInterval = Infinity;
    let requestTimeout = Infinity;
    for (const s of this.#subscribers.values()) {
      pollInterval = Math.min(pollInterval, s.pollInterval);
      requestTimeout = Math.min(requestTimeout, s.requestTimeout);
    }
    return { pollInterval, requestTimeout };
  }

  #start(): void {
    this.#unlistenPage = this.#env.page.onChange((change) => {
      // A hidden or offline page holds no stream (nor its slot, which another tab may want); the stream
      // reopened on return starts with the snapshot, so nothing is missed.
      if (change === 'hidden' || change === 'offline') this.#push?.stop();
      else this.#resume(change);
    });
    if (this.#finished()) this.#settled = true;
    if (this.#settled) return;
    if (this.#pushUsable()) {
      this.#pushNews({ kind: 'start' });
      this.#startPush();
    } else this.#due();
  }

  /** Whether this stream may push: asked for, and its proxy has not said it cannot. */
  #pushUsable(): boolean {
    return this.#push !== null && !this.#env.push.unsupported.has(this.#pushBase);
  }

  /** Opens the stream, unless the page is hidden or offline: then its return will. */
  #startPush(): void {
    if (this.#schedule.mayRequest) this.#push?.start();
  }

  #resume(reason: 'visible' | 'online'): void {
    if (this.#settled) return;
    if (this.#pushMode !== 'off') {
      this.#startPush();
      if (!polls(this.#pushMode)) return;
    }
    if (reason === 'online') this.#schedule.online();
    if (this.#inFlight || !this.#schedule.mayRequest) return;
    const wait = this.#schedule.wait;
    if (wait > 0) {
      this.#schedule.after(wait, 'retry');
      return;
    }
    void this.#poll();
  }

  /** A poll that falls due while hidden or offline waits for #resume, which polls at once. */
  #due(): void {
    if (this.#schedule.mayRequest) void this.#poll();
  }

  #poll(): Promise<void> {
    this.#schedule.clear();
    const generation = this.#generation;
    const pushed = this.#pushed;
    const abort = new AbortController();
    this.#abort = abort;
    const run = this.#attempt(abort.signal).then(
      (outcome) => {
        if (generation === this.#generation) this.#answered(pushed === this.#pushed ? outcome : { kind: 'unchanged' });
      },
      (error: unknown) => {
        // Staleness is judged by identity, never by the error's type: an abort this stream did not cause (a
        // host's fetch wrapper, an extension) is a failure like any other, and is retried.
        if (generation !== this.#generation) return;
        this.#failed(
          error instanceof RequestFailure
            ? error
            : new RequestFailure('invalid-response', 'The answer could not be processed.'),
        );
      },
    );
    const settled = run.finally(() => {
      if (this.#inFlight === settled) {
        this.#inFlight = null;
        this.#abort = null;
      }
    });
    this.#inFlight = settled;
    return settled;
  }

  async #attempt(signal: AbortSignal): Promise<Answer> {
    const { requestTimeout } = this.#settings;
    const etag = this.#etag;
    const read = (token: string | null) =>
      this.#client.get(this.#url, this.key.target, { token, etag, timeoutMs: requestTimeout, signal });
    return this.#token ? this.#token.send(read, requestTimeout, signal) : read(null);
  }

  /** A good answer, polled or pushed. */
  #answered(outcome: Answer): void {
    this.#schedule.answered();
    let next = this.#state;
    if (outcome.kind === 'fresh') {
      this.#etag = outcome.etag;
      next = { ...next, ...advance(next, outcome.recording) };
    }
    next = { ...next, phase: 'ready', error: null };
    const changed =
      next.phase !== this.#state.phase || next.recording !== this.#state.recording || next.error !== this.#state.error;
    if (changed) this.#state = next;

    if (this.#finished()) {
      this.#settle();
    } else if (polls(this.#pushMode)) {
      this.#schedule.after(this.#settings.pollInterval, 'poll');
      this.#setConnection('poll');
    }
    if (changed) this.#emitState();
  }

  /**
   * Whether there is nothing more to follow: a recording at a final status. A meeting followed by push is
   * never finished, as its stream brings the next recording; polled, it settles as a recording does.
   */
  #finished(): boolean {
    if (!isTerminal(this.#state.recording?.status ?? null)) return false;
    return this.key.target.kind === 'recording' || !this.#pushUsable() || this.#pushMode === 'off';
  }

  /** Nothing more to follow: a final status or a halting error. `refresh()` lifts it. */
  #settle(): void {
    this.#settled = true;
    this.#schedule.clear();
    this.#push?.stop();
    this.#pushNews({ kind: 'ended' });
    this.#setConnection(null);
  }

  /** Applies push's news to its mode; returns the mode before. */
  #pushNews(news: PushNews): PushMode {
    const before = this.#pushMode;
    this.#pushMode = nextPushMode(before, news);
    return before;
  }

  #pushLive(live: boolean): void {
    this.#pushNews({ kind: live ? 'live' : 'dropped' });
    if (live) {
      this.#schedule.clear();
      this.#setConnection('push');
    }
  }

  /** Polls while push cannot (no slot, or broken), from now on at poll-interval. */
  #pushFallback(news: PushNews): void {
    if (this.#settled) return;
    if (this.#pushNews(news) !== 'fallback' && this.#pushMode === 'fallback') this.#pollInstead();
  }

  /** Polls from now on: for good (push `off`), or until push is live again (`fallback`). */
  #pollInstead(): void {
    this.#setConnection('poll');
    if (!this.#schedule.pending && this.#inFlight === null) this.#due();
  }

  #pushFailed(failure: RequestFailure, inARow: number, retryIn: number): void {
    // Once polling covers for push and its answers are good, push's own retries are not the viewer's concern.
    const covered = this.#pushMode === 'fallback' && this.#state.phase === 'ready' && this.#state.error === null;
    this.#pushFallback({ kind: 'failed', inARow });
    if (!covered) this.#report(failure, true, retryIn);
  }

  #pushEnded(end: PushEnd): void {
    if (end === 'terminal') return;
    if (end instanceof RequestFailure) {
      this.#failed(end);
      return;
    }
    if (end === 'unsupported') this.#env.push.unsupported.add(this.#pushBase);
    // No push here (or no more): the page polls, quietly, as it would have without push.
    this.#pushNews({ kind: 'ended' });
    this.#pollInstead();
  }

  #setConnection(connection: Connection): void {
    if (connection === this.#connection) return;
    this.#connection = connection;
    for (const listener of [...this.#subscribers.keys()]) listener.connection?.(connection);
  }

  #failed(failure: RequestFailure): void {
    const retryIn = this.#schedule.failed(failure, this.#settings.pollInterval);
    if (retryIn === undefined) this.#settle();
    this.#report(failure, retryIn !== undefined, retryIn);
  }

  #report(failure: RequestFailure, retry: boolean, retryIn: number | undefined): void {
    const error = errorDetail(failure, retry, retryIn);
    this.#state = { ...this.#state, error };
    this.#emitState();
    for (const listener of [...this.#subscribers.keys()]) listener.error(error);
  }

  #emitState(): void {
    for (const listener of [...this.#subscribers.keys()]) listener.state(this.#state);
  }
}
