// @ts-check
/** `GET /events` on Node, over real HTTP on 127.0.0.1 with a fake clock: what a stream may cost and when it ends. */
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { createViewerToken } from '../../../dist/server/tokens.js';
import { followsToTheEnd, watch } from '../eventsource.mjs';
import { open } from '../frames.mjs';
import { SECRET, serve as serveOverHttp, settle } from '../helpers.mjs';

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const serve = (/** @type {Parameters<typeof import('../helpers.mjs').setup>[0]} */ options = {}) =>
  serveOverHttp(options, cleanups);

describe('server/routes/event-stream', () => {
  it('HEAD /events answers as GET would, and subscribes no one: no viewer, no timer, no reconciliation', async () => {
    const t = await serve();
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${t.url}/events?recording_id=${r.id}`, {
        method: 'HEAD',
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    }
    await settle();
    assert.equal(t.server.stats().viewers, 0);
    const calls = t.calls.length;
    await t.clock.advance(10 * 60_000);
    assert.equal(t.calls.length, calls, 'a HEAD left a reconciliation running');
    const refused = await fetch(`${t.url}/events?recording_id=${r.id}`, { method: 'HEAD' });
    assert.equal(refused.status, 401);
  });

  it("a stream ends at its token's expiry with a retry:, so the viewer reconnects with a renewed token", async () => {
    const t = await serve();
    // Tokens are minted on the wall clock: the server's clock starts there too.
    t.clock.now_ = Date.now();
    const r = t.start();
    const token = await createViewerToken(SECRET, { recordingId: r.id }, { ttl: 60, download: true });
    const stream = await open(`${t.url}/events?recording_id=${r.id}`, token, AbortSignal.timeout(5000));
    assert.equal((await stream.recording()).status, 'INVOKED');
    await t.clock.advance(45_000);
    assert.equal(await stream.next(), ': keepalive');
    await t.clock.advance(15_000);
    const frames = [];
    for (let frame = await stream.next(); frame !== null; frame = await stream.next()) frames.push(frame);
    assert.match(String(frames.at(-1)), /^retry: \d+$/);
    await settle();
    assert.equal(t.server.stats().viewers, 0);
  });

  it('EventSource: every status once; a reconnect past the terminal event gets 204 and the client stops', async () => {
    const t = await serve();
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    await followsToTheEnd(
      `${t.url}/events?recording_id=${r.id}`,
      async () => token,
      async (status) => {
        assert.equal((await t.post(await t.delivery(r, { status }))).status, 200);
      },
    );
  });

  it('EventSource: a reconnect with Last-Event-ID resumes without resending what the client has seen', async () => {
    const t = await serve();
    t.clock.now_ = Date.now();
    const r = t.start();
    let minted = 0;
    // The first token lives a minute; the widget renews it for the reconnect.
    const tokenOf = () =>
      createViewerToken(SECRET, { recordingId: r.id }, { ttl: minted++ === 0 ? 60 : 600, download: true });
    const viewer = watch(`${t.url}/events?recording_id=${r.id}`, tokenOf);
    try {
      await viewer.until(() => viewer.seen.length === 1);
      await t.clock.advance(60_000);
      // (Meanwhile the hub reconciled: the recording is RECORDING now, pushed before the token ran out.)
      await viewer.until(() => viewer.requests.length === 2 && viewer.source.readyState === viewer.source.OPEN);
      const before = viewer.statuses();
      assert.deepEqual(before, ['INVOKED', 'RECORDING']);
      assert.equal(viewer.requests[1]?.lastEventId, viewer.seen.at(-1)?.id);
      assert.equal((await t.post(await t.delivery(r, { status: 'PAUSED' }))).status, 200);
      await viewer.until(() => viewer.statuses().includes('PAUSED'));
      assert.deepEqual(viewer.statuses(), [...before, 'PAUSED']);
    } finally {
      viewer.source.close();
    }
  });

  it('caps concurrent streams per token, per target and overall: 429 with Retry-After beyond, room again once one ends', async () => {
    const t = await serve({ streams: { perToken: 3, perTarget: 5, total: 7 } });
    const [a, b] = [t.start(), t.start()];
    const tokenA = await t.token({ recordingId: a.id });
    const signal = AbortSignal.timeout(20_000);
    const events = (/** @type {string} */ id, /** @type {string} */ token) =>
      fetch(`${t.url}/events?recording_id=${id}`, { headers: { Authorization: `Bearer ${token}` }, signal });
    const opened = [];
    for (let i = 0; i < 3; i++) opened.push(await events(a.id, tokenA));
    assert.deepEqual(
      opened.map((r) => r.status),
      [200, 200, 200],
    );
    const overToken = await events(a.id, tokenA);
    assert.equal(overToken.status, 429);
    assert.match(overToken.headers.get('Retry-After') ?? '', /^\d+$/);
    assert.match(/** @type {any} */ (await overToken.json()).error.message, /streams/);
    // Other tokens for the same recording: up to five streams on it.
    const others = [];
    // (Tokens of the same target, rights and second are the same string: a ttl of its own makes each another.)
    const another = (/** @type {string} */ id, /** @type {number} */ n) =>
      createViewerToken(SECRET, { recordingId: id }, { ttl: 300 + n });
    for (let i = 0; i < 2; i++) others.push(await events(a.id, await another(a.id, i + 1)));
    assert.deepEqual(
      others.map((r) => r.status),
      [200, 200],
    );
    assert.equal((await events(a.id, await another(a.id, 3))).status, 429);
    // Another recording: up to seven streams in all.
    const tokenB = await t.token({ recordingId: b.id });
    assert.equal((await events(b.id, tokenB)).status, 200);
    assert.equal((await events(b.id, tokenB)).status, 200);
    assert.equal((await events(b.id, tokenB)).status, 429);
    // A stream that ends makes room again.
    await /** @type {Response} */ (opened[0]).body?.cancel();
    for (let i = 0; i < 50 && t.server.stats().viewers > 6; i++) await settle();
    assert.equal((await events(a.id, tokenA)).status, 200);
    assert.equal((await events(b.id, await another(b.id, 4))).status, 429);
    assert.equal(t.server.stats().viewers, 7);
  });

  it('one token spelled eight ways (padding, the unused bits of its last character) still holds only its cap of streams', async () => {
    const t = await serve({ streams: { perToken: 2, perTarget: 100, total: 100 } });
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    const signal = AbortSignal.timeout(20_000);
    const events = (/** @type {string} */ spelled) =>
      fetch(`${t.url}/events?recording_id=${r.id}`, { headers: { Authorization: `Bearer ${spelled}` }, signal });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const spellings = [0, 1, 2, 3].flatMap((bits) => {
      const spelled = token.slice(0, -1) + alphabet[(last & ~3) | bits];
      return [spelled, `${spelled}=`];
    });
    assert.equal(new Set(spellings).size, 8);
    assert.ok(spellings.includes(token));
    assert.equal((await events(token)).status, 200);
    assert.equal((await events(token)).status, 200);
    const others = await Promise.all(spellings.filter((s) => s !== token).map((s) => events(s)));
    assert.deepEqual(
      others.map((res) => res.status),
      [401, 401, 401, 401, 401, 401, 401],
    );
    assert.equal(t.server.stats().viewers, 2);
  });

  it('hole 4: one signed-in user cannot hold a recording: tokens count per subject, and a subject has a cap of its own', async () => {
    const t = await serve({
      streams: { perToken: 3, perSubject: 5, perTarget: 100, total: 100 },
      authorize: (request) => ({ subject: request.headers.get('x-user') ?? 'nobody' }),
    });
    const [a, b] = [t.start(), t.start()];
    const signal = AbortSignal.timeout(20_000);
    const mint = async (/** @type {string} */ user, /** @type {string} */ id) => {
      const res = await fetch(`${t.url}/token?recording_id=${id}`, { headers: { 'x-user': user }, signal });
      return /** @type {any} */ (await res.json()).token;
    };
    const events = async (/** @type {string} */ user, /** @type {string} */ id) => {
      const res = await fetch(`${t.url}/events?recording_id=${id}`, {
        headers: { Authorization: `Bearer ${await mint(user, id)}` },
        signal,
      });
      if (res.status !== 200) await res.arrayBuffer();
      return res.status;
    };
    // Each stream on its own token, as /token gives them: one user, one recording, three at most.
    const onA = [];
    for (let i = 0; i < 4; i++) onA.push(await events('mallory', a.id));
    assert.deepEqual(onA, [200, 200, 200, 429]);
    // Another recording: the user's five in all.
    const onB = [];
    for (let i = 0; i < 3; i++) onB.push(await events('mallory', b.id));
    assert.deepEqual(onB, [200, 200, 429]);
    // Everyone else still gets in.
    assert.equal(await events('alice', a.id), 200);
    assert.equal(t.server.stats().viewers, 6);
  });
});
