/**
 * How many `/events` streams may be open at once: per viewer token, per subject, per target and in all. A stream
 * takes a place when it opens and gives it back when it ends; beyond a cap the route answers 429 with
 * `Retry-After`. On the Worker the count is per isolate.
 */

export interface StreamLimits {
  /**
   * Streams one viewer token may hold open, a whole number, at least 1. Every token is its own string (its `jti`,
   * and a signature in canonical base64url only), so this counts one page's token, not everyone who watches the
   * same target. For a token with a subject (`sub`), it counts every token of that subject on that target
   * together: minting more tokens buys a user no more places.
   * @default 32
   */
  readonly perToken?: number;
  /**
   * Streams one subject (a token's `sub`: one signed-in user) may hold open on all targets together, a whole
   * number, at least 1. Tokens without a subject are held by `perToken` alone.
   * @default 100
   */
  readonly perSubject?: number;
  /**
   * Streams open on one recording or meeting, whoever holds them, a whole number, at least 1.
   * @default 5000
   */
  readonly perTarget?: number;
  /**
   * Streams open in all, a whole number, at least 1.
   * @default 10000
   */
  readonly total?: number;
}

export const DEFAULT_STREAM_LIMITS: Required<StreamLimits> = {
  perToken: 32,
  perSubject: 100,
  perTarget: 5000,
  total: 10_000,
};

/** Which cap refused a stream. */
export type StreamCap = 'token' | 'subject' | 'target' | 'total';

/** Seconds a refused viewer is told to wait before it tries again. */
export const STREAMS_RETRY_AFTER_SECONDS = 10;

export class StreamCaps {
  readonly #limits: Required<StreamLimits>;
  readonly #byToken = new Map<string, number>();
  readonly #bySubject = new Map<string, number>();
  readonly #byTarget = new Map<string, number>();
  #total = 0;

  constructor(limits: Required<StreamLimits>) {
    this.#limits = limits;
  }

  get open(): number {
    return this.#total;
  }

  /**
   * A place for a stream of this token (and its subject, if it names one) on this target, and the way to give it
   * back; or which cap refused it.
   */
  take(token: string, target: string, subject: string | null = null): (() => void) | StreamCap {
    // A subject's tokens on one target count as one token: the per-token cap holds per user, not per mint.
    const holder = subject === null ? `token ${token}` : `subject ${subject} ${target}`;
    if (this.#total >= this.#limits.total) return 'total';
    if ((this.#byTarget.get(target) ?? 0) >= this.#limits.perTarget) return 'target';
    if ((this.#byToken.get(holder) ?? 0) >= this.#limits.perToken) return 'token';
    if (subject !== null && (this.#bySubject.get(subject) ?? 0) >= this.#limits.perSubject) return 'subject';
    this.#total++;
    add(this.#byTarget, target, 1);
    add(this.#byToken, holder, 1);
    if (subject !== null) add(this.#bySubject, subject, 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#total--;
      add(this.#byTarget, target, -1);
      add(this.#byToken, holder, -1);
      if (subject !== null) add(this.#bySubject, subject, -1);
    };
  }
}

function add(counts: Map<string, number>, key: string, n: number): void {
  const next = (counts.get(key) ?? 0) + n;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
