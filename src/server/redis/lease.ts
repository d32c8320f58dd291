/**
 * A lease: one replica at a time holds a key (`SET NX PX`) under a token of its own, and lets it go only if it
 * still holds it (compare-and-delete), so a lease that expired while its holder stalled and was taken by another
 * replica is never released by the first. The expiry bounds how long a dead holder blocks everyone else.
 */
import type { RedisConnection } from './connection.js';
import { Script } from './script.js';

const RELEASE = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS[1] the claim; ARGV: the claimant, ms. Taken when free, kept (and extended) when already the claimant's. */
const CLAIM = new Script(`
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`);

/** A token no other holder has: random, so that a restarted replica does not reuse its own. */
export const leaseToken = (): string => crypto.randomUUID();

export interface Held {
  readonly key: string;
  readonly token: string;
}

/** Takes the lease for `ms`; null when another holds it. */
export async function acquire(connection: RedisConnection, key: string, ms: number): Promise<Held | null> {
  const token = leaseToken();
  const answer = await connection.command(['SET', key, token, 'NX', 'PX', String(ms)]);
  return answer === 'OK' ? { key, token } : null;
}

/** Lets the lease go if it is still ours; true when it was. */
export async function release(connection: RedisConnection, held: Held): Promise<boolean> {
  return (await RELEASE.run(connection, [held.key], [held.token])) === 1;
}

/** How many milliseconds the lease has left (0 when nobody holds it). */
export async function remaining(connection: RedisConnection, key: string): Promise<number> {
  const ttl = Number(await connection.command(['PTTL', key]));
  return Number.isFinite(ttl) && ttl > 0 ? ttl : 0;
}

/**
 * A standing claim, such as a target's reconciler: `owner` (a replica) takes it when nobody holds it and keeps it
 * for `ms` more each time it asks again; true when it is `owner`'s.
 */
export async function claim(connection: RedisConnection, key: string, owner: string, ms: number): Promise<boolean> {
  return (await CLAIM.run(connection, [key], [owner, Math.ceil(ms)])) === 1;
}
