// @ts-check
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MAX_BEHIND_BYTES, eventStream } from '../../dist/server/sse.js';
import { FakeClock } from './helpers.mjs';

describe('server/sse', () => {
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
      present: (r) => r,
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
      present: (r) => r,
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
});
