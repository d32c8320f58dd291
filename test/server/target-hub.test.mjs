// @ts-check
/** The rules of one target, once, as a table: every call takes `now` and returns what the shell must do. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  MAX_BODY_DIGESTS,
  MAX_DELIVERY_IDS,
  REPEAT_CHECK_MS,
  NOT_FOUND_MS,
  RECONCILE_MS,
  RETAIN_SETTLED_MS,
  RETAIN_UNKNOWN_MS,
  RETAIN_UNSETTLED_MS,
  TargetHub,
} from '../../dist/server/target-hub.js';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const FRESH = 2000;
/** @returns {any} */
const rec = (/** @type {string} */ id, /** @type {string} */ status, invoked = '2026-11-20T10:00:00Z') => ({
  id,
  status,
  invoked_time: invoked,
});
const one = (/** @type {any} */ r, at = T0) => /** @type {any} */ ({ ok: true, body: { success: true, data: r }, at });
const list = (/** @type {any[]} */ rs, at = T0) =>
  /** @type {any} */ ({
    ok: true,
    body: { success: true, data: rs, paging: { total_count: rs.length, start_offset: 1, end_offset: rs.length } },
    at,
  });
const failure = (/** @type {string} */ kind, status = 404, at = T0) =>
  /** @type {any} */ ({ ok: false, kind, status, message: kind, at });
const update = (/** @type {string} */ id, /** @type {string} */ status, meetingId = 'm1') => ({
  id,
  status: /** @type {any} */ (status),
  meetingId,
  fields: { meeting_id: meetingId },
});
const d = (/** @type {string | null} */ uuid, digest = `body-${uuid}`) => ({ uuid, digest });
const recording = () => new TargetHub({ kind: 'recording', id: 'r1' });
const meeting = () => new TargetHub({ kind: 'meeting', id: 'm1' });

/** @type {[string, () => void][]} */
const rules = [
  [
    'a read is answered from the snapshot within freshFor of an upstream answer, and asks upstream after',
    () => {
      const h = recording();
      assert.equal(h.cached(T0, FRESH), null);
      const { result, effect } = h.answered(one(rec('r1', 'RECORDING')), T0);
      assert.deepEqual([result.ok, effect.tell, effect.persist], [true, true, true]);
      assert.equal(h.cached(T0 + FRESH - 1, FRESH)?.ok, true);
      assert.equal(h.cached(T0 + FRESH, FRESH), null);
    },
  ],
  [
    'webhooks keep an upstream-filled snapshot fresh for the reconciliation window; webhooks alone do not fill it',
    () => {
      const h = recording();
      h.receive(update('r1', 'RECORDING'), d('a'), T0);
      assert.equal(h.cached(T0 + 1, FRESH), null);
      h.answered(one(rec('r1', 'RECORDING')), T0);
      h.receive(update('r1', 'PAUSED'), d('b'), T0 + 10_000);
      assert.equal(h.cached(T0 + 10_000 + RECONCILE_MS - 1, FRESH)?.ok, true);
      assert.equal(h.cached(T0 + 10_000 + RECONCILE_MS, FRESH), null);
    },
  ],
  [
    'a watched target is current by definition once upstream filled it: viewers joining it however slowly ask nothing',
    () => {
      const h = recording();
      // Watched but never read from upstream (webhooks alone, or nothing): upstream must still be asked.
      assert.equal(h.cached(T0, FRESH, true), null);
      h.receive(update('r1', 'RECORDING'), d('a'), T0);
      assert.equal(h.cached(T0 + 1, FRESH, true), null);
      h.answered(one(rec('r1', 'RECORDING')), T0);
      // Long after freshFor and the webhook window: unwatched asks again, watched does not.
      const later = T0 + 10 * RECONCILE_MS;
      assert.equal(h.cached(later, FRESH), null);
      const watched = h.cached(later, FRESH, true);
      assert.deepEqual(watched?.ok && [watched.recording?.status, watched.seq], ['RECORDING', h.seq]);
      // A meeting known to have no recording yet is as current while watched.
      const m = meeting();
      m.answered(list([]), T0);
      const none = m.cached(later, FRESH, true);
      assert.deepEqual(none?.ok && none.recording, null);
      assert.equal(m.cached(later, FRESH), null);
    },
  ],
  [
    "upstream's 404 is believed for NOT_FOUND_MS, longer than freshFor; other failures are not remembered",
    () => {
      const h = recording();
      assert.equal(h.answered(failure('not-found'), T0).result.ok, false);
      const remembered = h.cached(T0 + NOT_FOUND_MS - 1, FRESH);
      assert.equal(remembered?.ok === false && remembered.status, 404);
      assert.equal(h.cached(T0 + NOT_FOUND_MS, FRESH), null);
      const g = recording();
      g.answered(failure('unavailable', 502), T0);
      assert.equal(g.cached(T0 + 1, FRESH), null);
    },
  ],
  [
    'a spent budget answers the last snapshot with its age; with none, the failure',
    () => {
      const h = recording();
      assert.equal(h.answered(failure('budget', 429), T0).result.ok, false);
      h.answered(one(rec('r1', 'RECORDING')), T0);
      const stale = h.answered(failure('budget', 429, T0 + 42_000), T0 + 42_000).result;
      assert.deepEqual(stale.ok && [stale.recording?.status, stale.ageSeconds], ['RECORDING', 42]);
    },
  ],
  [
    'an answer about another recording, or of another shape, is invalid and changes nothing',
    () => {
      const h = recording();
      const { result, effect } = h.answered(one(rec('r2', 'UPLOADED')), T0);
      assert.deepEqual([!result.ok && result.kind, effect.tell], ['invalid', false]);
      assert.equal(h.recording, null);
    },
  ],
  [
    'seq counts the changes viewers saw; a merge never moves backwards; the same answer again is no change',
    () => {
      const h = recording();
      h.answered(one(rec('r1', 'UPLOADING')), T0);
      assert.equal(h.seq, 1);
      assert.equal(h.answered(one(rec('r1', 'RECORDING')), T0 + 5000).effect.tell, false);
      assert.equal(h.answered(one(rec('r1', 'UPLOADING')), T0 + 9000).effect.tell, false);
      assert.deepEqual([h.seq, h.recording?.status], [1, 'UPLOADING']);
    },
  ],
  [
    'a delivery is a duplicate when its uuid or its body digest was seen; a replay under a new uuid included',
    () => {
      const h = recording();
      assert.notEqual(h.receive(update('r1', 'RECORDING'), d('u1', 'A'), T0).effect, null);
      assert.notEqual(h.receive(update('r1', 'PAUSED'), d('u2', 'B'), T0).effect, null);
      assert.equal(h.receive(update('r1', 'PAUSED'), d('u2', 'other'), T0).effect, null);
      // The old PAUSED body again, under a new uuid or none: it would change nothing.
      assert.equal(h.receive(update('r1', 'PAUSED'), d('u3', 'B'), T0).effect, null);
      assert.equal(h.receive(update('r1', 'PAUSED'), d(null, 'B'), T0).effect, null);
      assert.equal(h.recording?.status, 'PAUSED');
    },
  ],
  [
    'a body seen before that would move the snapshot is never applied: RealtimeKit is asked, at most every 5 s',
    () => {
      const h = recording();
      h.receive(update('r1', 'RECORDING'), d('u1', 'A'), T0);
      h.receive(update('r1', 'PAUSED'), d('u2', 'B'), T0 + 1000);
      // The RECORDING body again under a fresh uuid: a replay flipping PAUSED back, or a genuine resume whose body
      // is byte for byte the first one's. The body cannot tell.
      const repeat = h.receive(update('r1', 'RECORDING'), d('u3', 'A'), T0 + 2000);
      assert.deepEqual(repeat, { verdict: 'duplicate', effect: { tell: false, persist: true, read: 'background' } });
      assert.equal(h.recording?.status, 'PAUSED');
      // A flood of the same replay asks at once, then owes one more check at the window's end (below), then
      // nothing more; after the window, at once again.
      const owed = h.receive(update('r1', 'RECORDING'), d('u4', 'A'), T0 + 2001);
      assert.equal(owed.effect?.read, 'later');
      assert.equal(h.receive(update('r1', 'RECORDING'), d('u5', 'A'), T0 + 2000 + REPEAT_CHECK_MS - 1).effect, null);
      const later = h.receive(update('r1', 'RECORDING'), d(null, 'A'), T0 + 2000 + REPEAT_CHECK_MS);
      assert.equal(later.effect?.read, 'background');
      // RealtimeKit's answer decides: a genuine resume shows.
      assert.equal(h.answered(one(rec('r1', 'RECORDING')), T0 + 9000).effect.tell, true);
      assert.equal(h.recording?.status, 'RECORDING');
    },
  ],
  [
    'such a body inside the window is owed one check when the window ends: due while watched, the next read else',
    () => {
      const h = recording();
      h.answered(one(rec('r1', 'RECORDING')), T0);
      h.receive(update('r1', 'PAUSED'), d('u1', 'P'), T0 + 1000);
      h.receive(update('r1', 'RECORDING'), d('u2', 'R'), T0 + 1500);
      // Paused again: the first PAUSED body, byte for byte. Checked at once.
      const first = h.receive(update('r1', 'PAUSED'), d('u3', 'P'), T0 + 2000);
      assert.equal(first.effect?.read, 'background');
      h.answered(one(rec('r1', 'PAUSED')), T0 + 2100);
      // Resumed again within the window, the first RECORDING body: owed a check at the window's end, once.
      const owed = h.receive(update('r1', 'RECORDING'), d('u4', 'R'), T0 + 3000);
      assert.deepEqual(owed, { verdict: 'duplicate', effect: { tell: false, persist: true, read: 'later' } });
      assert.equal(h.receive(update('r1', 'RECORDING'), d('u5', 'R'), T0 + 4000).effect, null);
      assert.equal(h.recording?.status, 'PAUSED');
      const at = T0 + 2000 + REPEAT_CHECK_MS;
      assert.equal(h.nextCheckAt(T0 + 4000, true), at);
      assert.equal(h.due(at - 1, true), 'none');
      assert.equal(h.due(at, true), 'reconcile');
      // Stored: a restarted hub still owes it.
      assert.equal(new TargetHub({ kind: 'recording', id: 'r1' }, h.state).nextCheckAt(T0 + 4000, true), at);
      // Unwatched, the next read after the window is the check; before it, the snapshot answers.
      assert.equal(h.cached(at - 1, FRESH)?.ok, true);
      assert.equal(h.cached(at, FRESH), null);
      assert.equal(h.answered(one(rec('r1', 'RECORDING'), at), at).effect.tell, true);
      assert.equal(h.recording?.status, 'RECORDING');
      assert.equal(h.cached(at + 1, FRESH)?.ok, true, 'checked: nothing is owed any more');
      assert.equal(h.nextCheckAt(at + 1, true), at + 1 + RECONCILE_MS);
    },
  ],
  [
    'hole 10: an owed check that fails is asked again a window later, once per window, until RealtimeKit answers',
    () => {
      const h = recording();
      h.answered(one(rec('r1', 'PAUSED')), T0);
      h.receive(update('r1', 'RECORDING'), d('u1', 'R'), T0);
      h.receive(update('r1', 'PAUSED'), d('u2', 'P'), T0 + 100);
      h.receive(update('r1', 'RECORDING'), d('u3', 'R'), T0 + 200);
      h.answered(one(rec('r1', 'RECORDING')), T0 + 300);
      assert.notEqual(h.receive(update('r1', 'PAUSED'), d('u4', 'P'), T0 + 400).effect, null);
      const at = T0 + 200 + REPEAT_CHECK_MS;
      assert.equal(h.due(at, true), 'reconcile');
      assert.equal(h.answered(failure('unavailable', 503, at), at).effect.read, 'later');
      h.reconciled(h.seq);
      // Not in a loop: a window on, and again while it fails.
      assert.equal(h.due(at, true), 'none');
      assert.equal(h.nextCheckAt(at, true), at + REPEAT_CHECK_MS);
      const again = at + REPEAT_CHECK_MS;
      assert.equal(h.due(again, true), 'reconcile');
      h.answered(failure('unavailable', 503, again), again);
      h.reconciled(h.seq);
      assert.equal(h.nextCheckAt(again, true), again + REPEAT_CHECK_MS);
      // An answer settles it: the next read is the next reconciliation.
      const answeredAt = again + REPEAT_CHECK_MS;
      h.answered(one(rec('r1', 'RECORDING'), answeredAt), answeredAt);
      h.reconciled(h.seq);
      assert.equal(h.due(answeredAt, true), 'none');
      assert.ok(h.nextCheckAt(answeredAt, true) >= answeredAt + RECONCILE_MS);
    },
  ],
  [
    "hole 10: a meeting's webhook waiting for a list read that fails is placed by a read a window later",
    () => {
      const h = new TargetHub({ kind: 'meeting', id: 'm1' }, undefined, T0);
      h.answered(list([rec('r1', 'UPLOADED', '2026-11-20T09:00:00.000Z')]), T0);
      assert.equal(h.receive(update('r2', 'INVOKED', 'm1'), d('u1', 'I'), T0 + 100).effect?.read, 'read');
      assert.equal(h.answered(failure('unavailable', 503, T0 + 200), T0 + 200).effect.read, 'later');
      assert.equal(h.nextCheckAt(T0 + 200, true), T0 + 200 + REPEAT_CHECK_MS);
      assert.equal(h.due(T0 + 200 + REPEAT_CHECK_MS, true), 'reconcile');
      const placed = h.answered(
        list(
          [rec('r2', 'INVOKED', '2026-11-20T10:00:00.000Z'), rec('r1', 'UPLOADED', '2026-11-20T09:00:00.000Z')],
          T0 + 200 + REPEAT_CHECK_MS,
        ),
        T0 + 200 + REPEAT_CHECK_MS,
      );
      assert.equal(placed.effect.tell, true);
      assert.equal(h.recording?.id, 'r2');
      assert.ok(h.nextCheckAt(T0 + 200 + REPEAT_CHECK_MS, true) >= T0 + 200 + REPEAT_CHECK_MS + RECONCILE_MS);
    },
  ],
  [
    'body digests are bounded: the oldest are forgotten first',
    () => {
      const h = recording();
      h.receive(update('r1', 'RECORDING'), d(null, 'first'), T0);
      for (let i = 0; i < MAX_BODY_DIGESTS; i++) h.receive(update('r1', 'RECORDING'), d(null, `k${i}`), T0);
      assert.equal(h.state.deliveries.length, MAX_BODY_DIGESTS);
      assert.notEqual(h.receive(update('r1', 'RECORDING'), d(null, 'first'), T0).effect, null);
    },
  ],
  [
    'hole 1: a replayed body inserts nothing, under however many new ids; ids and digests are bounded apart',
    () => {
      const h = recording();
      h.receive(update('r1', 'PAUSED'), d('u-paused', 'P'), T0);
      h.receive(update('r1', 'RECORDING'), d('u-recording', 'R'), T0 + 100);
      const before = h.state.deliveries;
      for (let i = 0; i < 2 * MAX_BODY_DIGESTS; i++) {
        assert.equal(h.receive(update('r1', 'RECORDING'), d(`u-flood-${i}`, 'R'), T0 + 200).verdict, 'duplicate');
      }
      assert.deepEqual(h.state.deliveries, before);
      // The old PAUSED is still known: never applied, at most checked.
      const replay = h.receive(update('r1', 'PAUSED'), d('u-replay', 'P'), T0 + REPEAT_CHECK_MS + 300);
      assert.equal(replay.verdict, 'duplicate');
      assert.equal(replay.effect?.tell ?? false, false);
      assert.equal(h.recording?.status, 'RECORDING');
      // New bodies fill each set to its own bound.
      for (let i = 0; i < MAX_BODY_DIGESTS + MAX_DELIVERY_IDS; i++) {
        h.receive(update('r1', 'RECORDING'), d(`id-${i}`, `body-${i}`), T0 + 10_000);
      }
      const keys = h.state.deliveries;
      assert.equal(keys.filter((k) => k.startsWith('d:')).length, MAX_BODY_DIGESTS);
      assert.equal(keys.filter((k) => k.startsWith('u:')).length, MAX_DELIVERY_IDS);
    },
  ],
  [
    'a meeting nobody asked about only remembers where its recordings were seen',
    () => {
      const h = meeting();
      const receipt = h.receive(update('r1', 'RECORDING'), d('a'), T0);
      assert.deepEqual(receipt, { verdict: 'applied', effect: { tell: false, persist: true, read: 'none' } });
      assert.equal(h.placed('r1'), true);
      assert.equal(h.placed('r9'), false);
      assert.equal(h.recording, null);
    },
  ],
  [
    'a watched meeting merges webhooks about its recording, places others by invoked_time, else needs one list read',
    () => {
      const h = meeting();
      h.answered(list([rec('r1', 'RECORDING')]), T0);
      const same = h.receive(update('r1', 'UPLOADING'), d('a'), T0);
      assert.equal(same.effect?.tell, true);
      const known = h.receive(update('r2', 'INVOKED'), d('b'), T0, rec('r2', 'INVOKED', '2026-11-20T11:00:00Z'));
      assert.deepEqual([known.effect?.tell, known.effect?.read], [true, 'none']);
      assert.equal(h.recording?.id, 'r2');
      const unplaced = h.receive(update('r3', 'INVOKED'), d('c'), T0);
      assert.deepEqual([unplaced.effect?.tell, unplaced.effect?.read], [false, 'read']);
    },
  ],
  [
    'a recording a list read showed to be older is not read for again (replays cannot drain the budget)',
    () => {
      const h = meeting();
      h.answered(list([rec('new', 'RECORDING', '2026-11-20T12:00:00Z')]), T0);
      const first = h.receive(update('old', 'PAUSED'), d('a'), T0);
      assert.equal(first.effect?.read, 'read');
      h.answered(list([rec('new', 'RECORDING', '2026-11-20T12:00:00Z')]), T0 + 100);
      for (let i = 0; i < 5; i++) {
        const again = h.receive(update('old', i % 2 ? 'PAUSED' : 'RECORDING'), d(`r${i}`), T0 + 200);
        assert.equal(again.effect?.read, 'none');
      }
      assert.equal(h.recording?.id, 'new');
    },
  ],
  [
    "an active-recording answer places the recording in the meeting; its 404 says so in RealtimeKit's words",
    () => {
      const h = meeting();
      const none = h.activeAnswered(failure('not-found')).result;
      assert.equal(!none.ok && none.message, 'No active recording found for this meeting');
      const { result, effect } = h.activeAnswered(one(rec('r5', 'RECORDING')));
      assert.deepEqual([result.ok, effect.persist, h.placed('r5')], [true, true, true]);
    },
  ],
  [
    'watched and quiet for 30 s: reconcile; nothing new doubles the wait (to 8 min), a change resets it',
    () => {
      const h = recording();
      h.answered(one(rec('r1', 'RECORDING')), T0);
      assert.equal(h.nextCheckAt(T0, true), T0 + RECONCILE_MS);
      assert.equal(h.due(T0 + RECONCILE_MS - 1, true), 'none');
      const delays = [];
      let now = T0 + RECONCILE_MS;
      for (let i = 0; i < 6; i++) {
        assert.equal(h.due(now, true), 'reconcile');
        const seq = h.seq;
        h.answered(one(rec('r1', 'RECORDING'), now), now);
        h.reconciled(seq);
        const next = h.nextCheckAt(now, true);
        delays.push((next - now) / 1000);
        now = next;
      }
      assert.deepEqual(delays, [60, 120, 240, 480, 480, 480]);
      const seq = h.seq;
      h.answered(one(rec('r1', 'PAUSED'), now), now);
      h.reconciled(seq);
      assert.equal(h.nextCheckAt(now, true) - now, RECONCILE_MS);
    },
  ],
  [
    'a webhook within the window means no reconciliation; a finished recording is never reconciled',
    () => {
      const h = recording();
      h.answered(one(rec('r1', 'RECORDING')), T0);
      h.receive(update('r1', 'PAUSED'), d('a'), T0 + 25_000);
      assert.equal(h.due(T0 + RECONCILE_MS, true), 'none');
      h.receive(update('r1', 'UPLOADED'), d('b'), T0 + 30_000);
      assert.equal(h.finished, true);
      assert.equal(h.due(T0 + 10 * RECONCILE_MS, true), 'none');
    },
  ],
  [
    'nobody watching: forgotten soon when upstream does not know it, after a day unsettled, a week settled',
    () => {
      const unknown = recording();
      unknown.answered(failure('not-found'), T0);
      const unsettled = recording();
      unsettled.answered(one(rec('r1', 'RECORDING')), T0);
      const settled = recording();
      settled.answered(one(rec('r1', 'UPLOADED')), T0);
      const webhookOnly = meeting();
      webhookOnly.receive(update('r1', 'RECORDING'), d('a'), T0);
      for (const [hub, retain] of /** @type {[any, number][]} */ ([
        [unknown, RETAIN_UNKNOWN_MS],
        [unsettled, RETAIN_UNSETTLED_MS],
        [settled, RETAIN_SETTLED_MS],
        [webhookOnly, RETAIN_UNSETTLED_MS],
      ])) {
        assert.equal(hub.nextCheckAt(T0, false), T0 + retain);
        assert.equal(hub.due(T0 + retain - 1, false), 'none');
        assert.equal(hub.due(T0 + retain, false), 'forget');
      }
      // A viewer leaving counts as activity: retention starts again.
      unsettled.touched(T0 + 1000);
      assert.equal(unsettled.nextCheckAt(T0 + 1000, false), T0 + 1000 + RETAIN_UNSETTLED_MS);
    },
  ],
  [
    'the stored state rebuilds the same target: snapshot, seq, times, deliveries and placements',
    () => {
      const h = meeting();
      h.answered(list([rec('r1', 'RECORDING')]), T0);
      h.receive(update('r1', 'PAUSED'), d('a'), T0 + 1000);
      const again = new TargetHub({ kind: 'meeting', id: 'm1' }, JSON.parse(JSON.stringify(h.state)));
      assert.deepEqual([again.seq, again.recording?.status, again.placed('r1')], [h.seq, 'PAUSED', true]);
      assert.equal(again.receive(update('r1', 'PAUSED'), d('a'), T0 + 2000).effect, null);
      assert.equal(again.cached(T0 + 1500, FRESH)?.ok, true);
      assert.equal(again.nextCheckAt(T0 + 1500, false), h.nextCheckAt(T0 + 1500, false));
    },
  ],
];

describe('server/target-hub', () => {
  for (const [name, rule] of rules) it(name, rule);
});
