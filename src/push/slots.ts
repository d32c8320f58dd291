/**
 * How many event streams the widgets may hold open to one proxy origin. Over HTTP/1.1 each stream holds one
 * of the six connections a browser keeps per origin for all its tabs together, so the widgets take at most
 * two, across every tab: a counting semaphore made of Web Locks (`recording-status:push:<origin>:<n>`, held
 * while streaming). Over HTTP/2 and HTTP/3 streams share one connection: each page may hold a generous number.
 */

/** Gives the slot back. */
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

/** Holds the lock `name` until the returned release is called; null when `ifAvailable` finds it taken. */
function hold(locks: LockManager, name: string, options: LockOptions): Promise<Release | null> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, options, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until the returned promise settles: until the release is called.
        return new Promise<void>((release) => {
          resolve(release);
        });
      })
      .catch(reject);
  });
}

/** Slots made of the Web Locks `names(url)` returns: one lock per slot, shared by every tab of the browser. */
export function lockSlots(locks: LockManager, names: (url: string) => string[]): PushSlots {
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
      const all = names(url);
      let left = all.length;
      return new Promise<Release>((resolve, reject) => {
        for (const name of all) {
          hold(locks, name, { signal: withdraw.signal }).then(
            (release) => {
              if (release === null) return;
              if (withdraw.signal.aborted) {
                release();
                return;
              }
              withdraw.abort();
              signal.removeEventListener('abort', onAbort);
              resolve(release);
            },
            () => {
              if (--left === 0 && signal.aborted) reject(aborted());
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
  const entries = [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ] as PerformanceResourceTiming[];
  return (
    entries.reverse().find((e) => e.nextHopProtocol && `${e.name}/`.startsWith(`${origin}/`))?.nextHopProtocol ?? ''
  );
}

/** HTTP/2 and HTTP/3 multiplex; HTTP/1.1 (or an unknown protocol, to be safe) does not. */
export const multiplexed = (protocol: string): boolean => /^h[23]/.test(protocol);

/** Tells this page's locks apart from other tabs' where the cap is per page. */
const PAGE = Math.random().toString(36).slice(2);

/**
 * The browser's slots: two per origin across all tabs for HTTP/1.1 (or an unknown protocol); over HTTP/2 and
 * HTTP/3, a cap per page. A page without Web Locks (an insecure context, an old engine) polls.
 */
export function browserSlots(
  // Undefined in insecure contexts and outside browsers, whatever the DOM typings say.
  locks: LockManager | null = (globalThis.navigator as Partial<Navigator> | undefined)?.locks ?? null,
  protocol: (origin: string) => string = protocolOf,
): PushSlots {
  // No way to count across tabs: no stream at all, rather than one too many. These pages poll.
  if (!locks) {
    return {
      tryAcquire: () => Promise.resolve(null),
      acquire: (_, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            reject(aborted());
          });
        }),
    };
  }
  return lockSlots(locks, (url) => {
    const origin = new URL(url).origin;
    const wide = multiplexed(protocol(origin));
    return Array.from(
      { length: wide ? MULTIPLEXED_STREAMS : HTTP1_STREAMS },
      (_, i) => `recording-status:push:${origin}:${wide ? `${PAGE}:` : ''}${i}`,
    );
  });
}
