// @ts-check
/** Over real HTTP on 127.0.0.1: the Node adapter, Server-Sent Events, and webhooks turned into pushes. */
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { open } from '../server/frames.mjs';
import { serve as serveOverHttp, settle } from '../server/helpers.mjs';

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const serve = (/** @type {Parameters<typeof import('../server/helpers.mjs').setup>[0]} */ options = {}) =>
  serveOverHttp(options, cleanups);

describe('server over HTTP', () => {
  it('answers /events as text/event-stream: retry, then the snapshot as event recording with its seq', async () => {
    const t = await serve();
    assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = t.start();
    const stream = await open(`${t.url}/events?recording_id=${r.id}`, await t.token({ recordingId: r.id }));
    assert.equal(stream.response.status, 200);
    assert.match(stream.response.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    const first = await stream.next();
    const lines = (first ?? '').split('\n');
    assert.deepEqual(lines.slice(0, 2), ['retry: 3000', 'event: recording']);
    // The id is the snapshot's seq: it counts up from the moment the hub first knew the target.
    assert.match(lines[2] ?? '', /^id: \d+$/);
    assert.equal(JSON.parse((lines[3] ?? '').slice('data: '.length)).status, 'INVOKED');
    await stream.reader.cancel();
  });

  it('a signed webhook reaches every viewer at once, for one upstream request for the lot; the stream ends after a terminal event', async () => {
    const t = await serve();
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    const viewers = await Promise.all(
      Array.from({ length: 20 }, () => open(`${t.url}/events?recording_id=${r.id}`, token)),
    );
    for (const v of viewers) assert.equal((await v.recording()).status, 'INVOKED');
    assert.equal(t.calls.length, 1);
    assert.equal(t.server.stats().viewers, 20);

    await t.clock.advance(3000);
    t.simulator.tick();
    assert.equal((await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(r)) })).status, 200);
    for (const v of viewers) assert.equal((await v.recording()).status, 'RECORDING');

    t.simulator.control(r.id, 'stop');
    await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(r)) });
    await t.clock.advance(8000);
    t.simulator.tick();
    await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(r)) });
    for (const v of viewers) {
      assert.equal((await v.recording()).status, 'UPLOADING');
      assert.equal((await v.recording()).status, 'UPLOADED');
      assert.equal(await v.next(), null);
    }
    assert.equal(t.calls.length, 1);
    await settle();
    assert.equal(t.server.stats().viewers, 0);
  });

  it('a meeting stream stays open and follows the meeting’s next recording', async () => {
    const t = await serve();
    const token = await t.token({ meetingId: t.meeting.id });
    const stream = await open(`${t.url}/events?meeting_id=${t.meeting.id}`, token);
    assert.equal(await stream.recording(), null);
    const first = t.start();
    // The webhook carries no invoked_time: the server places the recording with one list read.
    await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(first)) });
    assert.equal((await stream.recording()).id, first.id);
    t.simulator.control(first.id, 'fail');
    await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(first)) });
    assert.equal((await stream.recording()).status, 'ERRORED');
    await t.clock.advance(60_000);
    const second = t.start();
    await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(second)) });
    const next = await stream.recording();
    assert.deepEqual([next.id, next.status], [second.id, 'INVOKED']);
    await stream.reader.cancel();
  });

  it('sends a keepalive comment every 15 s and nothing else; reconciles a quiet target every 30 s while watched', async () => {
    const t = await serve();
    const r = t.start();
    const stream = await open(`${t.url}/events?recording_id=${r.id}`, await t.token({ recordingId: r.id }));
    await stream.next();
    await t.clock.advance(15_000);
    assert.equal(await stream.next(), ': keepalive');
    // No webhook for 30 s: the hub asks upstream itself, and the change it finds is pushed.
    await t.clock.advance(15_000);
    const frames = [await stream.next(), await stream.next()];
    assert.ok(frames.includes(': keepalive'));
    assert.ok(frames.some((f) => f?.includes('"status":"RECORDING"')));
    assert.equal(t.calls.length, 2);
    await stream.reader.cancel();
    await settle();
    // Nobody watching: no timer asks upstream any more.
    await t.clock.advance(120_000);
    assert.equal(t.calls.length, 2);
  });

  it('a viewer that goes away is dropped with its subscription', async () => {
    const t = await serve();
    const r = t.start();
    const abort = new AbortController();
    const stream = await open(
      `${t.url}/events?recording_id=${r.id}`,
      await t.token({ recordingId: r.id }),
      abort.signal,
    );
    await stream.next();
    assert.equal(t.server.stats().viewers, 1);
    abort.abort();
    for (let i = 0; i < 50 && t.server.stats().viewers > 0; i++) await settle();
    assert.equal(t.server.stats().viewers, 0);
  });

  it('a failed first read answers the HTTP error with the envelope, not a stream', async () => {
    const t = await serve();
    const res = await fetch(`${t.url}/events?recording_id=nope`, {
      headers: { Authorization: `Bearer ${await t.token({ recordingId: 'nope' })}` },
    });
    assert.equal(res.status, 404);
    assert.equal(/** @type {any} */ (await res.json()).success, false);
    const unauthorised = await fetch(`${t.url}/events?recording_id=nope`);
    assert.equal(unauthorised.status, 401);
  });
});
