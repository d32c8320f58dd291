import { expect } from '@open-wc/testing';
import {
  HTTP1_STREAMS,
  MULTIPLEXED_STREAMS,
  browserSlots,
  lockSlots,
  multiplexed,
  protocolOf,
} from '../../src/push/slots.js';

/** An origin of its own per test: Web Locks outlive a test, and other tabs' tests share them. */
const fresh = () => `https://locks-${Math.random().toString(36).slice(2)}.example`;
const ours = async (origin: string) => {
  const state = await navigator.locks.query();
  const names = (list: LockInfo[] | undefined) =>
    (list ?? []).map((l) => l.name ?? '').filter((n) => n.includes(origin));
  return { held: names(state.held).sort(), pending: names(state.pending) };
};

describe('push/slots', () => {
  describe('lockSlots (Web Locks, shared by every tab of the browser)', () => {
    it(`holds at most ${HTTP1_STREAMS} per origin over HTTP/1.1; a waiter takes whichever frees first`, async () => {
      const origin = fresh();
      const slots = browserSlots(navigator.locks, () => 'http/1.1');
      const first = await slots.tryAcquire(`${origin}/a`);
      const second = await slots.tryAcquire(`${origin}/b`);
      expect(first).to.not.equal(null);
      expect(second).to.not.equal(null);
      expect(await slots.tryAcquire(`${origin}/c`)).to.equal(null);
      expect((await ours(origin)).held).to.deep.equal([
        `recording-status:push:${origin}:0`,
        `recording-status:push:${origin}:1`,
      ]);
      const waiting = slots.acquire(`${origin}/d`, new AbortController().signal);
      second!();
      const third = await waiting;
      // The waiter's other request (for slot 0) was withdrawn: nothing is left pending.
      expect((await ours(origin)).pending).to.deep.equal([]);
      first!();
      third();
      expect(await slots.tryAcquire(`${origin}/e`)).to.not.equal(null);
    });

    it('an aborted wait withdraws every request', async () => {
      const origin = fresh();
      const slots = lockSlots(navigator.locks, () => [`${origin}:0`, `${origin}:1`]);
      const held = [await slots.tryAcquire(origin), await slots.tryAcquire(origin)];
      const abort = new AbortController();
      const waiting = slots.acquire(origin, abort.signal);
      abort.abort();
      let error: unknown;
      await waiting.catch((e: unknown) => (error = e));
      expect((error as DOMException).name).to.equal('AbortError');
      expect((await ours(origin)).pending).to.deep.equal([]);
      for (const release of held) release!();
      // The lock manager lets go in its own time: ask until it has (bounded).
      for (let i = 0; i < 50 && (await ours(origin)).held.length > 0; i++);
      expect((await ours(origin)).held).to.deep.equal([]);
    });

    it(`over HTTP/2 each page may hold ${MULTIPLEXED_STREAMS}, under locks of its own`, async () => {
      const origin = fresh();
      const slots = browserSlots(navigator.locks, () => 'h2');
      const held = [];
      for (let i = 0; i <= MULTIPLEXED_STREAMS; i++) held.push(await slots.tryAcquire(`${origin}/e`));
      expect(held.filter((r) => r !== null)).to.have.length(MULTIPLEXED_STREAMS);
      // Another page's names differ, so its own cap is untouched.
      const other = lockSlots(navigator.locks, () => [`recording-status:push:${origin}:other-page:0`]);
      expect(await other.tryAcquire(origin)).to.not.equal(null);
      const mine = (await ours(origin)).held.filter((n) => !n.includes('other-page'));
      expect(mine).to.have.length(MULTIPLEXED_STREAMS);
      expect(new Set(mine.map((n) => n.split(':').at(-2))).size).to.equal(1);
    });
  });

  describe('without Web Locks', () => {
    it('opens no stream (nothing counts across tabs): the page polls', async () => {
      const slots = browserSlots(null);
      expect(await slots.tryAcquire(fresh())).to.equal(null);
      const abort = new AbortController();
      const waiting = slots.acquire(fresh(), abort.signal);
      abort.abort();
      let error: unknown;
      await waiting.catch((e: unknown) => (error = e));
      expect((error as DOMException).name).to.equal('AbortError');
    });
  });

  describe('protocol', () => {
    it('reads the protocol of an origin from the resource timing entries', async () => {
      await fetch(new URL('/test/push/slots.test.ts', location.href), { cache: 'no-store' }).then((r) => r.text());
      // The test server speaks HTTP/1.1.
      expect(protocolOf(location.origin)).to.equal('http/1.1');
      expect(protocolOf('https://never-fetched.example')).to.equal('');
    });

    const cases: [string, boolean][] = [
      ['h2', true],
      ['h3', true],
      ['h3-29', true],
      ['http/1.1', false],
      ['', false],
    ];
    for (const [protocol, expected] of cases) {
      it(`"${protocol}" ${expected ? 'multiplexes' : 'does not multiplex'}`, () => {
        expect(multiplexed(protocol)).to.equal(expected);
      });
    }
  });
});
