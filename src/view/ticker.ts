/**
 * One page-wide timer for every element whose view depends on the clock (a live duration, a relative time,
 * a download link's expiry), as GitHub's relative-time-element shares one for all its instances. Ticks are
 * aligned to whole seconds or minutes of the wall clock, so every element on the page changes together and
 * a page with hundreds of them still holds a single timer.
 */
import type { ReactiveControllerHost } from 'lit';
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

  /**
   * Re-renders `host` at every `unit` boundary and at `deadline` (both `null`: never), until `delete(host)`.
   * Idempotent for unchanged arguments, so an element calls it after every update.
   */
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

  /** How many hosts it holds: connected elements only, or it keeps removed ones alive and re-rendering. */
  get size(): number {
    return this.#entries.size;
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
