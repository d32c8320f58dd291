// @ts-check
/**
 * The Worker's side of the hubs, with the Durable Objects played by fakes: what a viewer's stream does when
 * its hub goes away (a restart, an eviction, a deploy), which workerd cannot be made to do on demand.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RemoteHub } from '../../../dist/server/cloudflare/remote-hub.js';
import { recordingRoutes, webhookCounters } from '../../../dist/server/routes/index.js';
import { createViewerToken } from '../../../dist/server/tokens.js';
import { RECONNECT_SPREAD_MS, RETRY_MS } from '../../../dist/server/feed/feed.js';
import { FakeClock, settle } from '../helpers.mjs';

const SECRET = 'remote-hub-test-secret-of-enough-length-0001';

/** A hub socket as the Worker sees it: the test sends its messages and closes it. */
class FakeSocket {
  /** @type {Map<string, ((event: { data: unknown }) => void)[]>} */
  listeners = new Map();
  closedBy = /** @type {string | null} */ (null);
  accepted = false;
  accept() {
    this.accepted = true;
  }
  send() {
    throw new Error('the Worker sends nothing to a hub');
  }
  close() {
    this.closedBy = 'worker';
  }
  addEventListener(/** @type {string} */ type, /** @type {(event: { data: unknown }) => void} */ listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(/** @type {string} */ type, /** @type {unknown} */ data = undefined) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

/** Bindings whose hubs answer /follow with a fake socket (and the snapshot once the test says so). */
function fakeBindings() {
  /** @type {FakeSocket[]} */
  const sockets = [];
  const stub = {
    fetch: async (/** @type {Request} */ request) => {
      if (new URL(request.url).pathname !== '/follow') throw new Error('not in this test');
      const socket = new FakeSocket();
      sockets.push(socket);
      // As workerd does: messages are dispatched after the caller has accepted the socket.
      setImmediate(() =>
        socket.emit('message', JSON.stringify({ seq: 3, recording: { id: 'r', status: 'RECORDING' } })),
      );
      return /** @type {any} */ ({ ok: false, status: 101, webSocket: socket });
    },
  };
  const namespace = { getByName: () => stub };
  return { sockets, bindings: { RECORDING_HUB: namespace, UPSTREAM_BUDGET: namespace } };
}

describe('server/cloudflare/remote-hub', () => {
  it('follows a hub over its socket: the first message is the snapshot, later ones are changes, a close ends it', async () => {
    const { sockets, bindings } = fakeBindings();
    const hub = new RemoteHub(/** @type {any} */ (bindings));
    /** @type {unknown[]} */
    const seen = [];
    let ended = 0;
    const following = await hub.follow(
      { kind: 'recording', id: 'r' },
      (e) => seen.push(e),
      () => ended++,
    );
    assert.equal(following.ok, true);
    if (!following.ok) return;
    assert.equal(/** @type {FakeSocket} */ (sockets[0]).accepted, true);
    assert.deepEqual(following.initial, { seq: 3, recording: { id: 'r', status: 'RECORDING' } });
    const socket = /** @type {FakeSocket} */ (sockets[0]);
    socket.emit('message', JSON.stringify({ seq: 4, recording: { id: 'r', status: 'PAUSED' } }));
    socket.emit('message', 'not json');
    assert.equal(seen.length, 1);
    socket.emit('close');
    socket.emit('close');
    assert.equal(ended, 1);
    // Ended by the hub: stopping it afterwards changes nothing.
    following.stop();
    assert.equal(socket.closedBy, null);
  });

  it('when every hub socket drops, each viewer’s stream ends with its own retry, spread over 30 s', async () => {
    const { sockets, bindings } = fakeBindings();
    const clock = new FakeClock();
    const app = recordingRoutes({
      hub: new RemoteHub(/** @type {any} */ (bindings)),
      verify: async () => ({ kind: 'invalid' }),
      secret: SECRET,
      tokenTtl: 60,
      authorize: undefined,
      basePath: '',
      cors: undefined,
      clock,
      log: () => undefined,
      health: () => ({ reachable: null, perMinute: 900, left: 900 }),
      webhooks: webhookCounters(),
      streams: { perToken: 100, perSubject: 100, perTarget: 5000, total: 10_000 },
    });
    const token = await createViewerToken(SECRET, { recordingId: 'r' });
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        app.fetch(new Request('http://w/events?recording_id=r', { headers: { Authorization: `Bearer ${token}` } })),
      ),
    );
    assert.ok(responses.every((r) => r.status === 200));
    const texts = responses.map((r) => r.text());
    await settle();
    // A deploy, an eviction: the hub goes away under every viewer at once.
    for (const socket of sockets) socket.emit('close');
    const retries = (await Promise.all(texts)).map((text) => {
      assert.match(text, /^retry: 3000\nevent: recording\nid: 3\n/);
      return Number(/retry: (\d+)\n\n$/.exec(text)?.[1]);
    });
    assert.ok(
      retries.every((ms) => ms >= RETRY_MS && ms < RETRY_MS + RECONNECT_SPREAD_MS),
      retries.join(' '),
    );
    // Spread, not a spike: the earliest and latest thirds of the window both get viewers.
    assert.ok(retries.some((ms) => ms < RETRY_MS + RECONNECT_SPREAD_MS / 3));
    assert.ok(retries.some((ms) => ms >= RETRY_MS + (2 * RECONNECT_SPREAD_MS) / 3));
    assert.equal(clock.timers.size, 0);
  });
});
