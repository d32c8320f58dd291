// @ts-check
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KEEPALIVE_MS,
  MAX_BEHIND_BYTES,
  RECONNECT_SPREAD_MS,
  RETRY_MS,
  eventStream,
  openFeed,
} from '../../../dist/server/feed/feed.js';
import { eventFrame } from '../../../dist/server/encoded.js';
import { FakeClock } from '../helpers.mjs';

/** @param {{ seq: number, recording: any }} event */
const testFrame = (event) => eventFrame(event, true);

describe('server/feed/feed', () => {
  it('when its hub goes away, each stream ends with its own retry: the reconnects spread over 30 s', async () => {
    const clock = new FakeClock();
    /** @type {(() => void)[]} */
    const ends = [];
    let seed = 1;
    const streams = Array.from({ length: 200 }, () =>
      eventStream({
        clock,
        initial: { seq: 1, recording: null },
        subscribe: (_, end) => {
          ends.push(end);
          return () => undefined;
        },
        frame: testFrame,
        endOnTerminal: false,
        // A seeded generator: the same spread every run.
        random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
      }),
    );
    for (const end of ends) end();
    const retries = await Promise.all(
      streams.map(async (stream) => {
        const text = await new Response(stream).text();
        return Number(/retry: (\d+)\n\n$/.exec(text)?.[1]);
      }),
    );
    assert.ok(retries.every((ms) => ms >= RETRY_MS && ms < RETRY_MS + RECONNECT_SPREAD_MS));
    // Spread, not a spike: every 3 s slice of the window gets some, none gets more than a quarter.
    const slices = new Array(10).fill(0);
    for (const ms of retries) slices[Math.floor((ms - RETRY_MS) / (RECONNECT_SPREAD_MS / 10))]++;
    assert.ok(
      slices.every((n) => n > 0 && n < 50),
      slices.join(' '),
    );
    assert.equal(clock.timers.size, 0);
  });

  it('drops a viewer that never reads once it falls 64 KB behind, and unsubscribes it', async () => {
    const clock = new FakeClock();
    /** @type {((event: { seq: number, recording: any }) => void) | null} */
    let listener = null;
    let unsubscribed = 0;
    let closed = 0;
    const stream = eventStream({
      clock,
      initial: { seq: 0, recording: null },
      subscribe: (l) => {
        listener = l;
        return () => unsubscribed++;
      },
      frame: testFrame,
      endOnTerminal: true,
      onClose: () => closed++,
    });
    const big = { id: 'r', status: 'RECORDING', output_file_name: 'x'.repeat(4096) };
    let sent = 0;
    for (let seq = 1; seq <= 100 && unsubscribed === 0; seq++) {
      /** @type {any} */ (listener)({ seq, recording: big });
      sent++;
    }
    assert.equal(unsubscribed, 1);
    assert.equal(closed, 1);
    assert.ok(sent * 4096 > MAX_BEHIND_BYTES && sent < 30, `dropped after ${sent} events`);
    assert.equal(clock.timers.size, 0);
    // Whatever it had queued is gone with it: its reader learns why.
    await assert.rejects(stream.getReader().read(), /fell too far behind/);
  });

  it('ignores events it has already sent (seq not above the last)', async () => {
    const clock = new FakeClock();
    /** @type {any} */
    let listener = null;
    const stream = eventStream({
      clock,
      initial: { seq: 5, recording: null },
      subscribe: (l) => {
        listener = l;
        return () => undefined;
      },
      frame: testFrame,
      endOnTerminal: false,
    });
    listener({ seq: 5, recording: { id: 'x', status: 'RECORDING' } });
    listener({ seq: 6, recording: { id: 'x', status: 'RECORDING' } });
    const reader = stream.getReader();
    const text =
      new TextDecoder().decode((await reader.read()).value) + new TextDecoder().decode((await reader.read()).value);
    assert.deepEqual(text.match(/^id: \d+$/gm), ['id: 5', 'id: 6']);
    await reader.cancel();
    assert.equal(clock.timers.size, 0);
  });

  it('drops a viewer that stops reading after a minute of keepalives, not after thousands of them', async () => {
    const clock = new FakeClock();
    let unsubscribed = 0;
    const stream = eventStream({
      clock,
      initial: { seq: 1, recording: /** @type {any} */ ({ id: 'r', status: 'RECORDING' }) },
      subscribe: () => () => unsubscribed++,
      frame: testFrame,
      endOnTerminal: true,
    });
    // Nobody reads: each keepalive finds the last one still queued.
    await clock.advance(5 * KEEPALIVE_MS);
    assert.equal(unsubscribed, 1);
    assert.equal(clock.timers.size, 0);
    await assert.rejects(stream.getReader().read(), /stopped reading/);
  });

  it('one keepalive tick for all the viewers on a clock, not a timer each; a stalled one is dropped, the rest go on', async () => {
    const clock = new FakeClock();
    let unsubscribed = 0;
    const open = () =>
      eventStream({
        clock,
        initial: { seq: 1, recording: null },
        subscribe: () => () => unsubscribed++,
        frame: testFrame,
        endOnTerminal: false,
      });
    const readers = Array.from({ length: 50 }, () => open().getReader());
    const stalled = open();
    assert.equal(clock.timers.size, 1);
    for (const reader of readers) await reader.read();
    for (let i = 0; i < 5; i++) {
      await clock.advance(KEEPALIVE_MS);
      for (const reader of readers) {
        assert.equal(new TextDecoder().decode((await reader.read()).value), ': keepalive\n\n');
      }
      assert.equal(clock.timers.size, 1);
    }
    // The one that never read fell a minute behind and is gone; the 50 readers are not.
    assert.equal(unsubscribed, 1);
    await assert.rejects(stalled.getReader().read(), /stopped reading/);
    for (const reader of readers) await reader.cancel();
    // The tick holds open streams only: with none left, no timer either.
    assert.equal(unsubscribed, 51);
    assert.equal(clock.timers.size, 0);
  });

  it('a viewer that reads keeps its stream however long it lasts', async () => {
    const clock = new FakeClock();
    let unsubscribed = 0;
    const stream = eventStream({
      clock,
      initial: { seq: 1, recording: null },
      subscribe: () => () => unsubscribed++,
      frame: testFrame,
      endOnTerminal: false,
    });
    const reader = stream.getReader();
    await reader.read();
    for (let i = 0; i < 20; i++) {
      await clock.advance(KEEPALIVE_MS);
      assert.equal(new TextDecoder().decode((await reader.read()).value), ': keepalive\n\n');
    }
    assert.equal(unsubscribed, 0);
    await reader.cancel();
  });

  for (const [status, ends] of /** @type {[string, boolean][]} */ ([
    ['UPLOADED', true],
    ['ERRORED', true],
    ['UPLOADING', false],
  ])) {
    it(`a recording stream ${ends ? 'ends after' : 'goes on after'} ${status}; a meeting stream goes on`, async () => {
      for (const endOnTerminal of [true, false]) {
        const clock = new FakeClock();
        /** @type {any} */
        let listener = null;
        let unsubscribed = 0;
        const stream = eventStream({
          clock,
          initial: { seq: 1, recording: /** @type {any} */ ({ id: 'r', status: 'RECORDING' }) },
          subscribe: (l) => {
            listener = l;
            return () => unsubscribed++;
          },
          frame: testFrame,
          endOnTerminal,
        });
        const reader = stream.getReader();
        await reader.read();
        listener({ seq: 2, recording: { id: 'r', status } });
        assert.match(new TextDecoder().decode((await reader.read()).value), new RegExp(`"status":"${status}"`));
        const shouldEnd = ends && endOnTerminal;
        assert.equal(unsubscribed, shouldEnd ? 1 : 0, `${status}, endOnTerminal ${endOnTerminal}`);
        if (shouldEnd) assert.equal((await reader.read()).done, true);
        else await reader.cancel();
        assert.equal(clock.timers.size, 0);
      }
    });
  }
  it("a feed into a sink that keeps its own buffer (Node's response): writes, ends, and drops by what the sink holds", async () => {
    /** A sink like Node's response: what it was given, what it still holds, how it ended. */
    const sink = () => {
      const s = {
        /** @type {string[]} */ written: [],
        queued: 0,
        /** @type {string | null} */ ended: null,
        write: (/** @type {Uint8Array} */ bytes) => s.written.push(new TextDecoder().decode(bytes)),
        close: () => (s.ended = 'closed'),
        fail: (/** @type {string} */ why) => (s.ended = why),
      };
      return s;
    };
    const clock = new FakeClock();
    /** @type {any} */
    let listener = null;
    let unsubscribed = 0;
    const feed = (/** @type {ReturnType<typeof sink>} */ into) =>
      openFeed(
        {
          clock,
          initial: { seq: 1, recording: /** @type {any} */ ({ id: 'r', status: 'RECORDING' }) },
          subscribe: (l) => {
            listener = l;
            return () => unsubscribed++;
          },
          frame: testFrame,
          endOnTerminal: true,
        },
        into,
      );

    // A recording's feed: the snapshot with the retry line, a change, then the end after a terminal event.
    const reading = sink();
    feed(reading);
    assert.match(reading.written[0] ?? '', /^retry: 3000\nevent: recording\nid: 1\n/);
    listener({ seq: 2, recording: { id: 'r', status: 'UPLOADED' } });
    assert.match(reading.written[1] ?? '', /"status":"UPLOADED"/);
    assert.equal(reading.ended, 'closed');
    assert.equal(unsubscribed, 1);

    // The client goes first: the returned cancel lets go of everything, once.
    const gone = sink();
    const cancel = feed(gone);
    cancel();
    cancel();
    assert.equal(unsubscribed, 2);
    assert.equal(clock.timers.size, 0);

    // Its buffer past 64 KiB behind (beyond the 16 KiB it may hold): dropped, nothing more written.
    const behind = sink();
    feed(behind);
    behind.queued = 16 * 1024 + MAX_BEHIND_BYTES;
    listener({ seq: 3, recording: { id: 'r', status: 'PAUSED' } });
    assert.equal(behind.ended, null, 'at the limit it still gets the event');
    behind.queued += 1;
    listener({ seq: 4, recording: { id: 'r', status: 'RECORDING' } });
    assert.equal(behind.ended, 'The viewer fell too far behind.');
    assert.equal(behind.written.length, 2);
    assert.equal(unsubscribed, 3);

    // Anything held at each keepalive for a minute: dropped as stalled.
    const stalled = sink();
    feed(stalled);
    stalled.queued = 1;
    await clock.advance(4 * KEEPALIVE_MS);
    assert.equal(stalled.ended, 'The viewer stopped reading.');
    assert.equal(unsubscribed, 4);
    assert.equal(clock.timers.size, 0);
  });
  it('changes handed over while subscribing (a feed that opens late) come after the snapshot; a terminal one ends it, unsubscribed', async () => {
    for (const status of ['PAUSED', 'UPLOADED']) {
      const clock = new FakeClock();
      let unsubscribed = 0;
      const stream = eventStream({
        clock,
        initial: { seq: 4, recording: /** @type {any} */ ({ id: 'r', status: 'RECORDING' }) },
        subscribe: (listener) => {
          // As the events route does for a feed the Node glue opens a few turns after the hub answered.
          listener({ seq: 3, recording: /** @type {any} */ ({ id: 'r', status: 'INVOKED' }) });
          listener({ seq: 5, recording: /** @type {any} */ ({ id: 'r', status }) });
          return () => unsubscribed++;
        },
        frame: testFrame,
        endOnTerminal: true,
      });
      const text = await new Response(
        stream.pipeThrough(
          new TransformStream({
            transform(chunk, controller) {
              controller.enqueue(chunk);
              // A meeting of PAUSED goes on: stop reading after its second frame.
              if (new TextDecoder().decode(chunk).includes('PAUSED')) controller.terminate();
            },
          }),
        ),
      ).text();
      assert.deepEqual(text.match(/^id: \d+$/gm), ['id: 4', 'id: 5'], status);
      assert.equal(unsubscribed, 1, `${status}: let go once`);
      assert.equal(clock.timers.size, 0);
    }
  });
});
