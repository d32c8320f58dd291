/**
 * The deployment's upstream budget in Redis: the same app-wide token bucket and per-viewer shares as
 * `SharedBudget`, in one Lua script, so that every replica's grant is atomic against the others' and N replicas
 * spend RealtimeKit's per-app limit once, not N times. Time is Redis's own (TIME), one clock for every replica.
 *
 * While Redis cannot be reached, each replica grants from a bucket of its own holding its share of the budget:
 * the budget divided by the number of replicas last seen alive (see replicas.ts), so that the deployment as a
 * whole still stays within the budget through an outage.
 */
import type { Clock } from '../../platform.js';
import { BACKGROUND_RESERVE, SharedBudget, type Budget, type BudgetGrant, type Priority } from '../budget.js';
import type { RedisConnection } from './connection.js';
import { BUDGET_KEY_MS, type Keys } from './keys.js';
import { Script } from './script.js';

/**
 * KEYS[1] the app's bucket, KEYS[2] the viewer's share (absent: no viewer). ARGV: perMinute, perViewer,
 * priority, the background reserve, the keys' lifetime. Answers {granted (1 or 0), wait ms, tokens left}. A
 * bucket is written only when it pays, so a refused request (a flood of them) writes nothing.
 */
const GRANT = new Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMinute, perViewer = tonumber(ARGV[1]), tonumber(ARGV[2])
local function level(key, cap)
  local v = redis.call('HMGET', key, 'tokens', 'at')
  local tokens, at = tonumber(v[1]), tonumber(v[2])
  if not tokens then return cap end
  return math.min(cap, tokens + math.max(0, now - at) * cap / 60000)
end
local function wait(tokens, needed, cap)
  local short = needed - tokens
  if short <= 0 then return 0 end
  return math.ceil(short * 60000 / cap)
end
local share = nil
if KEYS[2] then
  share = level(KEYS[2], perViewer)
  local w = wait(share, 1, perViewer)
  if w > 0 then return {0, w, -1} end
end
local app = level(KEYS[1], perMinute)
local needed = 1
if ARGV[3] == 'background' then needed = 1 + perMinute * tonumber(ARGV[4]) end
if app < needed then return {0, wait(app, needed, perMinute), math.floor(app)} end
redis.call('HSET', KEYS[1], 'tokens', tostring(app - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if share then
  redis.call('HSET', KEYS[2], 'tokens', tostring(share - 1), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return {1, 0, math.floor(app - 1)}
`);

/** Before any replica count was seen (Redis down since startup), the local share assumes this many replicas. */
export const ASSUMED_REPLICAS = 2;

export interface RedisBudgetOptions {
  readonly connection: RedisConnection;
  readonly keys: Keys;
  readonly perMinute: number;
  readonly perViewer: number;
  readonly clock: Clock;
  /** Replicas last seen alive, null before the first count. */
  readonly replicas: () => number | null;
}

/** A share of `total` for one of `replicas`: whole requests, at least one. */
export const localShare = (total: number, replicas: number): number =>
  Math.max(1, Math.floor(total / Math.max(1, replicas)));

export class RedisBudget implements Budget {
  readonly perMinute: number;
  readonly perViewer: number;
  readonly #options: RedisBudgetOptions;
  #local: SharedBudget | null = null;
  #localFor = 0;
  /** The app's tokens left as Redis last said, or the local bucket's while Redis is away. */
  #left: number;
  readonly stats = { shared: 0, local: 0 };

  constructor(options: RedisBudgetOptions) {
    this.#options = options;
    this.perMinute = options.perMinute;
    this.perViewer = options.perViewer;
    this.#left = options.perMinute;
  }

  get left(): number {
    return this.#left;
  }

  async grant(priority: Priority = 'read', viewer?: string): Promise<BudgetGrant> {
    const { connection, keys } = this.#options;
    if (connection.up) {
      try {
        const answer = (await GRANT.run(
          connection,
          viewer === undefined ? [keys.budget] : [keys.budget, keys.viewerBudget(viewer)],
          [this.perMinute, this.perViewer, priority, BACKGROUND_RESERVE, BUDGET_KEY_MS],
        )) as [number, number, number];
        this.stats.shared++;
        if (answer[2] >= 0) this.#left = answer[2];
        return answer[0] === 1 ? { ok: true } : { ok: false, retryAfterMs: answer[1] };
      } catch {
        // Unavailable: this replica's own share pays, below.
      }
    }
    this.stats.local++;
    const local = this.#localBudget();
    const grant = local.grant(priority, viewer);
    this.#left = local.left;
    return grant;
  }

  /** The local bucket, sized for the replicas last counted (made again when that count changes). */
  #localBudget(): SharedBudget {
    const replicas = this.#options.replicas() ?? ASSUMED_REPLICAS;
    if (this.#local === null || this.#localFor !== replicas) {
      this.#localFor = replicas;
      this.#local = new SharedBudget(
        localShare(this.perMinute, replicas),
        localShare(this.perViewer, replicas),
        this.#options.clock,
      );
    }
    return this.#local;
  }
}
