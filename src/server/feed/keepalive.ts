/**
 * One keepalive tick for every open feed on a clock (in a process: one), instead of a timer per viewer. It holds
 * open feeds only: a feed leaves it when it ends, and the tick stops when none is left.
 */
import { timerDelay, type Clock, type TimerId } from '../../platform.js';

export const KEEPALIVE_MS = 15_000;

class KeepaliveTick {
  readonly #clock: Clock;
  readonly #beats = new Set<() => void>();
  #timer: TimerId | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(beat: () => void): void {
    this.#beats.add(beat);
    if (this.#timer === undefined) this.#arm();
  }

  delete(beat: () => void): void {
    this.#beats.delete(beat);
    if (this.#beats.size > 0 || this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      // A beat may end its stream (and leave the set) while the set is walked: a Set allows that.
      for (const beat of this.#beats) beat();
      if (this.#beats.size > 0) this.#arm();
    }, timerDelay(KEEPALIVE_MS));
  }
}

export type { KeepaliveTick };

const ticks = new WeakMap<Clock, KeepaliveTick>();

/** The one tick of `clock`. */
export function tickOf(clock: Clock): KeepaliveTick {
  let tick = ticks.get(clock);
  if (tick === undefined) {
    tick = new KeepaliveTick(clock);
    ticks.set(clock, tick);
  }
  return tick;
}
