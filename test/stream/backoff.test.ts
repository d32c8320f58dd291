import { expect } from '@open-wc/testing';
import { backoffDelay } from '../../src/stream/backoff.js';

describe('stream/backoff', () => {
  const table: [number, number, number, number][] = [
    // interval, n-th failure, random, expected ms
    [5000, 1, 0.5, 5000],
    [5000, 2, 0.5, 10_000],
    [5000, 3, 0.5, 20_000],
    [5000, 4, 0.5, 40_000],
    [5000, 5, 0.5, 60_000],
    [5000, 12, 0.5, 60_000],
    [1000, 1, 0, 800],
    [1000, 1, 0.999999, 1200],
    [5000, 4, 0, 32_000],
    [5000, 4, 0.999999, 48_000],
    [5000, 5, 0, 48_000],
    [5000, 5, 0.999999, 60_000],
  ];
  for (const [interval, n, random, expected] of table) {
    it(`interval ${interval}, failure ${n}, random ${random} → ${expected}`, () => {
      expect(backoffDelay(interval, n, random)).to.equal(expected);
    });
  }
});
