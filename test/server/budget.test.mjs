// @ts-check
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SharedBudget, TokenBucket } from '../../dist/server/budget.js';
import { FakeClock } from './helpers.mjs';

describe('server/budget', () => {
  it('starts full, empties, and refills smoothly at perMinute', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(60, clock);
    let taken = 0;
    while (bucket.take()) taken++;
    assert.equal(taken, 60);
    assert.equal(bucket.retryAfterMs, 1000);
    await clock.advance(999);
    assert.equal(bucket.take(), false);
    await clock.advance(1);
    assert.equal(bucket.take(), true);
    await clock.advance(10 * 60_000);
    assert.equal(bucket.left, 60);
  });

  for (const [perMinute, elapsed, expected] of /** @type {[number, number, number][]} */ ([
    [900, 0, 0],
    [900, 30_000, 450],
    [900, 4000, 60],
    [1, 59_999, 0],
    [1, 60_000, 1],
  ])) {
    it(`an empty bucket of ${perMinute}/min holds ${expected} after ${elapsed} ms`, async () => {
      const clock = new FakeClock();
      const bucket = new TokenBucket(perMinute, clock);
      while (bucket.take());
      await clock.advance(elapsed);
      assert.equal(bucket.left, expected);
    });
  }

  it('background work leaves a quarter of the bucket to reads, and says how long until it may go', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(100, clock);
    let background = 0;
    while (bucket.take('background')) background++;
    assert.equal(background, 75);
    assert.equal(bucket.grant('background').ok, false);
    // Reads still have the reserve.
    let reads = 0;
    while (bucket.take()) reads++;
    assert.equal(reads, 25);
    const refused = bucket.grant('background');
    assert.equal(refused.ok, false);
    // 26 tokens (the reserve and one) at 100 a minute: 15.6 s.
    assert.equal(refused.ok ? 0 : refused.retryAfterMs, 15_600);
    await clock.advance(600);
    assert.equal(bucket.grant().ok, true);
  });

  it('a viewer spends its own share, then waits for it; others and unnamed work still spend the rest', async () => {
    const clock = new FakeClock();
    const budget = new SharedBudget(100, 3, clock);
    const grants = Array.from({ length: 5 }, () => budget.grant('read', 'sub:a').ok);
    assert.deepEqual(grants, [true, true, true, false, false]);
    const refused = budget.grant('read', 'sub:a');
    assert.deepEqual(refused, { ok: false, retryAfterMs: 20_000 });
    assert.equal(budget.grant('read', 'sub:b').ok, true);
    assert.equal(budget.grant('read').ok, true);
    // A refusal by the share takes nothing from the app's bucket.
    assert.equal(budget.left, 100 - 5);
    await clock.advance(20_000);
    assert.equal(budget.grant('read', 'sub:a').ok, true);
  });
});
