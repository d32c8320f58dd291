/** Retry delays, kept apart from the stream so the arithmetic is table-tested on its own. */

export const BACKOFF_CAP_MS = 60_000;
export const JITTER = 0.2;

/**
 * The delay before retrying after the n-th consecutive failure: `interval × 2^(n−1)`, with up to ±20 %
 * jitter so that many viewers behind one proxy do not retry in lock-step, and never above one minute.
 * `random` is in [0, 1); 0.5 means no jitter.
 */
export function backoffDelay(interval: number, failures: number, random: number): number {
  const exponential = interval * 2 ** Math.max(0, failures - 1);
  const jittered = Math.min(exponential, BACKOFF_CAP_MS) * (1 + (random * 2 - 1) * JITTER);
  return Math.round(Math.min(jittered, BACKOFF_CAP_MS));
}
