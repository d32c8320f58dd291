/**
 * The two connections a replica holds to Redis: one for commands and scripts, one for pub/sub (a subscribed
 * connection may send nothing else). Both reconnect forever with a bounded backoff; while either is down,
 * commands fail at once (no offline queue: the shells fall back to what the replica knows) and the outage is said
 * once, its end once. On its way back, each `onReconnect` hook runs, so the shells re-read what they serve.
 */
import { isRedisClient } from '../options/redis.js';
import { loadRedis, type MessageListener, type RedisClientLike, type RedisClientSettings } from './package.js';

/** A command waits this long for Redis before it counts as unavailable (Redis slow is Redis down). */
export const COMMAND_TIMEOUT_MS = 1000;
/** Reconnection waits double from 50 ms up to this, forever. */
export const MAX_RECONNECT_DELAY_MS = 2000;
/** Commands a connection holds while waiting for answers; past it, commands fail and the shells fall back. */
export const MAX_QUEUED_COMMANDS = 10_000;
/** How long startup waits for a first connection; past it the replica starts anyway, serving on its own. */
export const STARTUP_WAIT_MS = 2000;

/** Redis did not answer (down, restarting, or slower than COMMAND_TIMEOUT_MS). */
export class RedisUnavailable extends Error {
  constructor(cause?: unknown) {
    super('Redis is unavailable.', { cause });
    this.name = 'RedisUnavailable';
  }
}

export interface RedisConnectionOptions {
  /** `redis://…` (or `rediss://`), or a node-redis client the host made (its own; this server never closes it). */
  readonly redis: string | RedisClientLike;
  readonly log: (line: string) => void;
  /** Where node-redis comes from (tests load a missing name to see the startup error). */
  readonly packageName?: string;
}

/** node-redis's `ErrorReply` (and its subclasses), told apart without importing the optional package. */
function isErrorReply(error: unknown): boolean {
  for (let proto: unknown = Object.getPrototypeOf(error); proto !== null && proto !== undefined;) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'ErrorReply') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

export const reconnectDelay = (retries: number): number =>
  Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(retries, 10)) + Math.floor(Math.random() * 50);

/** The host and port of a Redis URL, for log lines: never its user name or password. */
export function redisHost(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? 'the configured Redis' : parsed.host;
  } catch {
    return 'the configured Redis';
  }
}

const SETTINGS: RedisClientSettings = {
  disableOfflineQueue: true,
  commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
  pingInterval: 5000,
  socket: { connectTimeout: STARTUP_WAIT_MS, reconnectStrategy: reconnectDelay },
};

export class RedisConnection {
  readonly #options: RedisConnectionOptions;
  readonly #where: string;
  #commands: RedisClientLike | null = null;
  #subscriber: RedisClientLike | null = null;
  /** Whether this server made the command connection (and so closes it). */
  #ownsCommands = false;
  /** Channels the shells want, with their listener: re-subscribed on every reconnection. */
  readonly #channels = new Map<string, MessageListener>();
  /** Whether both connections were ready when last seen; false from the first error until both are again. */
  #up = false;
  /** Whether an outage was said and its end not yet. */
  #saidDown = false;
  #closed = false;
  readonly #reconnectHooks = new Set<() => void>();
  /** What this connection did, for the benchmark and the tests. */
  readonly stats = { commands: 0, failures: 0, outages: 0, reconnects: 0 };

  constructor(options: RedisConnectionOptions) {
    this.#options = options;
    this.#where = typeof options.redis === 'string' ? redisHost(options.redis) : 'the given Redis client';
  }

  /**
   * Loads node-redis (a missing package is a startup error naming it), opens both connections and waits a
   * moment for them: a replica whose Redis is down starts anyway, serving its own viewers.
   */
  async open(): Promise<void> {
    let commands: RedisClientLike;
    if (isRedisClient(this.#options.redis)) {
      commands = this.#options.redis;
    } else {
      const redis = await loadRedis(this.#options.packageName);
      commands = redis.createClient({ ...SETTINGS, url: this.#options.redis });
      this.#ownsCommands = true;
    }
    const subscriber = commands.duplicate(SETTINGS);
    this.#commands = commands;
    this.#subscriber = subscriber;
    for (const client of [commands, subscriber]) {
      client.on('error', (error: Error) => {
        this.#down(error);
      });
      client.on('reconnecting', () => {
        this.#down();
      });
      client.on('ready', () => {
        this.#ready();
      });
    }
    const connecting = [
      this.#ownsCommands || !commands.isOpen ? commands.connect() : Promise.resolve(),
      subscriber.connect(),
    ].map((p) => p.catch(() => undefined));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(connecting),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STARTUP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.#ready();
    if (!this.#up) this.#down();
  }

  /** Both connections answer. */
  get up(): boolean {
    return this.#up;
  }

  /**
   * Grows by one each time Redis comes back: what a replica heard on its channels before an outage is current
   * only while this is the same.
   */
  get epoch(): number {
    return this.stats.reconnects;
  }

  /** Runs after Redis comes back from an outage (both connections ready again, channels re-subscribed). */
  onReconnect(hook: () => void): () => void {
    this.#reconnectHooks.add(hook);
    return () => this.#reconnectHooks.delete(hook);
  }

  /** One command; {@link RedisUnavailable} when Redis is down or slower than COMMAND_TIMEOUT_MS. */
  async command(args: readonly string[]): Promise<unknown> {
    const client = this.#commands;
    if (client === null || !this.#up || !client.isReady) throw new RedisUnavailable();
    this.stats.commands++;
    try {
      return await client.sendCommand(args, { timeout: COMMAND_TIMEOUT_MS });
    } catch (error) {
      this.stats.failures++;
      // Redis answering with an error (NOSCRIPT, a script's own) is Redis there; anything else is Redis away.
      if (isErrorReply(error)) throw error;
      throw new RedisUnavailable(error);
    }
  }

  /** Hears `channel` until `unsubscribe`; resolves once Redis confirmed (rejects while Redis is down). */
  async subscribe(channel: string, listener: MessageListener): Promise<void> {
    this.#channels.set(channel, listener);
    const subscriber = this.#subscriber;
    if (subscriber === null || !this.#up) throw new RedisUnavailable();
    this.stats.commands++;
    try {
      await subscriber.subscribe(channel, listener);
    } catch (error) {
      throw new RedisUnavailable(error);
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    const listener = this.#channels.get(channel);
    if (listener === undefined) return;
    this.#channels.delete(channel);
    if (this.#subscriber === null || !this.#up) return;
    this.stats.commands++;
    await this.#subscriber.unsubscribe(channel, listener).catch(() => undefined);
  }

  /** Channels heard. */
  get channels(): number {
    return this.#channels.size;
  }

  /** Closes what this server opened (never a client the host passed in). */
  async close(): Promise<void> {
    this.#closed = true;
    const closing: Promise<unknown>[] = [];
    if (this.#subscriber?.isOpen) closing.push(this.#subscriber.close());
    if (this.#ownsCommands && this.#commands?.isOpen) closing.push(this.#commands.close());
    await Promise.all(closing.map((p) => p.catch(() => undefined)));
  }

  #down(error?: Error): void {
    if (this.#closed) return;
    this.#up = false;
    if (this.#saidDown) return;
    this.#saidDown = true;
    this.stats.outages++;
    const code = (error as { code?: unknown } | undefined)?.code;
    const why = typeof code === 'string' ? ` (${code})` : '';
    this.#options.log(
      `recording-status server: Redis at ${this.#where} cannot be reached${why}; this replica serves its own ` +
        'viewers from what it knows, on its share of the upstream budget, until it can.',
    );
  }

  #ready(): void {
    if (this.#closed || this.#up) return;
    if (this.#commands?.isReady !== true || this.#subscriber?.isReady !== true) return;
    this.#up = true;
    if (!this.#saidDown) return;
    this.#saidDown = false;
    this.stats.reconnects++;
    this.#options.log(`recording-status server: Redis at ${this.#where} is reachable again.`);
    void this.#resubscribe().then(() => {
      for (const hook of this.#reconnectHooks) hook();
    });
  }

  /** node-redis re-subscribes what it had confirmed; a subscription asked for during the outage is asked again. */
  async #resubscribe(): Promise<void> {
    const subscriber = this.#subscriber;
    if (subscriber === null) return;
    await Promise.all(
      [...this.#channels].map(([channel, listener]) => subscriber.subscribe(channel, listener).catch(() => undefined)),
    );
  }
}
