/**
 * How many event streams the widgets may hold open to one proxy origin. Over HTTP/1.1 each stream holds one
 * of the six connections a browser keeps per origin for all its tabs together, so the widgets take at most
 * two, across every tab: a counting semaphore made of Web Locks (`recording-status:push:<origin>:<n>`, held
 * while streaming). Over HTTP/2 and HTTP/3 streams share one connection: each page may hold a generous number.
 */

/** Gives the slot back. Idempotent. */
export type Release = () => void;

export interface PushSlots {
  /** A slot for `url`'s origin if one is free now, else null. */
  tryAcquire(url: string): Promise<Release | null>;
  /** Waits for a slot; rejects with an AbortError when `signal` aborts first. */
  acquire(url: string, signal: AbortSignal): Promise<Release>;
}

/** Streams per proxy origin over HTTP/1.1, in the whole browser: four of six connections stay free. */
export const HTTP1_STREAMS = 2;
/** Streams per page and origin over HTTP/2 or HTTP/3, where they share one connection. */
export const MULTIPLEXED_STREAMS = 32;

const aborted = () => new DOMException('Aborted', 'AbortError');

/** A counting semaphore inside one page. */
export class Semaphore {
  readonly #capacity: number;
  #held = 0;
  readonly #waiting = new Set<() => void>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get held(): number {
    return this.#held;
  }

  tryAcquire(): Release | null {
    if (this.#held >= this.#capacity) return null;
    this.#held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      const next = this.#waiting.values().next();
      if (!next.done) next.value();
    };
  }

  acquire(signal: AbortSignal): Promise<Release> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const release = this.tryAcquire();
        if (release === null) return;
        this.#waiting.delete(attempt);
        signal.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = () => {
        this.#waiting.delete(attempt);
        reject(aborted());
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      this.#waiting.add(attempt);
      signal.addEventListener('abort', onAbort, { once: true });
      attempt();
    });
  }
}

/** In-page slots: `capacityFor(origin)` streams per origin. Also what pages without Web Locks use. */
export function pageSlots(capacityFor: (origin: string) => number): PushSlots {
  const semaphores = new Map<string, Semaphore>();
  const of = (url: string) => {
    const origin = new URL(url).origin;
    let semaphore = semaphores.get(origin);
    if (!semaphore) semaphores.set(origin, (semaphore = new Semaphore(capacityFor(origin))));
    return semaphore;
  };
  return {
    tryAcquire: (url) => Promise.resolve(of(url).tryAcquire()),
    acquire: (url, signal) => of(url).acquire(signal),
  };
}

/** Holds the lock `name` until the returned release is called; null when `ifAvailable` finds it taken. */
function hold(locks: LockManager, name: string, options: LockOptions): Promise<Release | null> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, options, (lock) => {
        if (lock === null) {
          resolve(null);
          return undefined;
        }
        return new Promise<void>((release) => {
          resolve(() => {
            release();
          });
        });
      })
      .catch(reject);
  });
}

/** Slots shared by every tab of this browser through Web Locks: `count` of them per origin. */
export function lockSlots(locks: LockManager, count: number): PushSlots {
  const names = (url: string) =>
    Array.from({ length: count }, (_, i) => `recording-status:push:${new URL(url).origin}:${i}`);
  return {
    async tryAcquire(url) {
      for (const name of names(url)) {
        const release = await hold(locks, name, { ifAvailable: true });
        if (release) return release;
      }
      return null;
    },
    acquire(url, signal) {
      // Queue for every slot at once and keep whichever frees first; the rest are withdrawn (or, if granted
      // in the same instant, given straight back).
      const withdraw = new AbortController();
      const onAbort = () => {
        withdraw.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      return new Promise<Release>((resolve, reject) => {
        let won = false;
        let left = count;
        for (const name of names(url)) {
          hold(locks, name, { signal: withdraw.signal }).then(
            (release) => {
              if (release === null) return;
              if (won || signal.aborted) {
                release();
                return;
              }
              won = true;
              signal.removeEventListener('abort', onAbort);
              withdraw.abort();
              resolve(release);
            },
            () => {
              if (--left === 0 && !won) {
                signal.removeEventListener('abort', onAbort);
                reject(aborted());
              }
            },
          );
        }
      });
    },
  };
}

/**
 * The protocol that carries requests to `origin`, from the Resource Timing entries the page already has (the
 * page itself, a token, a poll): '' while unknown. Cross-origin entries show it only when the server sends
 * `Timing-Allow-Origin`.
 */
export function protocolOf(origin: string): string {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return '';
  const entries = [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ] as PerformanceResourceTiming[];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry?.nextHopProtocol && (entry.name === origin || entry.name.startsWith(`${origin}/`))) {
      return entry.nextHopProtocol;
    }
  }
  return '';
}

/** HTTP/2 and HTTP/3 multiplex; HTTP/1.1 (or an unknown protocol, to be safe) does not. */
export const multiplexed = (protocol: string): boolean => protocol === 'h2' || protocol.startsWith('h3');

/**
 * The browser's slots: Web Locks across tabs for HTTP/1.1 (or an unknown protocol), an in-page cap for
 * HTTP/2 and HTTP/3. A page without Web Locks (an old engine, an insecure context) caps itself alone.
 */
export function browserSlots(
  locks: LockManager | undefined = typeof navigator === 'undefined' ? undefined : navigator.locks,
  protocol: (origin: string) => string = protocolOf,
): PushSlots {
  const serial = locks ? lockSlots(locks, HTTP1_STREAMS) : pageSlots(() => HTTP1_STREAMS);
  const wide = pageSlots(() => MULTIPLEXED_STREAMS);
  const pick = (url: string) => (multiplexed(protocol(new URL(url).origin)) ? wide : serial);
  return {
    tryAcquire: (url) => pick(url).tryAcquire(url),
    acquire: (url, signal) => pick(url).acquire(url, signal),
  };
}
