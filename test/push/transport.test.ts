/**
 * Push through a fake streaming proxy, on a fake clock: the stream and its push transport together, as the
 * element sees them (states, errors, how updates arrive, and every request the page sends).
 */
import { expect } from '@open-wc/testing';
import { StreamRegistry } from '../../src/stream/registry.js';
import type { RecordingStatusErrorDetail as StreamError } from '../../src/events.js';
import { RecordingStream, type Connection, type StreamState } from '../../src/stream/recording-stream.js';
import type { PushSlots } from '../../src/push/slots.js';
import { RECONNECT_CAP_MS, WATCHDOG_MS, reconnectDelay } from '../../src/push/transport.js';
import {
  FakeClock,
  FakeEventStream,
  FakeFetch,
  FakePage,
  FakeSlots,
  fakeEnvironment,
  hang,
  json,
  text,
  type Call,
} from '../helpers/fake-env.js';
import { apiRecording, list, one } from '../helpers/recordings.js';

const EVENTS = 'https://p.example/events';

interface Options {
  meeting?: boolean;
  token?: boolean;
  ttl?: number;
  pollInterval?: number;
  slots?: PushSlots;
  env?: ReturnType<typeof fakeEnvironment>;
  fake?: FakeFetch;
}

/** The fake proxy: `/events` opens a FakeEventStream unless a test answers otherwise; polls answer `poll`. */
class FakeProxy {
  readonly streams: FakeEventStream[] = [];
  tokens = 0;
  ttl = 600;
  events: (call: Call) => Response | Promise<Response> = () => this.open();
  poll: () => Response = () => json(one(apiRecording({ status: 'RECORDING' })));

  open(headers: Record<string, string> = {}): Response {
    const stream = new FakeEventStream(headers);
    this.streams.push(stream);
    return stream.response;
  }

  get last(): FakeEventStream {
    return this.streams.at(-1)!;
  }

  readonly handler = (url: URL, call: Call): Response | Promise<Response> => {
    if (url.pathname === '/token') return json({ token: `tok-${++this.tokens}`, expires_in: this.ttl });
    if (url.pathname === '/events') return this.events(call);
    return this.poll();
  };
}

function setup(options: Options = {}) {
  const proxy = new FakeProxy();
  if (options.ttl) proxy.ttl = options.ttl;
  const fake = options.fake ?? new FakeFetch(proxy.handler);
  const env = options.env ?? fakeEnvironment(fake, new FakeClock(), new FakePage(), options.slots);
  const target = options.meeting ? { kind: 'meeting' as const, id: 'm1' } : { kind: 'recording' as const, id: 'r1' };
  const query = options.meeting ? 'meeting_id=m1' : 'recording_id=r1';
  const stream = new RecordingStream(
    {
      url: options.meeting ? 'https://p.example/recordings?meeting_id=m1' : 'https://p.example/recordings/r1',
      tokenUrl: options.token === false ? null : `https://p.example/token?${query}`,
      target,
      events: `${EVENTS}?${query}`,
    },
    env,
  );
  const states: StreamState[] = [];
  const errors: StreamError[] = [];
  const connections: Connection[] = [];
  const listener = {
    state: (s: StreamState) => states.push(s),
    error: (e: StreamError) => errors.push(e),
    connection: (c: Connection) => connections.push(c),
  };
  const subscribe = () =>
    stream.subscribe(listener, { pollInterval: options.pollInterval ?? 5000, requestTimeout: 15_000 });
  return {
    proxy,
    fake,
    env,
    clock: env.clock,
    page: env.page,
    stream,
    states,
    errors,
    connections,
    subscribe,
    eventCalls: () => fake.calls.filter((c) => c.url.startsWith(EVENTS)),
    polls: () => fake.calls.filter((c) => c.url.startsWith('https://p.example/recordings')).length,
    status: () => stream.state.recording?.status ?? null,
  };
}

const recording = (status: string, extra: Record<string, unknown> = {}) => apiRecording({ status, ...extra });

describe('push/transport', () => {
  describe('reconnectDelay', () => {
    const cases: [number, number, number, number][] = [
      // retry, failures in a row, random, delay
      [3000, 0, 0.5, 3000],
      [3000, 0, 0, 0],
      [3000, 1, 0.5, 6000],
      [3000, 2, 0.5, 12_000],
      [3000, 3, 0.5, 15_000],
      [3000, 20, 0.999, 29_970],
      [60_000, 0, 1, RECONNECT_CAP_MS],
    ];
    for (const [retry, failures, random, delay] of cases) {
      it(`retry ${retry}, ${failures} failures, random ${random}: ${delay} ms`, () => {
        expect(reconnectDelay(retry, failures, random)).to.equal(delay);
      });
    }
  });

  describe('push', () => {
    it('follows {proxy-url}/events with the bearer token, and sends no poll while it is live', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      const [call] = t.eventCalls();
      expect(call!.url).to.equal(`${EVENTS}?recording_id=r1`);
      expect(call!.headers.accept).to.equal('text/event-stream');
      expect(call!.headers.authorization).to.equal('Bearer tok-1');
      expect(t.connections).to.deep.equal([null]);
      t.proxy.last.write('retry: 3000\n');
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(0);
      expect(t.status()).to.equal('RECORDING');
      expect(t.stream.connection).to.equal('push');
      t.proxy.last.recording(recording('PAUSED'), 2);
      await t.clock.advance(0);
      expect(t.status()).to.equal('PAUSED');
      for (let i = 0; i < 8; i++) {
        t.proxy.last.write(': keepalive\n\n');
        await t.clock.advance(15_000);
      }
      expect(t.polls()).to.equal(0);
      expect(t.eventCalls()).to.have.length(1);
      expect(t.errors).to.have.length(0);
      // The stream and the token: the whole cost so far.
      expect(t.fake.calls).to.have.length(2);
    });

    it('reads frames split anywhere, CRLF line endings and comments; unknown events are ignored', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      const frame = `event: recording\r\nid: 7\r\ndata: ${JSON.stringify(recording('RECORDING'))}\r\n\r\n`;
      t.proxy.last.write(': hello\n\nevent: presence\ndata: {"viewers":3}\n\n');
      t.proxy.last.write(frame.slice(0, 20));
      await t.clock.advance(0);
      expect(t.status()).to.equal(null);
      t.proxy.last.write(frame.slice(20));
      await t.clock.advance(0);
      expect(t.status()).to.equal('RECORDING');
      expect(t.errors).to.have.length(0);
    });

    it('a recording stream ends at UPLOADED: read to the end the server gives it, its slot then free', async () => {
      const slots = new FakeSlots(2);
      const t = setup({ slots });
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('UPLOADING'), 1);
      t.proxy.last.recording(recording('UPLOADED'), 2);
      await t.clock.advance(0);
      expect(t.status()).to.equal('UPLOADED');
      expect(t.stream.connection).to.equal(null);
      // The server closes the stream after the final event: the connection comes back whole, then the slot.
      expect(t.proxy.last.cancelled).to.equal(false);
      expect(slots.held(EVENTS)).to.equal(1);
      t.proxy.last.end();
      await t.clock.advance(0);
      expect(slots.held(EVENTS)).to.equal(0);
      await t.clock.advance(600_000);
      expect(t.fake.calls).to.have.length(2);
      expect(t.clock.pending).to.equal(0);
    });

    it('a server that does not close after the final event is let go by the watchdog', async () => {
      const slots = new FakeSlots(2);
      const t = setup({ slots });
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('ERRORED'), 1);
      await t.clock.advance(WATCHDOG_MS);
      expect(t.proxy.last.cancelled).to.equal(true);
      expect(slots.held(EVENTS)).to.equal(0);
      expect(t.eventCalls()).to.have.length(1);
      expect(t.errors).to.have.length(0);
    });

    it('a meeting stream stays open and follows the next recording', async () => {
      const t = setup({ meeting: true });
      t.subscribe();
      await t.clock.advance(0);
      expect(t.eventCalls()[0]!.url).to.equal(`${EVENTS}?meeting_id=m1`);
      t.proxy.last.recording(null, 1);
      await t.clock.advance(0);
      expect(t.stream.state.phase).to.equal('ready');
      expect(t.stream.connection).to.equal('push');
      const first = { invoked_time: '2026-11-20T09:00:00Z' };
      t.proxy.last.recording(recording('UPLOADED', first), 2);
      await t.clock.advance(0);
      expect(t.status()).to.equal('UPLOADED');
      t.proxy.last.recording(recording('INVOKED', { id: 'r2', invoked_time: '2026-11-20T10:00:00Z' }), 3);
      await t.clock.advance(0);
      expect(t.stream.state.recording?.id).to.equal('r2');
      expect(t.status()).to.equal('INVOKED');
      expect(t.proxy.last.cancelled).to.equal(false);
      expect(t.stream.connection).to.equal('push');
      expect(t.polls()).to.equal(0);
    });

    it('an event that fails validation is an invalid-response error, and the stream is reopened', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording({ id: 'r1', status: 'EXPLODED' });
      await t.clock.advance(0);
      expect(t.errors.map((e) => [e.kind, e.willRetry])).to.deep.equal([['invalid-response', true]]);
      expect(t.proxy.streams[0]!.cancelled).to.equal(true);
      await t.clock.advance(3000);
      expect(t.eventCalls()).to.have.length(2);
      t.proxy.last.recording({ ...recording('RECORDING'), id: 'r9' });
      await t.clock.advance(0);
      expect(t.status()).to.equal(null);
      expect(t.errors.at(-1)!.message).to.include('different recording');
    });

    it('never goes backwards across reconnects: a lagging snapshot does not undo what was shown', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('UPLOADING'), 4);
      await t.clock.advance(0);
      t.proxy.last.fail();
      await t.clock.advance(6000);
      expect(t.eventCalls()).to.have.length(2);
      expect(t.eventCalls()[1]!.headers['last-event-id']).to.equal('4');
      t.proxy.last.recording(recording('RECORDING'), 3);
      await t.clock.advance(0);
      expect(t.status()).to.equal('UPLOADING');
      expect(t.states.map((s) => s.recording?.status)).to.deep.equal(['UPLOADING']);
      expect(t.errors).to.have.length(0);
    });
  });

  describe('no push here: polls, quietly', () => {
    const answers: [string, () => Response][] = [
      ['404', () => json({ success: false, error: { code: 404, message: 'no' } }, 404)],
      ['405', () => text('', 405)],
      ['501', () => text('', 501)],
      ['a JSON answer', () => json(one(apiRecording()))],
      ['an HTML page', () => text('<!doctype html><p>hi', 200, { 'Content-Type': 'text/html' })],
    ];
    for (const [name, answer] of answers) {
      it(`${name}: polls at once with no error, and the page remembers the proxy`, async () => {
        const t = setup();
        t.proxy.events = answer;
        t.subscribe();
        await t.clock.advance(0);
        expect(t.errors).to.have.length(0);
        expect(t.polls()).to.equal(1);
        expect(t.status()).to.equal('RECORDING');
        expect(t.stream.connection).to.equal('poll');
        await t.clock.advance(5000);
        expect(t.polls()).to.equal(2);
        expect(t.eventCalls()).to.have.length(1);
        // Another stream through the same proxy goes straight to polling.
        const other = setup({ meeting: true, env: t.env, fake: t.fake });
        t.proxy.poll = () => json(list(apiRecording()));
        other.subscribe();
        await t.clock.advance(0);
        expect(t.eventCalls()).to.have.length(1);
        expect(other.stream.connection).to.equal('poll');
      });
    }

    it('204 means "stop pushing": this stream polls, and the proxy is not written off', async () => {
      const t = setup();
      t.proxy.events = () => text('', 204);
      t.subscribe();
      await t.clock.advance(0);
      expect(t.polls()).to.equal(1);
      expect(t.stream.connection).to.equal('poll');
      expect(t.errors).to.have.length(0);
      const other = setup({ meeting: true, env: t.env, fake: t.fake });
      t.proxy.events = () => t.proxy.open();
      other.subscribe();
      await t.clock.advance(0);
      expect(t.eventCalls()).to.have.length(2);
    });
  });

  describe('reconnect rules', () => {
    it("honours the server's retry: with full jitter", async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.write('retry: 10000\n\n');
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(0);
      t.env.setRandom(0.25);
      t.proxy.last.end();
      await t.clock.advance(4999);
      expect(t.eventCalls()).to.have.length(1);
      await t.clock.advance(1);
      expect(t.eventCalls()).to.have.length(2);
      expect(t.errors).to.have.length(0);
      // Reconnecting keeps what it shows: push, with no poll in the gap.
      expect(t.stream.connection).to.equal('push');
      expect(t.polls()).to.equal(0);
    });

    it('failed attempts back off exponentially with full jitter, capped at 30 s, each reported with willRetry', async () => {
      const t = setup();
      t.env.setRandom(0.999);
      const at: number[] = [];
      t.proxy.events = () => {
        at.push(t.clock.now());
        return text('', 502);
      };
      t.subscribe();
      for (let i = 0; i < 6; i++) await t.clock.advance(RECONNECT_CAP_MS);
      const gaps = at.slice(1).map((time, i) => time - at[i]!);
      expect(gaps.slice(0, 5)).to.deep.equal([5994, 11_988, 23_976, 29_970, 29_970]);
      // Reported while nothing else keeps the widget current; once polls do, push retries quietly.
      expect(t.errors.slice(0, 3).map((e) => [e.kind, e.willRetry, e.httpStatus, e.retryIn])).to.deep.equal([
        ['http', true, 502, 5994],
        ['http', true, 502, 11_988],
        ['http', true, 502, 23_976],
      ]);
    });

    it('a stream silent for 40 s is aborted and reopened, quietly; a keepalive resets the watchdog', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(30_000);
      t.proxy.last.write(': keepalive\n\n');
      await t.clock.advance(WATCHDOG_MS - 1);
      expect(t.proxy.last.cancelled).to.equal(false);
      await t.clock.advance(1);
      expect(t.proxy.streams[0]!.cancelled).to.equal(true);
      await t.clock.advance(6000);
      expect(t.eventCalls()).to.have.length(2);
      expect(t.errors).to.have.length(0);
      expect(t.polls()).to.equal(0);
    });

    it('a stream that sends nothing at all is a timeout, and retried', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(WATCHDOG_MS);
      expect(t.errors.map((e) => e.kind)).to.deep.equal(['timeout']);
      expect(t.proxy.last.cancelled).to.equal(true);
    });

    it('a proxy that never answers times out at request-timeout', async () => {
      const t = setup();
      t.proxy.events = () => hang();
      t.subscribe();
      await t.clock.advance(15_000);
      expect(t.errors.map((e) => [e.kind, e.willRetry])).to.deep.equal([['timeout', true]]);
    });

    it('401 renews the token once and carries on without an error', async () => {
      const t = setup();
      t.proxy.events = (call) => (call.headers.authorization === 'Bearer tok-1' ? text('', 401) : t.proxy.open());
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(0);
      expect(t.eventCalls().map((c) => c.headers.authorization)).to.deep.equal(['Bearer tok-1', 'Bearer tok-2']);
      expect(t.stream.connection).to.equal('push');
      expect(t.errors).to.have.length(0);
    });

    it('401 after a renewed token halts as unauthorized: no more requests', async () => {
      const t = setup();
      t.proxy.events = () => text('', 401);
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors.map((e) => [e.kind, e.willRetry])).to.deep.equal([['unauthorized', false]]);
      expect(t.stream.connection).to.equal(null);
      const calls = t.fake.calls.length;
      await t.clock.advance(600_000);
      expect(t.fake.calls).to.have.length(calls);
    });

    it('403 halts as forbidden', async () => {
      const t = setup();
      t.proxy.events = () => text('', 403);
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors.map((e) => [e.kind, e.willRetry, e.httpStatus])).to.deep.equal([['forbidden', false, 403]]);
      await t.clock.advance(600_000);
      expect(t.eventCalls()).to.have.length(1);
      expect(t.polls()).to.equal(0);
    });

    for (const status of [429, 503]) {
      it(`${status} waits for Retry-After`, async () => {
        const t = setup();
        let calls = 0;
        t.proxy.events = () => (++calls === 1 ? text('', status, { 'Retry-After': '20' }) : t.proxy.open());
        t.subscribe();
        await t.clock.advance(0);
        expect(t.errors[0]!.retryIn).to.equal(20_000);
        expect(t.errors[0]!.kind).to.equal(status === 429 ? 'rate-limited' : 'http');
        await t.clock.advance(19_999);
        expect(t.eventCalls()).to.have.length(1);
        await t.clock.advance(1);
        expect(t.eventCalls()).to.have.length(2);
      });
    }

    it('a token expiring under an open stream: the server ends it, the widget comes back with a new token', async () => {
      const t = setup({ ttl: 60 });
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('RECORDING'), 5);
      await t.clock.advance(30_000);
      t.proxy.last.write(': keepalive\n\n');
      await t.clock.advance(20_000);
      // As the server does a little before the token expires: a retry, then the end.
      t.proxy.last.write('retry: 1000\n\n');
      t.proxy.last.end();
      await t.clock.advance(2000);
      const second = t.eventCalls()[1]!;
      expect(second.headers.authorization).to.equal('Bearer tok-2');
      expect(second.headers['last-event-id']).to.equal('5');
      t.proxy.last.recording(recording('RECORDING'), 5);
      await t.clock.advance(0);
      expect(t.errors).to.have.length(0);
      expect(t.stream.connection).to.equal('push');
      expect(t.polls()).to.equal(0);
    });
  });

  describe('fallback while push is broken', () => {
    it('after three failed attempts in a row, polls at poll-interval; the first good event stops the polls', async () => {
      const t = setup();
      let broken = true;
      t.proxy.events = () => (broken ? text('', 502) : t.proxy.open());
      t.subscribe();
      await t.clock.advance(0);
      await t.clock.advance(3000);
      expect(t.polls()).to.equal(0);
      await t.clock.advance(6000);
      // Third failure: poll now, then every poll-interval.
      expect(t.eventCalls()).to.have.length(3);
      expect(t.polls()).to.equal(1);
      expect(t.stream.connection).to.equal('poll');
      expect(t.status()).to.equal('RECORDING');
      await t.clock.advance(5000);
      expect(t.polls()).to.equal(2);
      const errorsWhileCovered = t.errors.length;
      broken = false;
      await t.clock.advance(7000); // the fourth attempt, at 12 s
      expect(t.errors).to.have.length(errorsWhileCovered);
      t.proxy.last.recording(recording('PAUSED'), 1);
      await t.clock.advance(0);
      expect(t.stream.connection).to.equal('push');
      const polls = t.polls();
      await t.clock.advance(60_000);
      expect(t.polls()).to.equal(polls);
      expect(t.status()).to.equal('PAUSED');
      expect(t.stream.state.error).to.equal(null);
    });
  });

  describe('hidden and offline', () => {
    it('a hidden page closes the stream and reopens it on return; the snapshot fills the gap', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(0);
      t.page.hide();
      await t.clock.advance(0);
      expect(t.proxy.last.cancelled).to.equal(true);
      await t.clock.advance(600_000);
      expect(t.eventCalls()).to.have.length(1);
      expect(t.polls()).to.equal(0);
      t.page.show();
      await t.clock.advance(0);
      expect(t.eventCalls()).to.have.length(2);
      t.proxy.last.recording(recording('UPLOADING'), 9);
      await t.clock.advance(0);
      expect(t.status()).to.equal('UPLOADING');
      expect(t.errors).to.have.length(0);
    });

    it('offline closes the stream; online reopens it', async () => {
      const t = setup();
      t.subscribe();
      await t.clock.advance(0);
      t.proxy.last.recording(recording('RECORDING'), 1);
      await t.clock.advance(0);
      t.page.goOffline();
      await t.clock.advance(60_000);
      expect(t.proxy.last.cancelled).to.equal(true);
      expect(t.eventCalls()).to.have.length(1);
      t.page.goOnline();
      await t.clock.advance(0);
      expect(t.eventCalls()).to.have.length(2);
    });

    it('a page hidden from the start opens nothing until it is shown', async () => {
      const t = setup();
      t.page.hidden = true;
      t.subscribe();
      await t.clock.advance(60_000);
      expect(t.fake.calls).to.have.length(0);
      t.page.show();
      await t.clock.advance(0);
      expect(t.eventCalls()).to.have.length(1);
    });
  });

  describe('slots and sharing', () => {
    it('a target without a free slot polls, and takes the slot over when it frees', async () => {
      const slots = new FakeSlots(1);
      const a = setup({ slots });
      a.subscribe();
      const b = setup({ meeting: true, env: a.env, fake: a.fake });
      a.proxy.poll = () => json(list(apiRecording({ id: 'r2', status: 'INVOKED' })));
      b.subscribe();
      await a.clock.advance(0);
      expect(a.eventCalls()).to.have.length(1);
      expect(b.stream.connection).to.equal('poll');
      expect(a.polls()).to.equal(1);
      await a.clock.advance(5000);
      expect(a.polls()).to.equal(2);
      a.proxy.last.recording(recording('UPLOADED'), 1);
      a.proxy.last.end();
      await a.clock.advance(0);
      // The recording is over: its slot goes to the meeting, which stops polling.
      expect(a.eventCalls()).to.have.length(2);
      expect(a.eventCalls()[1]!.url).to.include('meeting_id=m1');
      a.proxy.last.recording(recording('INVOKED', { id: 'r2' }), 1);
      await a.clock.advance(0);
      expect(b.stream.connection).to.equal('push');
      const polls = a.polls();
      await a.clock.advance(60_000);
      expect(a.polls()).to.equal(polls);
    });

    it('elements on the same target, proxy and token endpoint share one stream and one token', async () => {
      const proxy = new FakeProxy();
      const fake = new FakeFetch(proxy.handler);
      const registry = new StreamRegistry(fakeEnvironment(fake));
      const key = {
        url: 'https://p.example/recordings/r1',
        tokenUrl: 'https://p.example/token?recording_id=r1',
        target: { kind: 'recording' as const, id: 'r1' },
        events: `${EVENTS}?recording_id=r1`,
      };
      const leases = Array.from({ length: 10 }, () => registry.acquire(key));
      const seen: (string | null)[] = [];
      const settings = { pollInterval: 5000, requestTimeout: 15_000 };
      for (const lease of leases) {
        lease.stream.subscribe({ state: (s) => seen.push(s.recording?.status ?? null), error: () => {} }, settings);
      }
      await settle();
      proxy.last.recording(recording('RECORDING'), 1);
      await settle();
      expect(fake.calls).to.have.length(2);
      expect(seen).to.deep.equal(Array(10).fill('RECORDING'));
    });
  });

  describe('no leaks', () => {
    it('a thousand subscribe/unsubscribe cycles leave no open stream, timer, slot or listener', async function () {
      // A thousand cycles on a fake clock: a leak test, not a speed test; WebKitGTK on a loaded machine needs time.
      this.timeout(120_000);
      const slots = new FakeSlots(2);
      const t = setup({ slots });
      for (let i = 0; i < 1000; i++) {
        const unsubscribe = t.subscribe();
        await t.clock.advance(0);
        if (i % 2 === 0) t.proxy.last.recording(recording('RECORDING'), i);
        await t.clock.advance(0);
        unsubscribe();
        await t.clock.advance(0);
      }
      expect(t.proxy.streams).to.have.length(1000);
      expect(t.proxy.streams.every((s) => s.cancelled)).to.equal(true);
      expect(t.clock.pending).to.equal(0);
      expect(t.page.listenerCount).to.equal(0);
      expect(t.stream.active).to.equal(false);
      // Every slot is free again.
      expect(slots.held(EVENTS)).to.equal(0);
    });
  });
});

async function settle(): Promise<void> {
  await new FakeClock().advance(0);
}
