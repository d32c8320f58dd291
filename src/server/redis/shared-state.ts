/**
 * Each target's state (the core's `TargetState`: snapshot and `seq`, delivery keys, placements, times) kept in
 * Redis for the whole deployment, with a version that grows by one per change. A change is made under the
 * target's change lease: take it and read the state in one script, let the core decide, then write, publish and
 * let go in another, so that two replicas never change one target at once and every replica's view of a target
 * only moves forward. The key expires with the hub's own retention of the target.
 */
import type { Target } from '../../api/rest.js';
import type { TargetState } from '../target-hub.js';
import { RedisUnavailable, type RedisConnection } from './connection.js';
import { CHANGE_LEASE_MS, type Keys } from './keys.js';
import { release } from './lease.js';
import { leaseToken } from './lease.js';
import { Script } from './script.js';

/** A target's state as stored, with its version (0: never stored). */
export interface Stored {
  readonly version: number;
  readonly state: TargetState;
}

/** KEYS[1] the change lease, KEYS[2] the state. ARGV: token, lease ms. Answers {1, state or false} or {0, wait}. */
const TAKE = new Script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
`);

/**
 * KEYS[1] the change lease, KEYS[2] the state, KEYS[3] the channel. ARGV: token, the stored state, its lifetime
 * (ms), whether to publish it. Writes only while the lease is still this holder's; answers 1, else 0.
 */
const COMMIT = new Script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[4] == '1' then redis.call('PUBLISH', KEYS[3], ARGV[2]) end
redis.call('DEL', KEYS[1])
return 1
`);

/** How many times a change is tried when its lease was lost (its holder stalled past CHANGE_LEASE_MS). */
const MAX_ATTEMPTS = 3;
/** Waits between tries of a held lease, doubling from 2 ms up to this. */
const MAX_LEASE_POLL_MS = 50;

/**
 * What a change decided: the state to store (null: nothing), for how long, whether replicas are told, and the
 * version the deciding replica already held (after a Redis restart emptied it, versions go on from there).
 */
export interface Decision<T> {
  readonly store: {
    readonly state: TargetState;
    readonly ttlMs: number;
    readonly publish: boolean;
    readonly since?: number;
  } | null;
  readonly result: T;
}

/** A stored state, read back; null for anything this server did not write (never trusted as a state). */
export function parseStored(text: unknown): Stored | null {
  if (typeof text !== 'string') return null;
  try {
    const value = JSON.parse(text) as { v?: unknown; s?: unknown };
    if (typeof value.v !== 'number' || typeof value.s !== 'object' || value.s === null) return null;
    const state = value.s as { snapshot?: unknown; deliveries?: unknown };
    if (typeof state.snapshot !== 'object' || state.snapshot === null || !Array.isArray(state.deliveries)) return null;
    return { version: value.v, state: value.s as TargetState };
  } catch {
    return null;
  }
}

export const storedText = (stored: Stored): string => JSON.stringify({ v: stored.version, s: stored.state });

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

export class SharedStates {
  readonly #connection: RedisConnection;
  readonly #keys: Keys;
  /** For the benchmark: changes made, and lease waits. */
  readonly stats = { changes: 0, waits: 0, lost: 0 };

  constructor(connection: RedisConnection, keys: Keys) {
    this.#connection = connection;
    this.#keys = keys;
  }

  /** The target's state as the deployment knows it (null: none stored). */
  async load(target: Target): Promise<Stored | null> {
    return parseStored(await this.#connection.command(['GET', this.#keys.state(target)]));
  }

  /**
   * Changes the target's state under its lease: `decide` gets what is stored (null: nothing) and says what to
   * store. {@link RedisUnavailable} when Redis does not answer, or the lease could not be had in time.
   */
  async change<T>(target: Target, decide: (stored: Stored | null) => Decision<T>): Promise<T> {
    const lease = this.#keys.changeLease(target);
    const key = this.#keys.state(target);
    const deadline = Date.now() + CHANGE_LEASE_MS * 2;
    let poll = 2;
    for (let attempt = 0; attempt < MAX_ATTEMPTS;) {
      const token = leaseToken();
      const [took, value] = (await TAKE.run(this.#connection, [lease, key], [token, CHANGE_LEASE_MS])) as [
        number,
        unknown,
      ];
      if (took !== 1) {
        // Another replica is changing it: a change takes a few milliseconds.
        if (Date.now() > deadline) throw new RedisUnavailable();
        this.stats.waits++;
        await sleep(poll);
        poll = Math.min(MAX_LEASE_POLL_MS, poll * 2);
        continue;
      }
      const stored = parseStored(value);
      let decision: Decision<T>;
      try {
        decision = decide(stored);
      } catch (error) {
        await release(this.#connection, { key: lease, token }).catch(() => undefined);
        throw error;
      }
      if (decision.store === null) {
        await release(this.#connection, { key: lease, token });
        return decision.result;
      }
      const version = Math.max(stored?.version ?? 0, decision.store.since ?? 0) + 1;
      const next = storedText({ version, state: decision.store.state });
      const committed = await COMMIT.run(
        this.#connection,
        [lease, key, this.#keys.channel(target)],
        [token, next, Math.max(1, Math.ceil(decision.store.ttlMs)), decision.store.publish ? '1' : '0'],
      );
      if (committed === 1) {
        this.stats.changes++;
        return decision.result;
      }
      // The lease ran out under us and another replica may have changed the state: decide again on what it holds.
      this.stats.lost++;
      attempt++;
    }
    throw new RedisUnavailable();
  }
}
