/**
 * When a stream may read next: the one timer (a regular poll or a retry), the backoff and the server's
 * Retry-After, and the page's say: no request while the page is hidden or offline, decided here only.
 */
import type { ErrorKind, RequestFailure } from '../api/errors.js';
import { timerDelay } from '../platform.js';
import { backoffDelay } from './backoff.js';
import type { Environment, TimerId } from './environment.js';

const HALTING: ReadonlySet<ErrorKind> = new Set(['unauthorized', 'forbidden', 'config']);

/** Whether a failed read is tried again: not after a refusal or a configuration problem, nor most 4xx. */
export function willRetry(failure: RequestFailure): boolean {
  if (HALTING.has(failure.kind)) return false;
  if (failure.kind === 'http')
    return failure.httpStatus === undefined || failure.httpStatus >= 500 || failure.httpStatus === 408;
  return true;
}

export class ReadSchedule {
  readonly #env: Pick<Environment, 'clock' | 'page' | 'random'>;
  readonly #due: () => void;
  #timer: TimerId | undefined;
  /** Whether the pending timer is the regular poll (not a retry), which a new poll-interval reschedules. */
  #timerIsPoll = false;
  #failures = 0;
  /** The backoff's deadline: coming back online lifts it. */
  #backoffUntil = 0;
  /** The server's Retry-After deadline: nothing but an explicit refresh may poll before it. */
  #retryAfterUntil = 0;
  /** When the last answer arrived: a changed poll-interval counts from here. */
  #answeredAt = 0;

  /** `due` runs when the timer fires; it asks {@link mayRequest} itself, as every caller must. */
  constructor(env: Pick<Environment, 'clock' | 'page' | 'random'>, due: () => void) {
    this.#env = env;
    this.#due = due;
  }

  /**
   * Whether a request may go out now: not while the page is hidden or offline. What falls due meanwhile waits
   * for the page's return, which asks again.
   */
  get mayRequest(): boolean {
    return !this.#env.page.isHidden() && this.#env.page.isOnline();
  }

  /** Whether a timer is pending. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** What backoff and Retry-After still ask to wait, in milliseconds (zero or less: nothing). */
  get wait(): number {
    return Math.max(this.#backoffUntil, this.#retryAfterUntil) - this.#env.clock.now();
  }

  /** Replaces the pending timer: the regular poll, or a retry. */
  after(ms: number, kind: 'poll' | 'retry'): void {
    this.clear();
    this.#timerIsPoll = kind === 'poll';
    this.#timer = this.#env.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#due();
    }, timerDelay(ms));
  }

  clear(): void {
    if (this.#timer !== undefined) this.#env.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerIsPoll = false;
  }

  /** A good answer, polled or pushed: the backoff and Retry-After are over, and the next poll counts from now. */
  answered(): void {
    this.#failures = 0;
    this.#backoffUntil = 0;
    this.#retryAfterUntil = 0;
    this.#answeredAt = this.#env.clock.now();
  }

  /** A new poll-interval applies from the last answer, not after the old, longer timer runs out. */
  intervalChanged(pollInterval: number): void {
    if (this.#timerIsPoll) this.after(this.#answeredAt + pollInterval - this.#env.clock.now(), 'poll');
  }

  /**
   * A failed read: schedules the retry (backoff, or the server's Retry-After if longer) and says in how many
   * milliseconds it comes; undefined when the failure is not retried.
   */
  failed(failure: RequestFailure, pollInterval: number): number | undefined {
    if (!willRetry(failure)) return undefined;
    this.#failures++;
    const now = this.#env.clock.now();
    const backoff = backoffDelay(pollInterval, this.#failures, this.#env.random());
    this.#backoffUntil = now + backoff;
    this.#retryAfterUntil = failure.retryAfterMs === undefined ? 0 : now + failure.retryAfterMs;
    const retryIn = Math.max(backoff, failure.retryAfterMs ?? 0);
    this.after(retryIn, 'retry');
    return retryIn;
  }

  /**
   * Whatever the backoff had reached, a restored connection deserves an immediate look; this holds for a
   * request already in flight too, should it fail. The server's Retry-After still stands.
   */
  online(): void {
    this.#failures = 0;
    this.#backoffUntil = 0;
  }
}
