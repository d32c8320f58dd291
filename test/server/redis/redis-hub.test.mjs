// @ts-check
/** The Redis shell's pure parts: how two replicas' states of one target merge after an outage. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mergeStates } from '../../../dist/server/redis/redis-hub.js';
import { TargetHub } from '../../../dist/server/target-hub.js';

const target = { kind: /** @type {const} */ ('recording'), id: 'r1' };
const update = (/** @type {string} */ status) => ({ id: 'r1', status, meetingId: null, fields: {} });

/** A target's state after these webhooks, from a start at `now`. */
function after(/** @type {string[]} */ statuses, now = 1000) {
  const core = new TargetHub(target, undefined, now);
  statuses.forEach((status, i) =>
    core.receive(
      /** @type {any} */ (update(status)),
      { uuid: `u-${status}-${i}`, digest: `d-${status}-${i}` },
      now + i,
    ),
  );
  return core.state;
}

test('a merge keeps the furthest status, whichever replica saw it, with a seq past both', () => {
  const shared = after(['RECORDING']);
  const local = after(['RECORDING', 'UPLOADING', 'UPLOADED']);
  const merged = mergeStates(target, shared, local, 5000);
  assert.equal(merged.snapshot.raw?.status, 'UPLOADED');
  assert.ok(merged.snapshot.seq > Math.max(shared.snapshot.seq, local.snapshot.seq));
  const backwards = mergeStates(target, local, shared, 5000);
  assert.equal(backwards.snapshot.raw?.status, 'UPLOADED', 'never backwards');
  assert.ok(backwards.snapshot.seq > local.snapshot.seq, 'a viewer who saw the local seq is sent what it lacks');
});

test('a merge joins both replicas’ delivery keys: a delivery either saw stays a duplicate', () => {
  const merged = mergeStates(target, after(['RECORDING']), after(['PAUSED']), 5000);
  const core = new TargetHub(target, merged, 5000);
  for (const [status, key] of /** @type {[string, string][]} */ ([
    ['RECORDING', 'u-RECORDING-0'],
    ['PAUSED', 'u-PAUSED-0'],
  ])) {
    const receipt = core.receive(/** @type {any} */ (update(status)), { uuid: key, digest: 'new' }, 6000);
    assert.equal(receipt.verdict, 'duplicate');
  }
});
