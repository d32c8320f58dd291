import { expect } from '@open-wc/testing';
import { RequestFailure, type ErrorKind } from '../../src/api/errors.js';
import { ReadSchedule, willRetry } from '../../src/stream/schedule.js';
import { FakeFetch, fakeEnvironment, hang } from '../helpers/fake-env.js';

function setup() {
  const env = fakeEnvironment(new FakeFetch(() => hang()));
  let due = 0;
  const schedule = new ReadSchedule(env, () => due++);
  return { env, schedule, due: () => due };
}

describe('stream/schedule', () => {
  describe('willRetry', () => {
    const table: [ErrorKind, number | undefined, boolean][] = [
      ['network', undefined, true],
      ['timeout', undefined, true],
      ['rate-limited', 429, true],
      ['invalid-response', 200, true],
      ['not-found', 404, true],
      ['token', 500, true],
      ['http', 500, true],
      ['http', 503, true],
      ['http', 408, true],
      ['http', undefined, true],
      ['http', 400, false],
      ['http', 409, false],
      ['unauthorized', 401, false],
      ['forbidden', 403, false],
      ['config', undefined, false],
    ];
    for (const [kind, httpStatus, expected] of table) {
      it(`${kind}${httpStatus === undefined ? '' : ` ${httpStatus}`} is ${expected ? '' : 'not '}retried`, () => {
        const failure = new RequestFailure(kind, 'x', httpStatus === undefined ? {} : { httpStatus });
        expect(willRetry(failure)).to.equal(expected);
      });
    }
  });

  it('a request may go out only while the page is visible and online', () => {
    const { env, schedule } = setup();
    const seen: boolean[] = [schedule.mayRequest];
    env.page.hide();
    seen.push(schedule.mayRequest);
    env.page.goOffline();
    seen.push(schedule.mayRequest);
    env.page.show();
    seen.push(schedule.mayRequest);
    env.page.goOnline();
    seen.push(schedule.mayRequest);
    expect(seen).to.deep.equal([true, false, false, false, true]);
  });

  it('one timer: a new one replaces the pending one, and fires once', async () => {
    const { env, schedule, due } = setup();
    schedule.after(5000, 'poll');
    schedule.after(1000, 'retry');
    expect(env.clock.delays).to.deep.equal([1000]);
    await env.clock.advance(10_000);
    expect([due(), schedule.pending]).to.deep.equal([1, false]);
  });

  it('a failure backs off (or waits out a longer Retry-After), and coming back online lifts only the backoff', () => {
    const { env, schedule } = setup();
    expect(schedule.failed(new RequestFailure('network', 'x'), 5000)).to.equal(5000);
    expect(schedule.failed(new RequestFailure('network', 'x'), 5000)).to.equal(10_000);
    schedule.online();
    expect(schedule.wait).to.be.at.most(0);
    expect(schedule.failed(new RequestFailure('rate-limited', 'x', { retryAfterMs: 30_000 }), 5000)).to.equal(30_000);
    schedule.online();
    expect(schedule.wait).to.equal(30_000);
    expect(env.clock.delays).to.deep.equal([30_000]);
    schedule.answered();
    expect(schedule.wait).to.be.at.most(0);
  });

  it('a failure that is not retried sets no timer', () => {
    const { env, schedule } = setup();
    expect(schedule.failed(new RequestFailure('forbidden', 'x', { httpStatus: 403 }), 5000)).to.equal(undefined);
    expect(env.clock.pending).to.equal(0);
  });

  it('a new poll-interval moves the pending poll to count from the last answer, never a pending retry', async () => {
    const { env, schedule } = setup();
    schedule.answered();
    schedule.after(60_000, 'poll');
    await env.clock.advance(2000);
    schedule.intervalChanged(5000);
    expect(env.clock.delays).to.deep.equal([3000]);
    schedule.after(60_000, 'retry');
    schedule.intervalChanged(1000);
    expect(env.clock.delays).to.deep.equal([60_000]);
  });
});
