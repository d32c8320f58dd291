/**
 * Puts a FakeClock in place of the page's setTimeout, clearTimeout, Date.now (and pins Math.random), for element tests: the
 * element's engine reads those globals at call time. Mocha keeps its own timer references, and settle()
 * yields through MessageChannel, so neither is affected.
 */
import { FakeClock } from './fake-env.js';

export interface PageClock extends FakeClock {
  uninstall(): void;
}

export function installPageClock(start = Date.UTC(2026, 10, 20, 10, 0, 0)): PageClock {
  const clock = new FakeClock(start) as PageClock;
  const original = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    now: Date.now,
    random: Math.random,
  };
  globalThis.setTimeout = ((callback: () => void, ms?: number) =>
    clock.setTimeout(callback, ms ?? 0)) as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout>) => {
    clock.clearTimeout(id);
  }) as typeof clearTimeout;
  Date.now = () => clock.now();
  // Backoff jitter comes from Math.random; 0.5 is no jitter at all.
  Math.random = () => 0.5;
  clock.uninstall = () => {
    globalThis.setTimeout = original.setTimeout;
    globalThis.clearTimeout = original.clearTimeout;
    Date.now = original.now;
    Math.random = original.random;
  };
  return clock;
}
