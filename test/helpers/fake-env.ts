/** A controllable world for the stream: time, network, visibility and connectivity. */
import type { Clock, Environment, FetchLike, PageChange, PageSignals, TimerId } from '../../src/stream/environment.js';
import { HTTP1_STREAMS, type PushSlots, type Release } from '../../src/push/slots.js';

/**
 * Lets promise chains and native body reads settle, by yielding whole tasks of the real event loop: never a
 * timed sleep. A message port, unlike setTimeout(0), is not throttled in background tabs.
 */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
}

export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = Date.UTC(2026, 10, 20, 10, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    const id = this.#nextId++;
    // As browsers do: a delay past 2³¹−1 ms (or NaN) overflows and fires at once.
    const delay = ms > 2 ** 31 - 1 || Number.isNaN(ms) ? 0 : Math.max(0, ms);
    this.#timers.set(id, { at: this.#now + delay, callback });
    return id as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    this.#timers.delete(id as unknown as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** The delays of the timers now pending, from now. */
  get delays(): number[] {
    return [...this.#timers.values()].map((t) => t.at - this.#now).sort((a, b) => a - b);
  }

  /** Moves time forward, running each timer at its moment and letting the work it starts settle. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    // Bounded: code that re-arms a timer at once forever (an overflowed delay) fails here instead of hanging.
    for (let fired = 0; ; fired++) {
      if (fired === 10_000) throw new Error('FakeClock: 10000 timers fired within one advance(); a runaway loop?');
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}

export class FakePage implements PageSignals {
  hidden = false;
  online = true;
  readonly #listeners = new Set<(change: PageChange) => void>();

  isHidden(): boolean {
    return this.hidden;
  }
  isOnline(): boolean {
    return this.online;
  }
  onChange(callback: (change: PageChange) => void): () => void {
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  }
  get listenerCount(): number {
    return this.#listeners.size;
  }
  #tell(change: PageChange): void {
    for (const l of [...this.#listeners]) l(change);
  }
  show(): void {
    this.hidden = false;
    this.#tell('visible');
  }
  hide(): void {
    this.hidden = true;
    this.#tell('hidden');
  }
  goOnline(): void {
    this.online = true;
    this.#tell('online');
  }
  goOffline(): void {
    this.online = false;
    this.#tell('offline');
  }
}

export interface Call {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal | null;
}

export type Handler = (url: URL, call: Call) => Response | Promise<Response>;

/** A fetch that records every call and answers through a handler the test can swap. */
export class FakeFetch {
  readonly calls: Call[] = [];
  handler: Handler;
  /**
   * Whether an abort leaves the answer alone, as when a response is already on its way: then a stale answer
   * reaches the caller, which must drop it itself.
   */
  readonly ignoresAbort: boolean;

  constructor(handler: Handler, options: { ignoresAbort?: boolean } = {}) {
    this.handler = handler;
    this.ignoresAbort = options.ignoresAbort ?? false;
  }

  readonly fetch: FetchLike = (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const call = { url: input, headers, signal: init.signal ?? null };
    this.calls.push(call);
    const signal = this.ignoresAbort ? undefined : init.signal;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      Promise.resolve()
        .then(() => this.handler(new URL(input), call))
        .then(resolve, reject);
    });
  };

  /** This fake in the shape of the page's fetch, to put in its place. */
  readonly asGlobal = ((input: RequestInfo | URL, init?: RequestInit) =>
    this.fetch(input instanceof Request ? input.url : input.toString(), init ?? {})) as typeof fetch;

  /** Calls to paths that contain `fragment`. */
  count(fragment: string): number {
    return this.calls.filter((c) => c.url.includes(fragment)).length;
  }
}

/** A promise that never settles unless aborted: a hung server. */
export const hang = (): Promise<Response> => new Promise(() => {});

/**
 * A real Response whose body is already in hand: engines resolve a native body read after a varying number
 * of tasks, which would make fake-clock tests depend on the engine's scheduling.
 */
class InstantResponse extends Response {
  readonly #text: string;
  constructor(text: string, init: ResponseInit) {
    super(init.status === 304 || init.status === 204 ? null : text, init);
    this.#text = text;
  }
  override text(): Promise<string> {
    return Promise.resolve(this.#text);
  }
  override json(): Promise<unknown> {
    return Promise.resolve(JSON.parse(this.#text) as unknown);
  }
  override clone(): Response {
    return new InstantResponse(this.#text, { status: this.status, headers: this.headers });
  }
}

export function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new InstantResponse(body, { status, headers });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return text(JSON.stringify(body), status, { 'Content-Type': 'application/json', ...headers });
}

export const notModified = (): Response => text('', 304);

/**
 * Stream slots inside one page, without Web Locks (which the browser grants in its own time, not the fake
 * clock's): `capacity` per origin, handed to waiters in order as slots free.
 */
export class FakeSlots implements PushSlots {
  readonly #capacity: number;
  readonly #held = new Map<string, number>();
  readonly #waiting: { origin: string; grant: (release: Release) => void }[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  held(url: string): number {
    return this.#held.get(new URL(url).origin) ?? 0;
  }

  #take(origin: string): Release | null {
    const held = this.#held.get(origin) ?? 0;
    if (held >= this.#capacity) return null;
    this.#held.set(origin, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held.set(origin, (this.#held.get(origin) ?? 1) - 1);
      const next = this.#waiting.findIndex((w) => w.origin === origin);
      if (next >= 0) this.#waiting.splice(next, 1)[0]!.grant(this.#take(origin)!);
    };
  }

  tryAcquire(url: string): Promise<Release | null> {
    return Promise.resolve(this.#take(new URL(url).origin));
  }

  acquire(url: string, signal: AbortSignal): Promise<Release> {
    const origin = new URL(url).origin;
    return new Promise((resolve, reject) => {
      const release = this.#take(origin);
      if (release) {
        resolve(release);
        return;
      }
      const waiter = { origin, grant: resolve };
      this.#waiting.push(waiter);
      signal.addEventListener('abort', () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(new DOMException('Aborted', 'AbortError'));
      });
    });
  }
}

export function fakeEnvironment(
  fetch: FakeFetch,
  clock = new FakeClock(),
  page = new FakePage(),
  slots: PushSlots = new FakeSlots(HTTP1_STREAMS),
) {
  let seed = 0.5;
  const env: Environment & { clock: FakeClock; page: FakePage; setRandom(v: number): void } = {
    clock,
    fetch: fetch.fetch,
    page,
    random: () => seed,
    baseUrl: () => 'https://host.example/app/',
    push: { slots, unsupported: new Set<string>() },
    setRandom(v: number) {
      seed = v;
    },
  };
  return env;
}

/**
 * One open Server-Sent Events answer from the fake proxy: the test writes frames into it, and ends or breaks
 * it. `cancelled` turns true when the client closes it (disconnect, watchdog, terminal event).
 */
export class FakeEventStream {
  readonly response: Response;
  cancelled = false;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  readonly #encoder = new TextEncoder();

  constructor(headers: Record<string, string> = {}) {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.cancelled = true;
      },
    });
    this.response = new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', ...headers },
    });
  }

  /** Writes raw text (frames, comments, halves of frames). */
  write(text: string): void {
    if (!this.cancelled) this.#controller.enqueue(this.#encoder.encode(text));
  }

  /** One `event: recording` frame. */
  recording(data: unknown, id?: number): void {
    this.write(`event: recording\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
  }

  /** The server ends the stream. */
  end(): void {
    if (!this.cancelled) this.#controller.close();
  }

  /** The connection breaks. */
  fail(): void {
    if (!this.cancelled) this.#controller.error(new TypeError('network error'));
  }
}
