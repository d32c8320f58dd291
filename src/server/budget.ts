/**
 * The app's upstream budget as a token bucket: RealtimeKit allows 1000 recordings requests a minute per app,
 * shared by every viewer, so the whole server holds itself to `perMinute`, refilled smoothly.
 */
import type { Clock } from '../platform.js';

/** One upstream request's permission: granted, or refused with how long until one is free. */
export type BudgetGrant = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** What pays for upstream requests: a bucket in this process, or one object shared by a whole deployment. */
export interface Budget {
  grant(): BudgetGrant | Promise<BudgetGrant>;
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

  /** Takes one request from the budget; false when it is spent. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  grant(): BudgetGrant {
    return this.take() ? { ok: true } : { ok: false, retryAfterMs: this.retryAfterMs };
  }

  /** Milliseconds until one request is available again. */
  get retryAfterMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 60_000) / this.perMinute);
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.perMinute, this.#tokens + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = now;
  }
}
