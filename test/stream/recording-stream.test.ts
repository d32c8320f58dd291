import { expect } from '@open-wc/testing';
import type { RecordingStatusErrorDetail as StreamError } from '../../src/events.js';
import { RecordingStream, type StreamState } from '../../src/stream/recording-stream.js';
import {
  FakeFetch,
  fakeEnvironment,
  hang,
  json,
  notModified,
  settle,
  text,
  type Handler,
} from '../helpers/fake-env.js';
import { apiRecording, failure, list, one } from '../helpers/recordings.js';

const PROXY = 'https://p.example/recordings/r1';
const TOKEN = 'https://p.example/token?recording_id=r1';

/** Answers each proxy call with the next of `responses`, repeating the last; token calls get a fresh token. */
function script(...responses: (() => Response | Promise<Response>)[]): Handler {
  let i = 0;
  let tokens = 0;
  return (url) => {
    if (url.pathname === '/token') return json({ token: `tok-${++tokens}`, expires_in: 600 });
    const next = responses[Math.min(i++, responses.length - 1)]!;
    return next();
  };
}

const status =
  (s: string, extra: Record<string, unknown> = {}) =>
  () =>
    json(one(apiRecording({ status: s, ...extra })));

function setup(
  handler: Handler,
  options: {
    token?: boolean;
    meeting?: boolean;
    pollInterval?: number;
    requestTimeout?: number;
    ignoresAbort?: boolean;
  } = {},
) {
  const fake = new FakeFetch(handler, { ignoresAbort: options.ignoresAbort ?? false });
  const env = fakeEnvironment(fake);
  const stream = new RecordingStream(
    {
      url: options.meeting ? 'https://p.example/recordings?meeting_id=m1' : PROXY,
      tokenUrl: options.token ? TOKEN : null,
      target: options.meeting ? { kind: 'meeting', id: 'm1' } : { kind: 'recording', id: 'r1' },
    },
    env,
  );
  const states: StreamState[] = [];
  const errors: StreamError[] = [];
  const listener = { state: (s: StreamState) => states.push(s), error: (e: StreamError) => errors.push(e) };
  const settings = { pollInterval: options.pollInterval ?? 5000, requestTimeout: options.requestTimeout ?? 15_000 };
  const subscribe = () => stream.subscribe(listener, settings);
  const proxyCalls = () => fake.calls.filter((c) => c.url.startsWith('https://p.example/recordings')).length;
  const statuses = () => states.map((s) => s.recording?.status ?? null);
  const resubscribe = (changes: Partial<typeof settings>) => stream.subscribe(listener, { ...settings, ...changes });
  return {
    fake,
    env,
    clock: env.clock,
    page: env.page,
    stream,
    states,
    errors,
    subscribe,
    resubscribe,
    proxyCalls,
    statuses,
  };
}

describe('stream/recording-stream', () => {
  describe('schedule', () => {
    it('polls at once, then every poll-interval', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(1);
      await t.clock.advance(4999);
      expect(t.proxyCalls()).to.equal(1);
      await t.clock.advance(1);
      expect(t.proxyCalls()).to.equal(2);
      await t.clock.advance(10_000);
      expect(t.proxyCalls()).to.equal(4);
    });

    it('keeps one request in flight: the next is scheduled only when the last settles', async () => {
      let release!: () => void;
      const t = setup(
        script(
          () =>
            new Promise<Response>((resolve) => {
              release = () => {
                resolve(json(one(apiRecording())));
              };
            }),
          status('RECORDING'),
        ),
      );
      t.subscribe();
      await t.clock.advance(12_000);
      expect(t.proxyCalls()).to.equal(1);
      release();
      await t.clock.advance(0);
      await t.clock.advance(5000);
      expect(t.proxyCalls()).to.equal(2);
    });

    for (const terminal of ['UPLOADED', 'ERRORED']) {
      it(`stops at ${terminal}: no timer, no more requests`, async () => {
        const t = setup(script(status('UPLOADING'), status(terminal)));
        t.subscribe();
        await t.clock.advance(5000);
        expect(t.statuses()).to.deep.equal(['UPLOADING', terminal]);
        expect(t.clock.pending).to.equal(0);
        await t.clock.advance(600_000);
        expect(t.proxyCalls()).to.equal(2);
      });
    }

    it('a meeting with no recording yet keeps polling, and is ready (not loading)', async () => {
      const t = setup(
        script(() => json(list())),
        { meeting: true },
      );
      t.subscribe();
      await t.clock.advance(15_000);
      expect(t.proxyCalls()).to.equal(4);
      expect(t.states).to.have.length(1);
      expect(t.states[0]).to.deep.include({ phase: 'ready', recording: null });
    });

    it('notifies only on change: a poll that changed nothing is silent', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      await t.clock.advance(20_000);
      expect(t.proxyCalls()).to.equal(5);
      expect(t.statuses()).to.deep.equal(['RECORDING']);
    });

    it('ignores a lagging replica: the shown status never goes backwards', async () => {
      const t = setup(script(status('UPLOADING'), status('RECORDING'), status('INVOKED'), status('UPLOADED')));
      t.subscribe();
      await t.clock.advance(15_000);
      expect(t.statuses()).to.deep.equal(['UPLOADING', 'UPLOADED']);
    });

    it('follows RECORDING ⇄ PAUSED', async () => {
      const t = setup(script(status('RECORDING'), status('PAUSED'), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(10_000);
      expect(t.statuses()).to.deep.equal(['RECORDING', 'PAUSED', 'RECORDING']);
    });

    it('records where an ERRORED recording failed', async () => {
      const t = setup(script(status('RECORDING'), status('UPLOADING'), status('ERRORED')));
      t.subscribe();
      await t.clock.advance(10_000);
      expect(t.states.at(-1)).to.deep.include({ failedAt: 'UPLOADING' });
    });
  });

  describe('failures and backoff', () => {
    it('backs off exponentially on retryable failures, capped at 60 s, and recovers', async () => {
      const t = setup(
        script(...Array.from({ length: 7 }, () => () => json(failure(503, 'down'), 503)), status('RECORDING')),
      );
      t.subscribe();
      await t.clock.advance(0);
      const delays: number[] = [];
      for (let i = 0; i < 7; i++) {
        delays.push(t.clock.delays[0]!);
        await t.clock.advance(t.clock.delays[0]!);
      }
      expect(delays).to.deep.equal([5000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
      expect(t.errors.map((e) => e.retryIn)).to.deep.equal(delays);
      expect(t.errors.every((e) => e.kind === 'http' && e.httpStatus === 503 && e.willRetry)).to.equal(true);
      // The success returns to the normal interval.
      expect(t.clock.delays).to.deep.equal([5000]);
      expect(t.states.at(-1)!.error).to.equal(null);
    });

    it('applies jitter of up to ±20 %', async () => {
      const t = setup(script(() => json(failure(500, 'x'), 500)));
      t.env.setRandom(0);
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors[0]!.retryIn).to.equal(4000);
    });

    it('waits at least Retry-After on 429, even when longer than the backoff', async () => {
      const t = setup(script(() => json(failure(429, 'slow'), 429, { 'Retry-After': '30' }), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors[0]).to.deep.include({ kind: 'rate-limited', willRetry: true, retryIn: 30_000 });
      await t.clock.advance(29_999);
      expect(t.proxyCalls()).to.equal(1);
      await t.clock.advance(1);
      expect(t.proxyCalls()).to.equal(2);
    });

    it('honours Retry-After as an HTTP date on 503, capped at 10 minutes', async () => {
      const t = setup(script(() => json(failure(503, 'x'), 503, { 'Retry-After': 'Fri, 20 Nov 2026 12:00:00 GMT' })));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors[0]!.retryIn).to.equal(600_000);
    });

    for (const [name, response, kind] of [
      ['a network error', () => Promise.reject(new TypeError('offline')), 'network'],
      ['garbage', () => text('<html>'), 'invalid-response'],
      ['a 404', () => json(failure(404, 'gone'), 404), 'not-found'],
    ] as const) {
      it(`retries after ${name} (${kind})`, async () => {
        const t = setup(script(response, status('RECORDING')));
        t.subscribe();
        await t.clock.advance(5000);
        expect(t.errors.map((e) => [e.kind, e.willRetry])).to.deep.equal([[kind, true]]);
        expect(t.statuses().at(-1)).to.equal('RECORDING');
      });
    }

    it('a hung request times out after request-timeout and is retried', async () => {
      const t = setup(script(() => hang(), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(15_000);
      expect(t.errors.map((e) => e.kind)).to.deep.equal(['timeout']);
      expect(t.fake.calls[0]!.signal!.aborted).to.equal(true);
      await t.clock.advance(5000);
      expect(t.statuses().at(-1)).to.equal('RECORDING');
    });

    it('keeps the last good recording while failing', async () => {
      const t = setup(script(status('RECORDING'), () => json(failure(500, 'x'), 500)));
      t.subscribe();
      await t.clock.advance(5000);
      expect(t.states.at(-1)!.recording?.status).to.equal('RECORDING');
      expect(t.states.at(-1)!.error?.kind).to.equal('http');
    });

    it('halts on 403 with willRetry false; refresh() starts again', async () => {
      const t = setup(script(() => json(failure(403, 'no'), 403), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors).to.deep.equal([
        { kind: 'forbidden', message: t.errors[0]!.message, httpStatus: 403, willRetry: false },
      ]);
      expect(t.clock.pending).to.equal(0);
      await t.clock.advance(600_000);
      expect(t.proxyCalls()).to.equal(1);
      await t.stream.refresh();
      expect(t.statuses().at(-1)).to.equal('RECORDING');
      expect(t.clock.delays).to.deep.equal([5000]);
    });

    it('halts on a 4xx that retrying cannot fix', async () => {
      const t = setup(script(() => json(failure(400, 'bad'), 400)));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors[0]).to.deep.include({ kind: 'http', httpStatus: 400, willRetry: false });
    });
  });

  describe('tokens', () => {
    it('sends the token and never calls the proxy without one', async () => {
      const t = setup(script(status('RECORDING')), { token: true });
      t.subscribe();
      await t.clock.advance(0);
      expect(t.fake.calls.map((c) => c.url)).to.deep.equal([TOKEN, PROXY]);
      expect(t.fake.calls[1]!.headers.authorization).to.equal('Bearer tok-1');
    });

    it('a dead token endpoint is a token error, retried with backoff, with no proxy request', async () => {
      const fake = setup(
        (url) => (url.pathname === '/token' ? json({ error: 'down' }, 502) : json(one(apiRecording()))),
        {
          token: true,
        },
      );
      fake.subscribe();
      await fake.clock.advance(15_000);
      expect(fake.proxyCalls()).to.equal(0);
      expect(fake.errors.map((e) => [e.kind, e.willRetry, e.retryIn])).to.deep.equal([
        ['token', true, 5000],
        ['token', true, 10_000],
        ['token', true, 20_000],
      ]);
    });

    it('on a 401, renews the token once and retries the request once', async () => {
      const t = setup(
        script(() => json(failure(401, 'expired'), 401), status('RECORDING')),
        { token: true },
      );
      t.subscribe();
      await t.clock.advance(0);
      expect(t.fake.calls.map((c) => [c.url, c.headers.authorization ?? null])).to.deep.equal([
        [TOKEN, null],
        [PROXY, 'Bearer tok-1'],
        [TOKEN, null],
        [PROXY, 'Bearer tok-2'],
      ]);
      expect(t.errors).to.deep.equal([]);
      expect(t.statuses()).to.deep.equal(['RECORDING']);
    });

    it('a second 401 is unauthorized and halts polling', async () => {
      const t = setup(
        script(() => json(failure(401, 'no'), 401)),
        { token: true },
      );
      t.subscribe();
      await t.clock.advance(600_000);
      expect(t.proxyCalls()).to.equal(2);
      expect(t.errors.map((e) => [e.kind, e.willRetry])).to.deep.equal([['unauthorized', false]]);
    });

    it('without a token endpoint a 401 halts at once', async () => {
      const t = setup(script(() => json(failure(401, 'no'), 401)));
      t.subscribe();
      await t.clock.advance(60_000);
      expect(t.proxyCalls()).to.equal(1);
      expect(t.errors[0]).to.deep.include({ kind: 'unauthorized', willRetry: false });
    });

    it('never puts the token into a state or an error', async () => {
      const t = setup(
        script(status('RECORDING'), () => json(failure(500, 'x'), 500)),
        { token: true },
      );
      t.subscribe();
      await t.clock.advance(5000);
      expect(JSON.stringify([t.states, t.errors])).to.not.include('tok-');
    });
  });

  describe('page visibility and connectivity', () => {
    it('sends nothing while hidden, and polls at once on becoming visible', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      t.page.hidden = true;
      await t.clock.advance(300_000);
      expect(t.proxyCalls()).to.equal(1);
      t.page.show();
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(2);
      await t.clock.advance(5000);
      expect(t.proxyCalls()).to.equal(3);
    });

    it('does not start polling while the page is hidden', async () => {
      const t = setup(script(status('RECORDING')));
      t.page.hidden = true;
      t.subscribe();
      await t.clock.advance(60_000);
      expect(t.proxyCalls()).to.equal(0);
    });

    it('sends nothing while offline, and polls at once when back online, whatever the backoff', async () => {
      const t = setup(
        script(...Array.from({ length: 5 }, () => () => Promise.reject(new TypeError('offline'))), status('RECORDING')),
      );
      t.subscribe();
      await t.clock.advance(0);
      await t.clock.advance(5000);
      await t.clock.advance(10_000);
      await t.clock.advance(20_000);
      expect(t.proxyCalls()).to.equal(4);
      t.page.online = false;
      await t.clock.advance(300_000);
      expect(t.proxyCalls()).to.equal(4);
      t.page.goOnline();
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(5);
    });

    it('becoming visible does not jump a Retry-After', async () => {
      const t = setup(script(() => json(failure(429, 'x'), 429, { 'Retry-After': '60' }), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      t.page.hidden = true;
      await t.clock.advance(10_000);
      t.page.show();
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(1);
      await t.clock.advance(50_000);
      expect(t.proxyCalls()).to.equal(2);
    });
  });

  describe('at the edges: timer limits, foreign aborts, reconnection, interval changes, misrouted answers', () => {
    it('a poll-interval past what a timer can hold waits, never loops (timers overflow past 2³¹−1 ms)', async () => {
      const t = setup(script(status('RECORDING')), { pollInterval: 3_000_000_000 });
      t.subscribe();
      await t.clock.advance(60_000);
      expect(t.proxyCalls()).to.equal(1);
      expect(t.clock.delays).to.deep.equal([2 ** 31 - 1 - 60_000]);
    });

    it('a request-timeout past what a timer can hold does not time every request out at once', async () => {
      const t = setup(
        script(() => hang()),
        { requestTimeout: 3_000_000_000 },
      );
      t.subscribe();
      await t.clock.advance(60_000);
      expect(t.errors).to.deep.equal([]);
      expect(t.fake.calls[0]!.signal!.aborted).to.equal(false);
    });

    it('an abort the stream did not cause is a network failure, reported and retried, not a stall', async () => {
      const t = setup(
        script(() => Promise.reject(new DOMException('Aborted by a wrapper', 'AbortError')), status('RECORDING')),
      );
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors.map((e) => [e.kind, e.willRetry, e.retryIn])).to.deep.equal([['network', true, 5000]]);
      await t.clock.advance(5000);
      expect(t.statuses().at(-1)).to.equal('RECORDING');
      expect(t.states.at(-1)!.phase).to.equal('ready');
    });

    it('coming back online resets the backoff but never skips the server’s Retry-After', async () => {
      const t = setup(script(() => json(failure(429, 'x'), 429, { 'Retry-After': '60' }), status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      t.page.online = false;
      await t.clock.advance(10_000);
      t.page.goOnline();
      await t.clock.advance(49_999);
      expect(t.proxyCalls()).to.equal(1);
      await t.clock.advance(1);
      expect(t.proxyCalls()).to.equal(2);
    });

    it('coming back online during a request resets the backoff for that request’s failure', async () => {
      let fail!: () => void;
      const offline = () => Promise.reject(new TypeError('offline'));
      const t = setup(
        script(
          offline,
          offline,
          offline,
          offline,
          () =>
            new Promise<Response>((_, reject) => {
              fail = () => {
                reject(new TypeError('offline'));
              };
            }),
          status('RECORDING'),
        ),
      );
      t.subscribe();
      await t.clock.advance(5000 + 10_000 + 20_000 + 40_000);
      expect(t.proxyCalls()).to.equal(5);
      t.page.goOnline();
      fail();
      await t.clock.advance(0);
      // The fifth failure would back off 80 s; after the connection came back it counts as the first.
      expect(t.errors.at(-1)!.retryIn).to.equal(5000);
      await t.clock.advance(5000);
      expect(t.statuses().at(-1)).to.equal('RECORDING');
    });

    it('lowering poll-interval applies from the last answer, not after the old timer', async () => {
      const t = setup(script(status('RECORDING')), { pollInterval: 60_000 });
      t.subscribe();
      await t.clock.advance(2000);
      t.resubscribe({ pollInterval: 5000 });
      expect(t.clock.delays).to.deep.equal([3000]);
      await t.clock.advance(3000);
      expect(t.proxyCalls()).to.equal(2);
      await t.clock.advance(5000);
      expect(t.proxyCalls()).to.equal(3);
    });

    it('lowering poll-interval past the time already waited polls at once', async () => {
      const t = setup(script(status('RECORDING')), { pollInterval: 60_000 });
      t.subscribe();
      await t.clock.advance(20_000);
      t.resubscribe({ pollInterval: 5000 });
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(2);
    });

    it('the failed step stays where it was seen when a refresh adds stopped_time', async () => {
      const t = setup(
        script(
          status('UPLOADING', { started_time: '2026-11-20T10:00:05Z' }),
          status('ERRORED', { started_time: '2026-11-20T10:00:05Z' }),
          status('ERRORED', { started_time: '2026-11-20T10:00:05Z', stopped_time: '2026-11-20T10:09:00Z' }),
        ),
      );
      t.subscribe();
      await t.clock.advance(5000);
      expect(t.states.at(-1)!.failedAt).to.equal('UPLOADING');
      await t.stream.refresh();
      expect(t.states.at(-1)!.recording!.stoppedAt).to.not.equal(null);
      expect(t.states.at(-1)!.failedAt).to.equal('UPLOADING');
    });

    it('an answer about another recording is invalid, never shown', async () => {
      const t = setup(script(() => json(one(apiRecording({ id: 'someone-else' })))));
      t.subscribe();
      await t.clock.advance(0);
      expect(t.errors.map((e) => [e.kind, e.message])).to.deep.equal([
        ['invalid-response', 'The proxy answered about a different recording.'],
      ]);
      expect(t.states.at(-1)!.recording).to.equal(null);
    });
  });

  describe('conditional requests', () => {
    it('sends If-None-Match with the last ETag; a 304 is silent and keeps the schedule', async () => {
      const t = setup(
        script(
          () => json(one(apiRecording()), 200, { ETag: '"v1"' }),
          () => notModified(),
        ),
      );
      t.subscribe();
      await t.clock.advance(10_000);
      expect(t.fake.calls.map((c) => c.headers['if-none-match'] ?? null)).to.deep.equal([null, '"v1"', '"v1"']);
      expect(t.states).to.have.length(1);
      expect(t.errors).to.deep.equal([]);
      expect(t.clock.delays).to.deep.equal([5000]);
    });
  });

  describe('refresh, stop and leaks', () => {
    it('an unsubscribe followed by a subscribe in the same task keeps polling without a new request', async () => {
      const t = setup(script(status('RECORDING')));
      const unsubscribe = t.subscribe();
      await t.clock.advance(0);
      unsubscribe();
      t.subscribe();
      await t.clock.advance(0);
      expect(t.proxyCalls()).to.equal(1);
      expect(t.clock.delays).to.deep.equal([5000]);
    });

    it('refresh() during a request shares it', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      await Promise.all([t.stream.refresh(), t.stream.refresh()]);
      expect(t.proxyCalls()).to.equal(1);
    });

    it('refresh() after a terminal status polls once more, and never goes backwards', async () => {
      const t = setup(script(status('UPLOADED'), status('UPLOADING')));
      t.subscribe();
      await t.clock.advance(0);
      await t.stream.refresh();
      expect(t.proxyCalls()).to.equal(2);
      expect(t.statuses()).to.deep.equal(['UPLOADED']);
    });

    it('the last unsubscribe aborts the request in flight and drops timers and listeners', async () => {
      const t = setup(script(() => hang()));
      const unsubscribe = t.subscribe();
      await t.clock.advance(0);
      expect(t.stream.active).to.equal(true);
      unsubscribe();
      await settle();
      expect(t.fake.calls[0]!.signal!.aborted).to.equal(true);
      expect(t.clock.pending).to.equal(0);
      expect(t.page.listenerCount).to.equal(0);
      expect(t.stream.active).to.equal(false);
    });

    // A fetch that rejects on abort lets the error path drop a stale answer first; one that ignores abort (a
    // response already on its way) leaves it to the stream's generation check on success.
    for (const ignoresAbort of [false, true]) {
      it(`drops an answer that arrives after stop, from a fetch that ${ignoresAbort ? 'ignores' : 'rejects on'} abort`, async () => {
        let release!: () => void;
        const t = setup(
          () =>
            new Promise<Response>((resolve) => {
              release = () => {
                resolve(json(one(apiRecording({ status: 'RECORDING' }))));
              };
            }),
          { ignoresAbort },
        );
        const unsubscribe = t.subscribe();
        await t.clock.advance(0);
        unsubscribe();
        await settle();
        expect(t.fake.calls[0]!.signal!.aborted, 'the request was aborted').to.equal(true);
        release();
        await t.clock.advance(10_000);
        expect(t.states, 'no state emitted').to.deep.equal([]);
        expect(t.errors, 'no error emitted').to.deep.equal([]);
        expect(t.stream.state.recording, 'nothing shown').to.equal(null);
        expect(t.stream.state.phase).to.equal('loading');
        expect(t.proxyCalls(), 'one proxy call').to.equal(1);
        expect(t.stream.active, 'the stream is inactive').to.equal(false);
        expect(t.clock.pending, 'no timer left').to.equal(0);
      });
    }

    it('a thousand subscribe/unsubscribe cycles leave nothing running', async () => {
      const t = setup(script(status('RECORDING')));
      for (let i = 0; i < 1000; i++) {
        t.subscribe()();
        if (i % 2) await settle(1);
      }
      await t.clock.advance(0);
      expect(t.clock.pending).to.equal(0);
      expect(t.page.listenerCount).to.equal(0);
      expect(t.stream.active).to.equal(false);
      expect(t.fake.calls.every((c) => c.signal!.aborted)).to.equal(true);
    });

    it('a late subscriber gets the current state at once', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      await t.clock.advance(0);
      const seen: StreamState[] = [];
      t.stream.subscribe(
        { state: (s) => seen.push(s), error: () => {} },
        { pollInterval: 5000, requestTimeout: 15_000 },
      );
      expect(seen.map((s) => s.recording?.status)).to.deep.equal(['RECORDING']);
      expect(t.proxyCalls()).to.equal(1);
    });

    it('serves the most demanding poll-interval among subscribers', async () => {
      const t = setup(script(status('RECORDING')));
      t.subscribe();
      t.stream.subscribe({ state: () => {}, error: () => {} }, { pollInterval: 2000, requestTimeout: 15_000 });
      await t.clock.advance(0);
      expect(t.clock.delays).to.deep.equal([2000]);
    });
  });
});
