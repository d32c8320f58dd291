/**
 * One page-wide timer for every element whose view depends on the clock (a live duration, a relative time,
 * a download link's expiry), as GitHub's relative-time-element shares one for all its instances. Ticks are
 * aligned to whole seconds or minutes of the wall clock, so every element on the page changes together and
 * a page with hundreds of them still holds a single timer.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { timerDelay } from '../platform.js';

export type TickUnit = 'second' | 'minute';

const UNIT_MS: Record<TickUnit, number> = { second: 1000, minute: 60_000 };

interface Entry {
  readonly unit: TickUnit | null;
  /** A one-off moment to re-render at, such as a link's expiry. */
  readonly deadline: number | null;
  due: number;
}

function nextDue(unit: TickUnit | null, deadline: number | null, now: number): number {
  const boundary = unit === null ? Infinity : (Math.floor(now / UNIT_MS[unit]) + 1) * UNIT_MS[unit];
  return Math.min(boundary, deadline !== null && deadline > now ? deadline : Infinity);
}

export class Ticker {
  readonly #entries = new Map<ReactiveControllerHost, Entry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wakeAt = Infinity;

  /** How many hosts are ticking: what a leak test checks. */
  get size(): number {
    return this.#entries.size;
  }

  /** Re-renders `host` at every `unit` boundary and at `deadline`; idempotent for unchanged arguments. */
  set(host: ReactiveControllerHost, unit: TickUnit | null, deadline: number | null): void {
    const entry = this.#entries.get(host);
    if (entry?.unit === unit && entry.deadline === deadline) return;
    if (unit === null && deadline === null) {
      this.delete(host);
      return;
    }
    this.#entries.set(host, { unit, deadline, due: nextDue(unit, deadline, Date.now()) });
    this.#arm();
  }

  delete(host: ReactiveControllerHost): void {
    if (this.#entries.delete(host)) this.#arm();
  }

  #arm(): void {
    let wakeAt = Infinity;
    for (const entry of this.#entries.values()) wakeAt = Math.min(wakeAt, entry.due);
    if (wakeAt === this.#wakeAt && this.#timer !== undefined) return;
    if (this.#timer !== undefined) globalThis.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wakeAt = wakeAt;
    if (wakeAt === Infinity) return;
    this.#timer = globalThis.setTimeout(
      () => {
        this.#tick();
      },
      timerDelay(wakeAt - Date.now()),
    );
  }

  #tick(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const [host, entry] of this.#entries) {
      if (entry.due > now) continue;
      entry.due = nextDue(entry.unit, entry.deadline, now);
      host.requestUpdate();
    }
    this.#arm();
  }
}

/** The ticker every element on the page shares. */
export const pageTicker = new Ticker();

/** Binds an element to the page's ticker while connected. */
export class TickController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #ticker: Ticker;
  #unit: TickUnit | null = null;
  #deadline: number | null = null;
  #connected = false;

  constructor(host: ReactiveControllerHost, ticker: Ticker = pageTicker) {
    this.#host = host;
    this.#ticker = ticker;
    host.addController(this);
  }

  /** Ticks at each `unit` boundary (or never, with `null`) and once at `deadline`, from now on. */
  set(unit: TickUnit | null, deadline: number | null = null): void {
    this.#unit = unit;
    this.#deadline = deadline;
    if (this.#connected) this.#ticker.set(this.#host, unit, deadline);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#ticker.set(this.#host, this.#unit, this.#deadline);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#ticker.delete(this.#host);
  }
}
