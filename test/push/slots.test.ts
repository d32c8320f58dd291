import { expect } from '@open-wc/testing';
import {
  HTTP1_STREAMS,
  MULTIPLEXED_STREAMS,
  Semaphore,
  browserSlots,
  lockSlots,
  multiplexed,
  pageSlots,
  protocolOf,
} from '../../src/push/slots.js';

const ORIGIN = 'https://proxy.example';
const url = (path = '/events?recording_id=r1') => `${ORIGIN}${path}`;

describe('push/slots', () => {
  describe('Semaphore', () => {
    it('holds up to its capacity; a release hands the slot to the first waiter', async () => {
      const semaphore = new Semaphore(2);
      const a = semaphore.tryAcquire();
      const b = semaphore.tryAcquire();
      expect(semaphore.tryAcquire()).to.equal(null);
      const order: string[] = [];
      const c = semaphore.acquire(new AbortController().signal).then((r) => (order.push('c'), r));
      const d = semaphore.acquire(new AbortController().signal).then((r) => (order.push('d'), r));
      a!();
      a!(); // twice is once
      await c;
      expect(order).to.deep.equal(['c']);
      expect(semaphore.held).to.equal(2);
      b!();
      (await d)();
      expect(order).to.deep.equal(['c', 'd']);
      expect(semaphore.held).to.equal(1);
    });

    it('an aborted wait rejects and leaves the queue', async () => {
      const semaphore = new Semaphore(1);
      const held = semaphore.tryAcquire()!;
      const abort = new AbortController();
      const waiting = semaphore.acquire(abort.signal);
      abort.abort();
      let error: unknown;
      await waiting.catch((e: unknown) => (error = e));
      expect((error as DOMException).name).to.equal('AbortError');
      held();
      expect(semaphore.held).to.equal(0);
    });
  });

  describe('pageSlots', () => {
    it('counts per origin', async () => {
      const slots = pageSlots(() => 1);
      expect(await slots.tryAcquire(url())).to.not.equal(null);
      expect(await slots.tryAcquire(url('/other'))).to.equal(null);
      expect(await slots.tryAcquire('https://elsewhere.example/events')).to.not.equal(null);
    });
  });

  describe('lockSlots (Web Locks, shared by every tab of the browser)', () => {
    it(`holds at most ${HTTP1_STREAMS} per origin; a waiter takes whichever frees first`, async () => {
      const origin = `https://locks-${Math.random().toString(36).slice(2)}.example`;
      const slots = lockSlots(navigator.locks, HTTP1_STREAMS);
      const first = await slots.tryAcquire(`${origin}/a`);
      const second = await slots.tryAcquire(`${origin}/b`);
      expect(first).to.not.equal(null);
      expect(second).to.not.equal(null);
      expect(await slots.tryAcquire(`${origin}/c`)).to.equal(null);
      const names = (await navigator.locks.query()).held!.map((l) => l.name).filter((n) => n?.includes(origin));
      expect(names.sort()).to.deep.equal([`recording-status:push:${origin}:0`, `recording-status:push:${origin}:1`]);
      const waiting = slots.acquire(`${origin}/d`, new AbortController().signal);
      second!();
      const third = await waiting;
      // The waiter's other request (for slot 0) was withdrawn: nothing is left pending.
      const state = await navigator.locks.query();
      expect(state.pending!.filter((l) => l.name!.includes(origin))).to.deep.equal([]);
      first!();
      third();
      expect(await slots.tryAcquire(`${origin}/e`)).to.not.equal(null);
    });

    it('an aborted wait withdraws every request', async () => {
      const origin = `https://locks-${Math.random().toString(36).slice(2)}.example`;
      const slots = lockSlots(navigator.locks, 2);
      const held = [await slots.tryAcquire(origin), await slots.tryAcquire(origin)];
      const abort = new AbortController();
      const waiting = slots.acquire(origin, abort.signal);
      abort.abort();
      let error: unknown;
      await waiting.catch((e: unknown) => (error = e));
      expect((error as DOMException).name).to.equal('AbortError');
      const state = await navigator.locks.query();
      expect(state.pending!.filter((l) => l.name!.includes(origin))).to.deep.equal([]);
      for (const release of held) release!();
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

    it(`over HTTP/2 each page may hold ${MULTIPLEXED_STREAMS} streams; over HTTP/1.1 (or unknown) ${HTTP1_STREAMS}`, async () => {
      const slots = browserSlots(undefined, (origin) => (origin === 'https://h2.example' ? 'h2' : ''));
      const wide = await Promise.all(Array.from({ length: MULTIPLEXED_STREAMS + 1 }, () => slots.tryAcquire('https://h2.example/e')));
      expect(wide.filter((r) => r !== null)).to.have.length(MULTIPLEXED_STREAMS);
      const serial = await Promise.all(Array.from({ length: 3 }, () => slots.tryAcquire('https://h1.example/e')));
      expect(serial.filter((r) => r !== null)).to.have.length(HTTP1_STREAMS);
    });
  });
});
