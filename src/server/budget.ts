/**
 * The app's upstream budget as a token bucket: RealtimeKit allows 1000 recordings requests a minute per app,
 * shared by every viewer, so the whole server holds itself to `perMinute`, refilled smoothly.
 */
import type { Clock } from '../platform.js';

/**
 * Whose request it is. A viewer's read may spend the whole bucket; background work (reconciling a quiet
 * target) leaves a quarter of it untouched, so that at scale reconciliation slows down instead of starving
 * the first read of a new target.
 */
export type Priority = 'read' | 'background';
export const BACKGROUND_RESERVE = 0.25;

/** One upstream request's permission: granted, or refused with how long until one is free. */
export type BudgetGrant = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * What pays for upstream requests: a bucket in this process, or one object shared by a whole deployment.
 * `viewer` names whose read it is (the viewer token's subject): each has its own bounded share.
 */
export interface Budget {
  grant(priority?: Priority, viewer?: string): BudgetGrant | Promise<BudgetGrant>;
}

export class TokenBucket implements Budget {
  readonly perMinute: number;
  readonly #clock: Clock;
  #tokens: number;
  #at: number;

  constructor(perMinute: number, clock: Clock) {
    this.perMinute = perMinute;
    this.#clock = clock;
    this.#tokens = perMinute;
    this.#at = clock.now();
  }

  /** Requests that could be sent now. */
  get left(): number {
    this.#refill();
    return Math.floor(this.#tokens);
  }

  /** Takes one request from the budget; false when it is spent (for background work: down to its reserve). */
  take(priority: Priority = 'read'): boolean {
    this.#refill();
    if (this.#tokens < this.#needed(priority)) return false;
    this.#tokens -= 1;
    return true;
  }

  grant(priority: Priority = 'read'): BudgetGrant {
    return this.take(priority) ? { ok: true } : { ok: false, retryAfterMs: this.waitMs(priority) };
  }

  /** Milliseconds until one request is available again. */
  get retryAfterMs(): number {
    return this.waitMs('read');
  }

  /** Milliseconds until a request of this priority would be granted. */
  waitMs(priority: Priority): number {
    this.#refill();
    const short = this.#needed(priority) - this.#tokens;
    return short <= 0 ? 0 : Math.ceil((short * 60_000) / this.perMinute);
  }

  #needed(priority: Priority): number {
    return priority === 'background' ? 1 + this.perMinute * BACKGROUND_RESERVE : 1;
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.perMinute, this.#tokens + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = now;
  }
}

/** Viewers whose shares are remembered; the least recently seen are forgotten first (a full share again). */
const MAX_VIEWERS = 10_000;

/** A viewer's share of the budget when none is set: a tenth of it, at least one request a minute. */
export const defaultViewerBudget = (perMinute: number): number => Math.max(1, Math.floor(perMinute / 10));

/**
 * The app's bucket, and a smaller bucket per viewer: one signed-in user reading made-up ids, or one token asking
 * again and again, spends its own share and then waits, and every other viewer's reads still get through.
 */
export class SharedBudget implements Budget {
  readonly perMinute: number;
  readonly perViewer: number;
  readonly #clock: Clock;
  readonly #app: TokenBucket;
  readonly #viewers = new Map<string, TokenBucket>();

  constructor(perMinute: number, perViewer: number, clock: Clock) {
    this.perMinute = perMinute;
    this.perViewer = perViewer;
    this.#clock = clock;
    this.#app = new TokenBucket(perMinute, clock);
  }

  get left(): number {
    return this.#app.left;
  }

  grant(priority: Priority = 'read', viewer?: string): BudgetGrant {
    const share = viewer === undefined ? null : this.#share(viewer);
    if (share !== null) {
      const wait = share.waitMs('read');
      if (wait > 0) return { ok: false, retryAfterMs: wait };
    }
    const granted = this.#app.grant(priority);
    if (granted.ok) share?.take();
    return granted;
  }

  #share(viewer: string): TokenBucket {
    let bucket = this.#viewers.get(viewer);
    if (bucket) this.#viewers.delete(viewer);
    else bucket = new TokenBucket(this.perViewer, this.#clock);
    this.#viewers.set(viewer, bucket);
    if (this.#viewers.size > MAX_VIEWERS) {
      const oldest = this.#viewers.keys().next().value;
      if (oldest !== undefined) this.#viewers.delete(oldest);
    }
    return bucket;
  }
}
