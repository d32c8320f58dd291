/**
 * Everything a stream takes from the outside world, so tests drive time, the network, page
 * visibility and connectivity without sleeping or touching globals.
 */
import { systemClock, type Clock, type FetchLike } from '../platform.js';
import { browserSlots, type PushSlots } from '../push/slots.js';

export type { Clock, FetchLike, TimerId } from '../platform.js';

export interface PageSignals {
  isHidden(): boolean;
  isOnline(): boolean;
  /** Calls back when the page is shown or hidden, or goes online or offline; returns the unsubscribe. */
  onChange(callback: (change: PageChange) => void): () => void;
}

export type PageChange = 'visible' | 'hidden' | 'online' | 'offline';

/** What every push stream of a page shares. */
export interface PushShared {
  /** How many event streams may be open per proxy origin, across tabs. */
  readonly slots: PushSlots;
  /** The `/events` URLs (without query) that answered "no push here": the page polls those proxies. */
  readonly unsupported: Set<string>;
}

export interface Environment {
  readonly clock: Clock;
  readonly fetch: FetchLike;
  readonly page: PageSignals;
  /** In [0, 1): jitter for backoff. */
  readonly random: () => number;
  /** What relative URLs resolve against. */
  readonly baseUrl: () => string;
  readonly push: PushShared;
}

let slots: PushSlots | undefined;

/**
 * The browser's own environment. Globals are read at call time, not captured, so a test that swaps
 * `fetch` or installs fake timers after import is still honoured.
 */
export const browserEnvironment: Environment = {
  clock: systemClock,
  fetch: (input, init) => globalThis.fetch(input, init),
  page: {
    isHidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine,
    onChange(callback) {
      const onVisibility = () => {
        callback(document.visibilityState === 'hidden' ? 'hidden' : 'visible');
      };
      const onNetwork = (event: Event) => {
        callback(event.type as 'online' | 'offline');
      };
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('online', onNetwork);
      window.addEventListener('offline', onNetwork);
      return () => {
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('online', onNetwork);
        window.removeEventListener('offline', onNetwork);
      };
    },
  },
  random: () => Math.random(),
  baseUrl: () => (typeof document !== 'undefined' ? document.baseURI : 'http://localhost/'),
  push: {
    // Made on first use: server rendering imports this module without a navigator.
    get slots() {
      return (slots ??= browserSlots());
    },
    unsupported: new Set(),
  },
};
