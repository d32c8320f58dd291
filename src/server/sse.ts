/**
 * One viewer's Server-Sent Events stream. Each viewer has its own bounded queue: the hub hands it events
 * without waiting, and a viewer whose queue overflows (a slow or vanished client) is dropped with its
 * subscription and timers, so it never holds up the others.
 */
import { isTerminal } from '../lifecycle.js';
import { timerDelay, type Clock, type TimerId } from '../platform.js';
import type { HubEvent } from './hub.js';

export const KEEPALIVE_MS = 15_000;
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

export interface EventStreamOptions {
  readonly clock: Clock;
  /** The snapshot to start with, then every change. */
  readonly initial: HubEvent;
  /** The last event id the client has seen (its Last-Event-ID): the snapshot is sent only if it is newer. */
  readonly seen?: number;
  /** `end` is called when the feed itself ends (its hub went away): the viewer is told when to come back. */
  readonly subscribe: (listener: (event: HubEvent) => void, end: () => void) => () => void;
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
 * One keepalive tick for every open stream on a clock (in a process: one), instead of a timer per viewer. It
 * holds open streams only: a stream leaves it when it ends, and the tick stops when none is left.
 */
class KeepaliveTick {
  readonly #clock: Clock;
  readonly #beats = new Set<() => void>();
  #timer: TimerId | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(beat: () => void): void {
    this.#beats.add(beat);
    if (this.#timer === undefined) this.#arm();
  }

  delete(beat: () => void): void {
    this.#beats.delete(beat);
    if (this.#beats.size > 0 || this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      // A beat may end its stream (and leave the set) while the set is walked: a Set allows that.
      for (const beat of this.#beats) beat();
      if (this.#beats.size > 0) this.#arm();
    }, timerDelay(KEEPALIVE_MS));
  }
}

const ticks = new WeakMap<Clock, KeepaliveTick>();

function tickOf(clock: Clock): KeepaliveTick {
  let tick = ticks.get(clock);
  if (tick === undefined) {
    tick = new KeepaliveTick(clock);
    ticks.set(clock, tick);
  }
  return tick;
}

/**
 * Where one viewer's bytes go: a web stream's controller (every runtime), or Node's response itself (under
 * `listen()` and `toNodeHandler()`, see feed-slot.ts and node.ts), which spares each viewer a web stream and its pump.
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
 * Runs one viewer's feed into `sink`: the snapshot, then every change, keepalives and the ends (terminal,
 * expiry, the hub going away). Returns what to call when the client goes first.
 */
export function openFeed(options: EventStreamOptions, sink: EventSink): () => void {
  const tick = tickOf(options.clock);
  let unsubscribe: (() => void) | null = null;
  let keepalive: (() => void) | undefined;
  let expiry: TimerId | undefined;
  // Widened: the closures below set it, so the snapshot's send may have ended the feed before the tick is joined.
  let closed = false as boolean;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    unsubscribe = null;
    if (keepalive !== undefined) tick.delete(keepalive);
    if (expiry !== undefined) options.clock.clearTimeout(expiry);
    keepalive = undefined;
    expiry = undefined;
    options.onClose?.();
  };
  const drop = (why: string) => {
    cleanup();
    sink.fail(why);
  };
  const send = (bytes: Uint8Array): boolean => {
    if (closed) return false;
    if (sink.queued > MAX_QUEUED_BYTES) {
      // Too far behind: drop this viewer rather than buffer without bound.
      drop('The viewer fell too far behind.');
      return false;
    }
    sink.write(bytes);
    return true;
  };
  const event = (next: HubEvent, first = false) => {
    if (!send(first ? withRetry(options.frame(next)) : options.frame(next))) return;
    const { recording } = next;
    if (options.endOnTerminal && recording !== null && isTerminal(recording.status)) {
      cleanup();
      sink.close();
    }
  };
  let stalled = 0;
  const beat = () => {
    stalled = sink.queued > 0 ? stalled + 1 : 0;
    if (stalled >= MAX_STALLED_KEEPALIVES) {
      drop('The viewer stopped reading.');
      return;
    }
    send(KEEPALIVE);
  };
  let last = options.initial.seq;
  const endWith = (retry: number) => {
    if (!send(encoder.encode(`retry: ${retry}\n\n`))) return;
    cleanup();
    sink.close();
  };
  const end = () => {
    endWith(RETRY_MS + Math.floor((options.random ?? Math.random)() * RECONNECT_SPREAD_MS));
  };
  const accept = (next: HubEvent) => {
    if (next.seq <= last) return;
    last = next.seq;
    event(next);
  };
  // Changes handed over while subscribing (a feed that opens late gets what came meanwhile) wait for the snapshot,
  // and the subscription must be held before anything sent can end the feed.
  let held: HubEvent[] | null = [];
  unsubscribe = options.subscribe(
    (next) => {
      if (held === null) accept(next);
      else held.push(next);
    },
    () => {
      // Not from inside subscribe(): the sink must first be set up.
      queueMicrotask(end);
    },
  );
  const early = held;
  held = null;
  if (options.initial.seq > (options.seen ?? -1)) event(options.initial, true);
  else send(encoder.encode(`retry: ${RETRY_MS}\n\n`));
  for (const next of early) accept(next);
  if (closed) return cleanup;
  keepalive = beat;
  tick.add(beat);
  if (options.endAt !== undefined) {
    expiry = options.clock.setTimeout(
      () => {
        endWith(RETRY_MS);
      },
      timerDelay(options.endAt - options.clock.now()),
    );
  }
  return cleanup;
}

/** One viewer's feed as a web stream: what a Worker answers with, and Node when a feed cannot go direct. */
export function eventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  let cancel: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        cancel = openFeed(options, {
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
      cancel() {
        cancel?.();
      },
    },
    BY_BYTES,
  );
}
