import { expect } from '@open-wc/testing';
import { ProxyClient, parseRetryAfter, resolveProxyUrl, targetUrl, type Target } from '../../src/api/client.js';
import { RequestFailure } from '../../src/api/errors.js';
import { FakeClock, FakeFetch, hang, json, notModified, text } from '../helpers/fake-env.js';
import { apiRecording, failure, list, one } from '../helpers/recordings.js';

const recordingTarget: Target = { kind: 'recording', id: 'r1' };
const meetingTarget: Target = { kind: 'meeting', id: 'm1' };

async function outcome(
  response: Response | (() => Promise<Response>),
  target: Target = recordingTarget,
  clock = new FakeClock(),
) {
  const fake = new FakeFetch(() => (typeof response === 'function' ? response() : response.clone()));
  const client = new ProxyClient(fake.fetch, clock);
  const options = { token: 'tok', etag: '"v1"', timeoutMs: 5000, signal: new AbortController().signal };
  try {
    return { answer: await client.get('https://p.example/recordings/r1', target, options), fake };
  } catch (error) {
    return { error: error as RequestFailure, fake };
  }
}

describe('api/client', () => {
  describe('URLs', () => {
    const base = 'https://host.example/app/page.html';
    const table: [string, Target, string][] = [
      ['/api/proxy', recordingTarget, 'https://host.example/api/proxy/recordings/r1'],
      ['/api/proxy/', recordingTarget, 'https://host.example/api/proxy/recordings/r1'],
      ['proxy', recordingTarget, 'https://host.example/app/proxy/recordings/r1'],
      ['https://other.example/rtk', recordingTarget, 'https://other.example/rtk/recordings/r1'],
      ['/api/proxy?tenant=7', recordingTarget, 'https://host.example/api/proxy/recordings/r1?tenant=7'],
      ['/p', { kind: 'recording', id: 'a/../b?c#d' }, 'https://host.example/p/recordings/a%2F..%2Fb%3Fc%23d'],
      [
        '/p',
        meetingTarget,
        'https://host.example/p/recordings?meeting_id=m1&sort_by=invokedTime&sort_order=DESC&per_page=1',
      ],
      [
        '/p',
        { kind: 'meeting', id: 'a&b=c' },
        'https://host.example/p/recordings?meeting_id=a%26b%3Dc&sort_by=invokedTime&sort_order=DESC&per_page=1',
      ],
    ];
    for (const [proxy, target, expected] of table) {
      it(`${proxy} + ${target.kind} ${target.id} → ${expected}`, () => {
        expect(targetUrl(resolveProxyUrl(proxy, base), target)).to.equal(expected);
      });
    }
    for (const hostile of ['javascript:alert(1)', 'data:text/plain,x', 'http://[bad']) {
      it(`refuses proxy-url ${hostile} as config`, () => {
        expect(() => resolveProxyUrl(hostile, base))
          .to.throw(RequestFailure)
          .with.property('kind', 'config');
      });
    }
  });

  describe('parseRetryAfter', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    const table: [string | null, number | undefined][] = [
      [null, undefined],
      ['', undefined],
      ['30', 30_000],
      ['0', 0],
      ['100000', 600_000],
      ['Fri, 20 Nov 2026 10:01:00 GMT', 60_000],
      ['Fri, 20 Nov 2026 09:00:00 GMT', 0],
      ['soon', undefined],
    ];
    for (const [header, expected] of table) {
      it(`${JSON.stringify(header)} → ${expected}`, () => expect(parseRetryAfter(header, now)).to.equal(expected));
    }
  });

  describe('requests', () => {
    it('sends the bearer token, If-None-Match and Accept, with same-origin credentials', async () => {
      const { fake } = await outcome(json(one(apiRecording())));
      expect(fake.calls[0]!.headers).to.deep.include({
        authorization: 'Bearer tok',
        'if-none-match': '"v1"',
        accept: 'application/json',
      });
    });

    it('returns the normalised recording and the ETag', async () => {
      const { answer } = await outcome(json(one(apiRecording({ status: 'PAUSED' })), 200, { ETag: '"v2"' }));
      expect(answer).to.include({ kind: 'fresh', etag: '"v2"' });
      expect(answer?.kind === 'fresh' && answer.recording?.status).to.equal('PAUSED');
    });

    it('treats 304 as unchanged', async () => {
      const { answer } = await outcome(notModified());
      expect(answer).to.deep.equal({ kind: 'unchanged' });
    });

    it('picks the newest recording of a list even if the proxy ignored the sort order', async () => {
      const older = apiRecording({ id: 'old', invoked_time: '2026-11-20T08:00:00Z', status: 'UPLOADED' });
      const newer = apiRecording({ id: 'new', invoked_time: '2026-11-20T09:00:00Z', status: 'INVOKED' });
      const { answer } = await outcome(json(list(older, newer)), meetingTarget);
      expect(answer?.kind === 'fresh' && answer.recording?.id).to.equal('new');
    });

    it('answers null for a meeting with no recording', async () => {
      const { answer } = await outcome(json(list()), meetingTarget);
      expect(answer).to.deep.include({ kind: 'fresh', recording: null });
    });
  });

  describe('failures', () => {
    const table: [string, () => Response, string, number | undefined][] = [
      ['401', () => json(failure(401, 'Unauthorized'), 401), 'unauthorized', 401],
      ['403', () => json(failure(403, 'Forbidden'), 403), 'forbidden', 403],
      ['404', () => json(failure(404, 'Recording not found'), 404), 'not-found', 404],
      ['429', () => json(failure(429, 'Slow down'), 429), 'rate-limited', 429],
      ['500', () => json(failure(500, 'Boom'), 500), 'http', 500],
      ['502 without a body', () => text('', 502), 'http', 502],
      ['200 that is HTML', () => text('<html>login</html>', 200), 'invalid-response', 200],
      ['200 with an unknown status', () => json(one(apiRecording({ status: 'EXPLODED' }))), 'invalid-response', 200],
      ['200 with the error envelope', () => json(failure(500, 'odd')), 'invalid-response', 200],
      ['200 with an empty body', () => text('', 200), 'invalid-response', 200],
    ];
    for (const [name, response, kind, httpStatus] of table) {
      it(`${name} → ${kind}`, async () => {
        const { error } = await outcome(response());
        expect(error).to.be.instanceOf(RequestFailure);
        expect(error!.kind).to.equal(kind);
        expect(error!.httpStatus).to.equal(httpStatus);
      });
    }

    it("carries the error envelope's message into the error", async () => {
      const { error } = await outcome(json(failure(404, 'Recording not found'), 404));
      expect(error!.message).to.include('Recording not found');
    });

    it('reads Retry-After on 429 and 503', async () => {
      const limited = await outcome(json(failure(429, 'x'), 429, { 'Retry-After': '12' }));
      expect(limited.error!.retryAfterMs).to.equal(12_000);
      const unavailable = await outcome(json(failure(503, 'x'), 503, { 'Retry-After': '7' }));
      expect(unavailable.error!.retryAfterMs).to.equal(7000);
    });

    it('a rejected fetch is a network failure', async () => {
      const { error } = await outcome(() => Promise.reject(new TypeError('Failed to fetch')));
      expect(error!.kind).to.equal('network');
    });

    it('a hung proxy is aborted as a timeout after request-timeout', async () => {
      const clock = new FakeClock();
      const fake = new FakeFetch(() => hang());
      const client = new ProxyClient(fake.fetch, clock);
      const pending = client
        .get('https://p.example/x', recordingTarget, {
          token: null,
          etag: null,
          timeoutMs: 5000,
          signal: new AbortController().signal,
        })
        .catch((e: unknown) => e as RequestFailure);
      await clock.advance(4999);
      expect(fake.calls[0]!.signal!.aborted).to.equal(false);
      await clock.advance(1);
      const error = await pending;
      expect(error).to.be.instanceOf(RequestFailure);
      expect((error as RequestFailure).kind).to.equal('timeout');
      expect(fake.calls[0]!.signal!.aborted).to.equal(true);
    });

    it("a caller's abort is an AbortError, not a failure", async () => {
      const clock = new FakeClock();
      const fake = new FakeFetch(() => hang());
      const abort = new AbortController();
      const pending = new ProxyClient(fake.fetch, clock)
        .get('https://p.example/x', recordingTarget, { token: null, etag: null, timeoutMs: 5000, signal: abort.signal })
        .catch((e: unknown) => e);
      abort.abort();
      const error = (await pending) as DOMException;
      expect(error.name).to.equal('AbortError');
      expect(clock.pending).to.equal(0);
    });

    it('never copies a hostile answer into the error message', async () => {
      const { error } = await outcome(json(one(apiRecording({ status: '<img src=x onerror=alert(1)>' }))));
      expect(error!.message).to.not.include('<img');
    });
  });
});
