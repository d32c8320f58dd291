// @ts-check
/** The in-memory hub through the Hub interface, the one the Durable Object hub will implement too. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../dist/server/budget.js';
import { MemoryHub } from '../../dist/server/hub.js';
import { Upstream } from '../../dist/server/upstream.js';
import { FakeClock } from './helpers.mjs';

/** A hub over a scripted upstream: `answers` maps a path prefix to the body RealtimeKit returns. */
function setup() {
  const clock = new FakeClock();
  /** @type {string[]} */
  const calls = [];
  /** @type {Map<string, unknown>} */
  const answers = new Map();
  const upstream = new Upstream({
    base: 'https://rtk.example',
    apiToken: 't',
    clock,
    budget: new TokenBucket(900, clock),
    freshFor: 2000,
    fetch: async (input) => {
      const path = input.slice('https://rtk.example'.length);
      calls.push(path);
      for (const [prefix, body] of answers) if (path.startsWith(prefix)) return new Response(JSON.stringify(body));
      return new Response('{"success":false,"error":{"code":404,"message":"no"}}', { status: 404 });
    },
  });
  const hub = new MemoryHub({ upstream, clock, freshFor: 2000 });
  return { clock, calls, answers, hub };
}

const rec = (/** @type {string} */ id, /** @type {string} */ status, extra = {}) => ({
  id,
  status,
  invoked_time: '2026-11-20T10:00:00Z',
  storage_config: { secret: 'bucket-key' },
  ...extra,
});
/** A delivery with its own uuid and body digest. */
const delivery = (/** @type {string} */ uuid) => ({ uuid, digest: `digest-${uuid}` });
const update = (/** @type {string} */ id, /** @type {string} */ status, meetingId = 'm1') => ({
  id,
  status: /** @type {any} */ (status),
  meetingId,
  fields: { meeting_id: meetingId },
});

describe('server/hub', () => {
  it('follow: the snapshot, then every change, in order, with nothing lost between the two', async () => {
    const t = setup();
    t.answers.set('/recordings/r1', { success: true, data: rec('r1', 'INVOKED') });
    /** @type {string[]} */
    const seen = [];
    // seq starts at the moment the hub first knew the target, so ids grow across restarts too.
    const origin = t.clock.now();
    const following = await t.hub.follow({ kind: 'recording', id: 'r1' }, (e) =>
      seen.push(`${e.seq - origin}:${e.recording?.status}`),
    );
    assert.ok(following.ok);
    assert.deepEqual([following.initial.seq - origin, following.initial.recording?.status], [1, 'INVOKED']);
    assert.equal('storage_config' in /** @type {object} */ (following.initial.recording), false);
    await t.hub.receive(update('r1', 'RECORDING'), delivery('d1'));
    await t.hub.receive(update('r1', 'PAUSED'), delivery('d2'));
    following.stop();
    await t.hub.receive(update('r1', 'RECORDING'), delivery('d3'));
    assert.deepEqual(seen, ['2:RECORDING', '3:PAUSED']);
  });

  it('viewers joining a watched target one by one, however slowly, cost one upstream read, not one each', async () => {
    const t = setup();
    t.answers.set('/recordings/r1', { success: true, data: rec('r1', 'RECORDING') });
    const target = /** @type {const} */ ({ kind: 'recording', id: 'r1' });
    const followings = [];
    // A viewer every 5 s (past freshFor each time) for 25 s: before the first reconciliation, no webhook at all.
    for (let i = 0; i < 6; i++) {
      if (i > 0) await t.clock.advance(5000);
      const following = await t.hub.follow(target, () => undefined);
      assert.ok(following.ok);
      followings.push(following);
      const read = await t.hub.read(target);
      assert.equal(read.ok && read.recording?.status, 'RECORDING');
    }
    assert.deepEqual(t.calls, ['/recordings/r1']);
    // Nobody watching any more: a read past freshFor asks upstream again.
    for (const following of followings) following.stop();
    await t.hub.read(target);
    assert.equal(t.calls.length, 2);
  });

  it('receive: a repeated delivery id is a duplicate with no effect; later statuses never go back', async () => {
    const t = setup();
    assert.equal(await t.hub.receive(update('r1', 'UPLOADING'), delivery('d1')), 'applied');
    assert.equal(await t.hub.receive(update('r1', 'UPLOADED'), delivery('d1')), 'duplicate');
    assert.equal(await t.hub.receive(update('r1', 'RECORDING'), delivery('d2')), 'applied');
    t.answers.set('/recordings/r1', { success: true, data: rec('r1', 'INVOKED') });
    const read = await t.hub.read({ kind: 'recording', id: 'r1' });
    assert.equal(read.ok && read.recording?.status, 'UPLOADING');
  });

  it('pause, resume, pause, resume in quick succession with byte-identical bodies: the viewer ends on the last, at most 5 s late', async () => {
    const t = setup();
    const body = (/** @type {string} */ status) => `digest-of-the-${status}-body`;
    t.answers.set('/recordings/r1', { success: true, data: rec('r1', 'RECORDING') });
    /** @type {(string | undefined)[]} */
    const seen = [];
    const following = await t.hub.follow({ kind: 'recording', id: 'r1' }, (e) => seen.push(e.recording?.status));
    assert.ok(following.ok);
    const walk = /** @type {const} */ (['PAUSED', 'RECORDING', 'PAUSED', 'RECORDING']);
    for (const [i, status] of walk.entries()) {
      // RealtimeKit moves first, then tells: a read at any moment sees where it is.
      t.answers.set('/recordings/r1', { success: true, data: rec('r1', status) });
      await t.hub.receive(update('r1', status), { uuid: `u${i}`, digest: body(status) });
      await t.clock.advance(100);
    }
    // The third body repeats the first: RealtimeKit was asked at once. The fourth repeats the second inside the
    // 5 s window: owed a check when it ends, not dropped.
    assert.deepEqual(seen, ['PAUSED', 'RECORDING', 'PAUSED']);
    await t.clock.advance(5000);
    assert.deepEqual(seen, ['PAUSED', 'RECORDING', 'PAUSED', 'RECORDING']);
    assert.equal(t.calls.length, 3, 'the first read, the check at once, the owed check');
    following.stop();
  });

  it('a webhook for a recording not yet placed in a watched meeting causes one shared list read', async () => {
    const t = setup();
    t.answers.set('/recordings?meeting_id=m1', { success: true, data: [] });
    /** @type {unknown[]} */
    const seen = [];
    const following = await t.hub.follow({ kind: 'meeting', id: 'm1' }, (e) => seen.push(e.recording?.id));
    assert.ok(following.ok);
    assert.equal(following.initial.recording, null);
    t.answers.set('/recordings?meeting_id=m1', {
      success: true,
      data: [rec('r2', 'INVOKED', { invoked_time: '2026-11-20T11:00:00Z' })],
    });
    t.calls.length = 0;
    await Promise.all([
      t.hub.receive(update('r2', 'INVOKED'), delivery('a')),
      t.hub.receive(update('r2', 'INVOKED'), delivery('b')),
    ]);
    await t.clock.advance(0);
    assert.equal(t.calls.filter((c) => c.startsWith('/recordings?meeting_id=m1')).length, 1);
    assert.deepEqual(seen, ['r2']);
    assert.equal(await t.hub.inMeeting('r2', 'm1'), true);
    assert.equal(await t.hub.inMeeting('r2', 'm2'), false);
    following.stop();
  });

  it('active: the meeting’s active recording, placed in the meeting; 404 in the envelope’s words', async () => {
    const t = setup();
    const none = await t.hub.active('m1');
    assert.deepEqual(!none.ok && [none.status, none.message], [404, 'No active recording found for this meeting']);
    t.answers.set('/recordings/active-recording/m1', { success: true, data: rec('r3', 'RECORDING') });
    // A 404 is an answer too, reused for freshFor like any other.
    const again = await t.hub.active('m1');
    assert.equal(again.ok, false);
    await t.clock.advance(2000);
    const active = await t.hub.active('m1');
    assert.equal(active.ok && active.recording?.id, 'r3');
    assert.equal(await t.hub.inMeeting('r3', 'm1'), true);
  });

  it('a failed first read is the failure, not a feed', async () => {
    const t = setup();
    const following = await t.hub.follow({ kind: 'recording', id: 'gone' }, () => undefined);
    assert.deepEqual(!following.ok && [following.kind, following.status], ['not-found', 404]);
  });

  it('reconciles a watched, quiet target less often while nothing changes, and at 30 s again after a change', async () => {
    const t = setup();
    t.answers.set('/recordings/r', { success: true, data: rec('r', 'RECORDING') });
    const following = await t.hub.follow({ kind: 'recording', id: 'r' }, () => undefined);
    assert.equal(following.ok, true);
    /** Seconds (from the first read) at which upstream was asked. */
    const at = () => t.calls.length;
    const times = [];
    const start = t.clock.now();
    for (let s = 0; s <= 1500; s += 5) {
      const before = at();
      await t.clock.advance(5000);
      if (at() > before) times.push((t.clock.now() - start) / 1000);
    }
    assert.deepEqual(times, [30, 90, 210, 450, 930, 1410]);
    // Something changed: back to every 30 s.
    t.answers.set('/recordings/r', { success: true, data: rec('r', 'PAUSED') });
    const from = t.clock.now();
    const after = [];
    for (let s = 0; s < 600; s += 5) {
      const before = at();
      await t.clock.advance(5000);
      if (at() > before) after.push((t.clock.now() - from) / 1000);
    }
    assert.equal(Number(after[1]) - Number(after[0]), 30);
    if (following.ok) following.stop();
  });
});
