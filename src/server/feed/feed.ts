/**
 * One viewer's feed: the Server-Sent Events the server writes for one `/events` request (the browser's reader is
 * `src/push/sse.ts`). A feed exists before the hub is followed, so that every change from then on has one place
 * to wait (its one buffer) until the feed starts into its sink: a web stream (every runtime) or Node's response
 * (`node-slot.ts`). Each viewer has its own bounded queue: the hub hands it events without waiting, and a viewer
 * whose queue overflows (a slow or vanished client) is dropped with its subscription and timers, so it never
 * holds up the others.
 */
import { isTerminal } from '../../lifecycle.js';
import { timerDelay, type Clock, type TimerId } from '../../platform.js';
import type { HubEvent } from '../hub.js';
import { tickOf } from './keepalive.js';

export { KEEPALIVE_MS } from './keepalive.js';
/** The `retry:` the browser reconnects after. */
export const RETRY_MS = 3000;
/**
 * When the hub drops every stream at once (a restart, an eviction), each viewer is told to come back after
 * `RETRY_MS` plus a random share of this: the reconnects spread out instead of arriving as one spike.
 */
export const RECONNECT_SPREAD_MS = 30_000;
/** Bytes a viewer may fall behind by before it is dropped. */
export const MAX_BEHIND_BYTES = 64 * 1024;
/**
 * Keepalives in a row that find something still queued before a viewer is dropped (a minute): keepalives are
 * tiny, so a vanished viewer would otherwise hold thousands of them before it fell MAX_BEHIND_BYTES behind.
 */
export const MAX_STALLED_KEEPALIVES = 4;
const HIGH_WATER_BYTES = 16 * 1024;
/** Queued bytes past which a viewer is dropped: what its sink may buffer, and MAX_BEHIND_BYTES more. */
const MAX_QUEUED_BYTES = HIGH_WATER_BYTES + MAX_BEHIND_BYTES;
/** A strategy holds no state of its own: one for every stream. */
const BY_BYTES = new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES });

/** What a feed writes, and how it ends. */
export interface FeedOptions {
  readonly clock: Clock;
  /** The last event id the client has seen (its Last-Event-ID): the snapshot is sent only if it is newer. */
  readonly seen?: number;
  /**
   * An event's frame (`event`, `id`, `data`) as this viewer may see it (download links stripped for some):
   * bytes shared with every viewer of the same right, never changed here.
   */
  readonly frame: (event: HubEvent) => Uint8Array;
  /** A recording stream ends after a terminal event; a meeting stream follows the next recording. */
  readonly endOnTerminal: boolean;
  readonly onClose?: () => void;
  /**
   * When the stream must end (ms since the epoch, on `clock`): its viewer token expires then, so the viewer is
   * told to come back (`retry:`) and does, with a renewed token. Checked at open only, a token would otherwise
   * watch for ever.
   */
  readonly endAt?: number;
  /** Randomness for the reconnect spread; default Math.random. */
  readonly random?: () => number;
}

/** A feed over a subscription made for it: `openFeed` and `eventStream`, for a source that is not a hub's `follow`. */
export interface EventStreamOptions extends FeedOptions {
  /** The snapshot to start with, then every change. */
  readonly initial: HubEvent;
  /** `end` is called when the feed itself ends (its hub went away): the viewer is told when to come back. */
  readonly subscribe: (listener: (event: HubEvent) => void, end: () => void) => () => void;
}

const encoder = new TextEncoder();
/** The first event's `retry:` line, and the keepalive comment: the same bytes for every viewer. */
const RETRY_LINE = encoder.encode(`retry: ${RETRY_MS}\n`);
const KEEPALIVE = encoder.encode(': keepalive\n\n');

/** The first frame with the `retry:` line before it, as one chunk (one write when a viewer connects). */
function withRetry(frame: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(RETRY_LINE.length + frame.length);
  chunk.set(RETRY_LINE);
  chunk.set(frame, RETRY_LINE.length);
  return chunk;
}

/**
 * Where one viewer's bytes go: a web stream's controller (every runtime), or Node's response itself (under
 * `listen()` and `toNodeHandler()`, see node-slot.ts and node.ts), which spares each viewer a web stream and its pump.
 */
export interface EventSink {
  /** Hands bytes on; never blocks. */
  write(bytes: Uint8Array): void;
  /** Bytes handed on that the client has not taken yet. */
  readonly queued: number;
  /** Ends the stream after what was written. */
  close(): void;
  /** Ends the stream at once, discarding what is queued; the reason is for the reader, never the viewer. */
  fail(why: string): void;
}

/**
 * One viewer's feed. Made before its subscription (`push` and `end` are what the hub's `follow` is given), it keeps
 * what comes until it starts (`subscribed`, then `start` into a sink, or `stream`): one buffer, the only one, so
 * that nothing between the subscription and the first byte is lost or reordered. Then the snapshot, every change,
 * keepalives and the ends (terminal, expiry, the hub going away).
 */
export class Feed {
  readonly #options: FeedOptions;
  /** What came before the feed started, in order; null once it has. */
  #early: HubEvent[] | null = [];
  #endedEarly = false;
  #initial: HubEvent | null = null;
  #unsubscribe: (() => void) | null = null;
  #sink: EventSink | null = null;
  #keepalive: (() => void) | undefined;
  #expiry: TimerId | undefined;
  #closed = false;
  #stalled = 0;
  #last = 0;

  constructor(options: FeedOptions) {
    this.#options = options;
  }

  /** A change from the hub: kept until the feed starts, then written if it is newer than the last. */
  readonly push = (event: HubEvent): void => {
    if (this.#early !== null) this.#early.push(event);
    else this.#accept(event);
  };

  /** The hub went away: the viewer is told when to come back (not from inside a subscribe: the sink comes first). */
  readonly end = (): void => {
    if (this.#early !== null) this.#endedEarly = true;
    else queueMicrotask(this.#endSoon);
  };

  /** The subscription's snapshot, and how to let go of it. */
  subscribed(initial: HubEvent, unsubscribe: () => void): void {
    this.#initial = initial;
    this.#unsubscribe = unsubscribe;
  }

  /** Lets go of the subscription (and `onClose`) without ever writing: the answer went another way. */
  cancel(): void {
    this.#early = null;
    this.#cleanup();
  }

  /** Starts into `sink`: the snapshot, what came meanwhile, then live. Returns what to call when the client goes first. */
  start(sink: EventSink): () => void {
    const initial = this.#initial;
    const early = this.#early;
    const cleanup = () => {
      this.#cleanup();
    };
    if (this.#closed || initial === null || early === null) {
      this.cancel();
      return cleanup;
    }
    this.#sink = sink;
    this.#early = null;
    this.#last = initial.seq;
    if (this.#endedEarly) queueMicrotask(this.#endSoon);
    if (initial.seq > (this.#options.seen ?? -1)) this.#event(initial, true);
    else this.#send(encoder.encode(`retry: ${RETRY_MS}\n\n`));
    for (const next of early) this.#accept(next);
    // The snapshot or what came meanwhile may have ended the feed (a terminal event, a full sink).
    if (this.#isClosed()) return cleanup;
    const tick = tickOf(this.#options.clock);
    this.#keepalive = this.#beat;
    tick.add(this.#beat);
    const { endAt, clock } = this.#options;
    if (endAt !== undefined) {
      this.#expiry = clock.setTimeout(
        () => {
          this.#endWith(RETRY_MS);
        },
        timerDelay(endAt - clock.now()),
      );
    }
    return cleanup;
  }

  /** The feed as a web stream: what a Worker answers with, and Node when a feed cannot go direct. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.start({
            write: (bytes) => {
              controller.enqueue(bytes);
            },
            get queued() {
              return HIGH_WATER_BYTES - (controller.desiredSize ?? 0);
            },
            close: () => {
              controller.close();
            },
            fail: (why) => {
              controller.error(new Error(why));
            },
          });
        },
        cancel: () => {
          this.#cleanup();
        },
      },
      BY_BYTES,
    );
  }

  /** A method, not the field: the calls before it change the field behind the type checker's narrowing. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#keepalive !== undefined) tickOf(this.#options.clock).delete(this.#keepalive);
    if (this.#expiry !== undefined) this.#options.clock.clearTimeout(this.#expiry);
    this.#keepalive = undefined;
    this.#expiry = undefined;
    this.#options.onClose?.();
  }

  #drop(why: string): void {
    this.#cleanup();
    this.#sink?.fail(why);
  }

  #send(bytes: Uint8Array): boolean {
    const sink = this.#sink;
    if (this.#closed || sink === null) return false;
    if (sink.queued > MAX_QUEUED_BYTES) {
      // Too far behind: drop this viewer rather than buffer without bound.
      this.#drop('The viewer fell too far behind.');
      return false;
    }
    sink.write(bytes);
    return true;
  }

  #event(next: HubEvent, first = false): void {
    const { frame, endOnTerminal } = this.#options;
    if (!this.#send(first ? withRetry(frame(next)) : frame(next))) return;
    const { recording } = next;
    if (endOnTerminal && recording !== null && isTerminal(recording.status)) {
      this.#cleanup();
      this.#sink?.close();
    }
  }

  readonly #beat = (): void => {
    this.#stalled = (this.#sink?.queued ?? 0) > 0 ? this.#stalled + 1 : 0;
    if (this.#stalled >= MAX_STALLED_KEEPALIVES) {
      this.#drop('The viewer stopped reading.');
      return;
    }
    this.#send(KEEPALIVE);
  };

  #endWith(retry: number): void {
    if (!this.#send(encoder.encode(`retry: ${retry}\n\n`))) return;
    this.#cleanup();
    this.#sink?.close();
  }

  readonly #endSoon = (): void => {
    this.#endWith(RETRY_MS + Math.floor((this.#options.random ?? Math.random)() * RECONNECT_SPREAD_MS));
  };

  #accept(next: HubEvent): void {
    if (next.seq <= this.#last) return;
    this.#last = next.seq;
    this.#event(next);
  }
}

/** A feed over `options.subscribe`, run into `sink`. Returns what to call when the client goes first. */
export function openFeed(options: EventStreamOptions, sink: EventSink): () => void {
  const feed = new Feed(options);
  feed.subscribed(options.initial, options.subscribe(feed.push, feed.end));
  return feed.start(sink);
}

/** A feed over `options.subscribe`, as a web stream. */
export function eventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const feed = new Feed(options);
  feed.subscribed(options.initial, options.subscribe(feed.push, feed.end));
  return feed.stream();
}
