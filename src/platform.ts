/**
 * The two seams every I/O module takes from the platform, time and fetch, kept in a neutral module so that
 * `api/`, `auth/` and `push/` never import from `stream/`, and tests drive both without sleeping.
 */
export type TimerId = ReturnType<typeof setTimeout>;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The longest delay a browser timer honours: beyond 2³¹−1 ms the delay overflows and the timer fires at
 * once, so a huge setting would turn into a tight loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay a timer can really wait: never negative, never NaN, never past {@link MAX_TIMER_MS}. */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) ? 0 : Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** The page's own clock. Globals are read at call time, so fake timers installed after import still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, timerDelay(ms)),
  clearTimeout: (id) => {
    globalThis.clearTimeout(id);
  },
};
