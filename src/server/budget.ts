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

/** What pays for upstream requests: a bucket in this process, or one object shared by a whole deployment. */
export interface Budget {
  grant(priority?: Priority): BudgetGrant | Promise<BudgetGrant>;
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
