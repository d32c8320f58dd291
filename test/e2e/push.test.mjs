// @ts-check
/**
 * The widget's push client against both servers over real HTTP on 127.0.0.1: Node in one process, and the
 * Worker with its Durable Objects in workerd. The framework-free `RecordingStream` (built, from dist/) follows
 * `/events` as the element does, while the simulator walks a recording through its lifecycle by signed webhooks:
 * every change arrives pushed, and nothing is polled. (The browser's side is test/push/ and the demo's test.)
 */
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { RecordingStream } from '../../dist/stream/recording-stream.js';
import { systemClock } from '../../dist/platform.js';
import { createViewerToken } from '../../dist/server/index.js';
import { SECRET, startNode, startWorker } from './backends.mjs';

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits for `condition`, checking every 10 ms; fails after 15 s. @param {() => boolean} condition @param {string} what */
async function until(condition, what) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within 15 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A stream on `backend` for `target`, with its token from the backend (the host's token endpoint is played by the
 * fetch below), and every request it sends.
 * @param {Awaited<ReturnType<typeof startNode>>} backend
 * @param {{ kind: 'recording' | 'meeting', id: string }} target
 * @param {number} [ttl] seconds each token lives
 */
function follow(backend, target, ttl) {
  /** @type {string[]} */
  const requests = [];
  const query = `${target.kind}_id=${encodeURIComponent(target.id)}`;
  const tokenTarget = target.kind === 'recording' ? { recordingId: target.id } : { meetingId: target.id };
  const env = {
    clock: systemClock,
    fetch: async (/** @type {string} */ input, /** @type {RequestInit} */ init) => {
      requests.push(new URL(input).pathname);
      if (input.startsWith('http://host.test/token')) {
        const token =
          ttl === undefined
            ? await backend.token(tokenTarget)
            : await createViewerToken(SECRET, tokenTarget, { ttl, download: true });
        return Response.json({ token, expires_in: ttl ?? 600 });
      }
      return fetch(input, init);
    },
    page: { isHidden: () => false, isOnline: () => true, onChange: () => () => undefined },
    random: Math.random,
    baseUrl: () => 'http://host.test/',
    push: {
      slots: { tryAcquire: () => Promise.resolve(() => undefined), acquire: () => Promise.resolve(() => undefined) },
      unsupported: new Set(),
    },
  };
  const stream = new RecordingStream(
    {
      url:
        target.kind === 'recording'
          ? `${backend.url}/recordings/${target.id}`
          : `${backend.url}/recordings?meeting_id=${target.id}`,
      tokenUrl: `http://host.test/token?${query}`,
      target,
      events: `${backend.url}/events?${query}`,
    },
    env,
  );
  /** @type {{ id: string, status: string }[]} */
  const seen = [];
  /** @type {unknown[]} */
  const errors = [];
  const unsubscribe = stream.subscribe(
    {
      state: (state) => {
        const r = state.recording;
        if (r && (seen.at(-1)?.id !== r.id || seen.at(-1)?.status !== r.status))
          seen.push({ id: r.id, status: r.status });
      },
      error: (error) => errors.push(error),
    },
    { pollInterval: 1000, requestTimeout: 15_000 },
  );
  cleanups.push(async () => unsubscribe());
  return { stream, seen, errors, requests, status: () => seen.at(-1)?.status ?? null };
}

/**
 * A backend whose lifecycle runs fast, and its quiet meeting (the simulator's second), torn down after the tests.
 * @param {typeof startNode} start
 */
async function quietMeeting(start) {
  const backend = await start({ startDelayMs: 100, uploadMs: 300 });
  cleanups.push(backend.close);
  const { simulator } = backend.upstream;
  const meeting = [...simulator.meetings.values()][1];
  assert.ok(meeting);
  return { backend, simulator, meeting };
}

for (const [name, start] of /** @type {const} */ ([
  ['Node', startNode],
  ['the Worker in workerd', startWorker],
])) {
  describe(`push from ${name}`, () => {
    it('a recording walked through its lifecycle arrives pushed: one stream, one token, no poll', async () => {
      const { backend, simulator, meeting } = await quietMeeting(start);
      const recording = simulator.startRecording(meeting.id);
      const t = follow(backend, { kind: 'recording', id: recording.id });
      await until(() => t.stream.connection === 'push' && t.status() === 'RECORDING', 'RECORDING, pushed');
      for (const [action, want] of /** @type {const} */ ([
        ['pause', 'PAUSED'],
        ['resume', 'RECORDING'],
        ['stop', 'UPLOADED'],
      ])) {
        const before = t.seen.length;
        simulator.control(recording.id, action);
        await until(() => t.seen.length > before && t.status() === want, want);
      }
      assert.deepEqual(t.seen.map((s) => s.status).slice(-4), ['PAUSED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
      assert.deepEqual(t.errors, []);
      assert.equal(t.requests.filter((p) => p.startsWith('/recordings')).length, 0);
      assert.equal(t.requests.filter((p) => p === '/events').length, 1);
      assert.equal(t.requests.filter((p) => p === '/token').length, 1);
      await until(() => t.stream.connection === null, 'the stream ends with the recording');
    });

    it('a token expiring under an open stream: the server ends it, and the client is back with a renewed one, no error', async () => {
      const { backend, simulator, meeting } = await quietMeeting(start);
      const recording = simulator.startRecording(meeting.id);
      const t = follow(backend, { kind: 'recording', id: recording.id }, 2);
      await until(() => t.stream.connection === 'push' && t.status() === 'RECORDING', 'RECORDING, pushed');
      // The server ends the stream at the token's exp; the client renews the token and opens another.
      await until(
        () =>
          t.requests.filter((p) => p === '/token').length >= 2 && t.requests.filter((p) => p === '/events').length >= 2,
        'a renewed token and a second stream',
      );
      await until(() => t.stream.connection === 'push', 'push again');
      simulator.control(recording.id, 'pause');
      await until(() => t.status() === 'PAUSED', 'PAUSED, pushed on the renewed stream');
      assert.deepEqual(t.errors, []);
      assert.equal(t.requests.filter((p) => p.startsWith('/recordings')).length, 0, 'never polled');
    });

    it("a meeting's stream follows the meeting's next recording", async () => {
      const { backend, simulator, meeting } = await quietMeeting(start);
      const t = follow(backend, { kind: 'meeting', id: meeting.id });
      await until(() => t.stream.connection === 'push', 'push');
      const first = simulator.startRecording(meeting.id);
      await until(() => t.seen.at(-1)?.id === first.id && t.status() === 'RECORDING', 'the first recording');
      simulator.control(first.id, 'stop');
      await until(() => t.status() === 'UPLOADED', 'the first recording uploaded');
      const second = simulator.startRecording(meeting.id);
      await until(() => t.seen.at(-1)?.id === second.id, 'the next recording');
      assert.equal(t.stream.connection, 'push');
      assert.equal(t.requests.filter((p) => p.startsWith('/recordings')).length, 0);
      assert.equal(t.requests.filter((p) => p === '/events').length, 1);
      assert.deepEqual(t.errors, []);
    });
  });
}
