/**
 * Each replica says it is alive every REPLICA_ALIVE_MS / 3 in one sorted set, and counts those that did within
 * REPLICA_ALIVE_MS: the count sizes the local budget a replica falls back to while Redis is away.
 */
import type { Clock, TimerId } from '../../platform.js';
import type { RedisConnection } from './connection.js';
import { REPLICA_ALIVE_MS, type Keys } from './keys.js';
import { Script } from './script.js';

/** KEYS[1] the set; ARGV: this replica, now, the cutoff, the set's lifetime. Answers the replicas alive. */
const BEAT = new Script(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
`);

export class Replicas {
  readonly id = crypto.randomUUID();
  readonly #connection: RedisConnection;
  readonly #keys: Keys;
  readonly #clock: Clock;
  #count: number | null = null;
  /** Heartbeats sent (one command each). */
  beats = 0;
  #timer: TimerId | undefined;

  constructor(connection: RedisConnection, keys: Keys, clock: Clock) {
    this.#connection = connection;
    this.#keys = keys;
    this.#clock = clock;
  }

  /** Replicas alive when last counted; null before the first count. */
  get count(): number | null {
    return this.#count;
  }

  async beat(): Promise<void> {
    const now = this.#clock.now();
    this.beats++;
    try {
      const n = Number(
        await BEAT.run(
          this.#connection,
          [this.#keys.replicas],
          [this.id, now, now - REPLICA_ALIVE_MS, REPLICA_ALIVE_MS * 2],
        ),
      );
      if (n > 0) this.#count = n;
    } catch {
      // Redis away: the last count stands.
    }
  }

  /** Beats now and then every REPLICA_ALIVE_MS / 3 until `stop`. */
  async start(): Promise<void> {
    await this.beat();
    const next = () => {
      this.#timer = this.#clock.setTimeout(() => {
        void this.beat().then(next);
      }, REPLICA_ALIVE_MS / 3);
    };
    next();
  }

  /** Leaves the set (a replica shutting down is no longer counted). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#connection.command(['ZREM', this.#keys.replicas, this.id]).catch(() => undefined);
  }
}
