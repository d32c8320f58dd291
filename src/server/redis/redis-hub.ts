/**
 * The hub of a Node replica scaled out through Redis: a shell around the same `TargetHub` core as `MemoryHub`,
 * emulating a Durable Object per target. Each target's state lives in Redis (shared-state.ts); a change is made
 * under the target's change lease (load → core → store and publish → let go), so every replica sees one history
 * with one `seq`. Each replica keeps a local core per target it serves, current through the target's channel,
 * which it hears only while it has viewers of that target; an upstream read of a target is made by one replica
 * at a time (its read lease), and the others take its answer from the shared state.
 *
 * While Redis is away, a replica serves its own viewers from its local cores exactly as `MemoryHub` would,
 * remembering which targets it changed; when Redis is back it merges those into the shared state (a `seq` past
 * both, so no viewer's Last-Event-ID covers an event it has not seen), hears its channels again and reads its
 * watched targets upstream once, so that a terminal status that came during the outage reaches every viewer.
 */
import { activePath, recordingPath, targetKey, type Target } from '../../api/rest.js';
import type { Clock, TimerId } from '../../platform.js';
import type { Priority } from '../budget.js';
import type { Following, Hub, HubListener } from '../hub.js';
import type { HubEvent, ReadFailure } from '../snapshot.js';
import {
  RECONCILE_MS,
  TargetHub,
  type Delivery,
  type Effect,
  type ReadResult,
  type TargetState,
} from '../target-hub.js';
import type { Upstream, UpstreamResult } from '../upstream.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import { armWake } from '../wake.js';
import type { RedisConnection } from './connection.js';
import { READ_LEASE_MS, stateTtl, type Keys } from './keys.js';
import { acquire, claim, release, type Held } from './lease.js';
import { parseStored, SharedStates, type Stored } from './shared-state.js';

/** Targets kept in memory at most; the least recently used with no viewer are forgotten first (Redis keeps them). */
const MAX_TARGETS = 10_000;
/** While another replica reads a target upstream, its state is looked at this often for the answer. */
const READ_WAIT_POLL_MS = 25;

interface Entry {
  readonly target: Target;
  /** This replica's copy of the target's core: the shared state at `version`, or ahead of it while `dirty`. */
  core: TargetHub;
  version: number;
  /** Changed here while Redis was away: merged into the shared state when it is back. */
  dirty: boolean;
  readonly listeners: Set<HubListener>;
  /** The channel is asked for. */
  subscribed: boolean;
  /**
   * The connection's epoch in which the channel was heard and the state read after it: while it is the
   * connection's, messages keep `core` current and reads need no GET. -1: not current.
   */
  current: number;
  timer: TimerId | undefined;
  /** This replica's upstream read of the target in flight, shared by every caller meanwhile. */
  fetching: Promise<ReadResult> | null;
}

export interface RedisHubOptions {
  readonly upstream: Upstream;
  readonly clock: Clock;
  readonly freshFor: number;
  readonly connection: RedisConnection;
  readonly keys: Keys;
  /** This replica, as its claims name it. */
  readonly owner: string;
}

/** What a change under the lease produced: the core to adopt, at which version, and the call's own answer. */
interface Changed<T> {
  readonly core: TargetHub;
  readonly version: number;
  readonly value: T;
}

/** What a core command answers: its effect, or the effect inside an answer or a receipt (null: nothing at all). */
type CoreAnswer = Effect | { readonly effect: Effect | null };

function effectOf(value: CoreAnswer): Effect | null {
  return 'effect' in value ? value.effect : value;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Two replicas' states of one target merged after an outage: the shared one, taught what this replica knew (the
 * merge never goes backwards), its delivery keys and placements joined, and a `seq` past both.
 */
export function mergeStates(target: Target, shared: TargetState, local: TargetState, now: number): TargetState {
  const seq = Math.max(shared.snapshot.seq, local.snapshot.seq) + 1;
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const core = new TargetHub(
    target,
    {
      ...shared,
      snapshot: { ...shared.snapshot, seq },
      deliveries: union(shared.deliveries, local.deliveries),
      placed: union(shared.placed, local.placed),
      older: union(shared.older, local.older),
    },
    now,
  );
  if (local.snapshot.raw !== null) core.learned(local.snapshot.raw);
  return core.state;
}

export class RedisHub implements Hub {
  readonly #options: RedisHubOptions;
  readonly #states: SharedStates;
  readonly #entries = new Map<string, Entry>();
  /** Entries whose channel Redis confirmed (or re-subscribed after an outage). */
  readonly #heard = new Set<Entry>();
  /** What this replica did with Redis, for the benchmark and the tests. */
  readonly stats = { published: 0, heard: 0, adopted: 0, localChanges: 0, readWaits: 0, merges: 0 };

  constructor(options: RedisHubOptions) {
    this.#options = options;
    this.#states = new SharedStates(options.connection, options.keys);
    options.connection.onReconnect(() => {
      void this.#recover();
    });
  }

  get targets(): number {
    return this.#entries.size;
  }

  get viewers(): number {
    let n = 0;
    for (const entry of this.#entries.values()) n += entry.listeners.size;
    return n;
  }

  get shared(): SharedStates['stats'] {
    return this.#states.stats;
  }

  async inMeeting(recordingId: string, meetingId: string): Promise<boolean> {
    const entry = this.#entry({ kind: 'meeting', id: meetingId });
    await this.#refresh(entry);
    return entry.core.placed(recordingId);
  }

  async read(target: Target, viewer?: string): Promise<ReadResult> {
    const entry = this.#entry(target);
    await this.#refresh(entry);
    return this.#cached(entry) ?? this.#fetch(entry, false, 'read', viewer);
  }

  async active(meetingId: string, viewer?: string): Promise<ReadResult> {
    const result = await this.#options.upstream.get(activePath(meetingId), false, 'read', viewer);
    const entry = this.#entry({ kind: 'meeting', id: meetingId });
    const answer = await this.#change(entry, (core) => core.activeAnswered(result));
    return answer.result;
  }

  async follow(
    target: Target,
    listener: HubListener,
    _onEnd?: () => void,
    viewer?: string,
  ): Promise<Following | ReadFailure> {
    const entry = this.#entry(target);
    // Heard before the state is read: no change can fall between the two.
    await this.#subscribe(entry);
    const first = await this.read(target, viewer);
    if (!first.ok) {
      if (entry.listeners.size === 0) void this.#unsubscribe(entry);
      return first;
    }
    const initial = entry.core.event;
    entry.listeners.add(listener);
    if (entry.listeners.size === 1) {
      // Retention counts from a viewer's coming and going; later viewers of a watched target cost Redis nothing.
      void this.#change(entry, (core) => core.touched(this.#options.clock.now())).catch(() => undefined);
      this.#schedule(entry);
    }
    const stop = () => {
      if (!entry.listeners.delete(listener)) return;
      if (entry.listeners.size > 0) return;
      this.#unschedule(entry);
      void this.#unsubscribe(entry);
      void this.#change(entry, (core) => core.touched(this.#options.clock.now())).catch(() => undefined);
    };
    return { ok: true, initial, stop };
  }

  async receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'> {
    const now = this.#options.clock.now();
    const own = this.#entry({ kind: 'recording', id: update.id });
    const receipt = await this.#change(own, (core) => core.receive(update, delivery, now));
    if (receipt.effect === null) return receipt.verdict;
    this.#apply(own, receipt.effect);
    if (update.meetingId !== null) {
      const meeting = this.#entry({ kind: 'meeting', id: update.meetingId });
      const recording = own.core.recording;
      const placed = await this.#change(meeting, (core) => core.receive(update, delivery, now, recording));
      if (placed.effect !== null) this.#apply(meeting, placed.effect);
    }
    return receipt.verdict;
  }

  /** Closes every feed's timer; the connection is the caller's to close. */
  close(): void {
    for (const entry of this.#entries.values()) this.#unschedule(entry);
  }

  #entry(target: Target): Entry {
    const key = targetKey(target);
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
    } else {
      const now = this.#options.clock.now();
      const core = new TargetHub(target, undefined, now);
      core.touched(now);
      entry = {
        target,
        core,
        version: 0,
        dirty: false,
        listeners: new Set(),
        subscribed: false,
        current: -1,
        timer: undefined,
        fetching: null,
      };
    }
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_TARGETS) this.#evict(entry);
    return entry;
  }

  /** The least recently used targets nobody here watches are dropped from memory; Redis still holds them. */
  #evict(keep: Entry): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= MAX_TARGETS) return;
      if (entry === keep || entry.listeners.size > 0 || entry.dirty) continue;
      this.#entries.delete(key);
    }
  }

  #cached(entry: Entry): ReadResult | null {
    return entry.core.cached(this.#options.clock.now(), this.#options.freshFor, entry.listeners.size > 0);
  }

  /**
   * Brings the local core up to the shared state: one GET, unless the channel already keeps it current. Redis
   * away: what this replica knows stands.
   */
  async #refresh(entry: Entry): Promise<void> {
    const { connection } = this.#options;
    if (entry.current === connection.epoch && connection.up) return;
    try {
      await this.#refreshInto(entry);
    } catch {
      // Redis away: what this replica knows stands.
    }
  }

  /** The shared state into the local core (one GET); current from now on if the channel is heard. */
  async #refreshInto(entry: Entry): Promise<void> {
    const epoch = this.#options.connection.epoch;
    const stored = await this.#states.load(entry.target);
    if (stored !== null) this.#adopt(entry, stored);
    if (entry.subscribed && this.#heard.has(entry)) entry.current = epoch;
  }

  /** A newer shared state becomes the local core; its viewers are told when the snapshot moved. */
  #adopt(entry: Entry, stored: Stored): void {
    if (stored.version <= entry.version || entry.dirty) return;
    const seq = entry.core.seq;
    entry.core = new TargetHub(entry.target, stored.state, this.#options.clock.now());
    entry.version = stored.version;
    this.stats.adopted++;
    if (entry.core.seq !== seq) this.#tell(entry);
    if (entry.listeners.size > 0) this.#schedule(entry);
  }

  #tell(entry: Entry): void {
    const event: HubEvent = entry.core.event;
    for (const listener of [...entry.listeners]) listener(event);
  }

  /**
   * A call of the core made under the target's change lease, on the shared state, then stored (and published when
   * viewers must be told) before the lease goes. Redis away: made on the local core, as `MemoryHub` would.
   */
  async #change<T extends CoreAnswer>(entry: Entry, call: (core: TargetHub) => T): Promise<T> {
    const seqBefore = entry.core.seq;
    let changed: Changed<T>;
    /** The last decision made, whether or not it was stored. */
    const last: { decided?: { readonly core: TargetHub; readonly value: T } } = {};
    try {
      changed = await this.#states.change(entry.target, (stored) => {
        const now = this.#options.clock.now();
        const core = this.#coreFor(entry, stored, now);
        const merged = entry.dirty;
        const value = call(core);
        last.decided = { core, value };
        const effect = effectOf(value);
        const persist = merged || effect?.persist === true;
        const version = Math.max(stored?.version ?? 0, entry.version) + 1;
        return {
          store: persist
            ? {
                state: core.state,
                ttlMs: stateTtl(core.expiresAt, now),
                publish: merged || effect?.tell === true,
                since: Math.max(stored?.version ?? 0, entry.version),
              }
            : null,
          result: { core, version: persist ? version : (stored?.version ?? entry.version), value },
        };
      });
    } catch {
      // Redis away (or the lease not to be had): this replica goes on alone with what it knows. A decision already
      // made stands (made again, a webhook would be its own duplicate), whether or not Redis stored it.
      const made = last.decided;
      let value: T;
      if (made === undefined) {
        value = call(entry.core);
      } else {
        entry.core = made.core;
        value = made.value;
      }
      if (effectOf(value)?.persist === true) {
        entry.dirty = true;
        this.stats.localChanges++;
      }
      if (entry.core.seq !== seqBefore) this.#tell(entry);
      return value;
    }
    if (entry.dirty) this.stats.merges++;
    entry.dirty = false;
    entry.core = changed.core;
    if (changed.version > entry.version) entry.version = changed.version;
    if (entry.core.seq !== seqBefore) {
      this.stats.published++;
      this.#tell(entry);
    }
    return changed.value;
  }

  /**
   * The core a change starts from: this replica's own while it holds the shared state's version (it keeps what a
   * core holds only in memory: the repeat-check throttle, a meeting's webhooks awaiting a list read), the shared
   * state when it is newer, both merged when this replica changed the target while Redis was away.
   */
  #coreFor(entry: Entry, stored: Stored | null, now: number): TargetHub {
    if (stored === null) return entry.core;
    if (entry.dirty)
      return new TargetHub(entry.target, mergeStates(entry.target, stored.state, entry.core.state, now), now);
    if (stored.version === entry.version) return entry.core;
    return new TargetHub(entry.target, stored.state, now);
  }

  /** What the core asked for beyond the state: a read upstream (a list read, or a check), or a later check. */
  #apply(entry: Entry, effect: Effect): void {
    if (effect.read === 'later') this.#schedule(entry);
    else if (effect.read !== 'none') void this.#fetch(entry, true, effect.read);
  }

  /**
   * An upstream read of the target, made by one replica at a time: under its read lease, or, when another replica
   * holds it, that replica's answer taken from the shared state once it is stored.
   */
  #fetch(entry: Entry, fresh: boolean, priority: Priority = 'read', viewer?: string): Promise<ReadResult> {
    // This replica's reads of one target share one: only one of them competes for the lease.
    const pending = entry.fetching;
    if (pending !== null) return pending;
    const fetching = this.#leasedFetch(entry, fresh, priority, viewer).finally(() => {
      entry.fetching = null;
    });
    entry.fetching = fetching;
    return fetching;
  }

  async #leasedFetch(entry: Entry, fresh: boolean, priority: Priority, viewer?: string): Promise<ReadResult> {
    // Taken before the lease is asked for: a read that lands between the two still counts as the other's.
    const version = entry.version;
    let held: Held | null = null;
    try {
      held = await acquire(this.#options.connection, this.#options.keys.readLease(entry.target), READ_LEASE_MS);
      if (held === null) {
        const answered = await this.#awaitRead(entry, version);
        if (answered !== null) return answered;
      }
    } catch {
      // Redis away: this replica reads for itself.
    }
    try {
      return await this.#readUpstream(entry, fresh, priority, viewer);
    } finally {
      if (held !== null) await release(this.#options.connection, held).catch(() => undefined);
    }
  }

  /** Waits (bounded by the lease) for another replica's read; its snapshot, or null when none was stored. */
  async #awaitRead(entry: Entry, version: number): Promise<ReadResult | null> {
    this.stats.readWaits++;
    const { connection, keys } = this.#options;
    if (entry.version > version) return { ok: true, ...entry.core.event };
    const deadline = Date.now() + READ_LEASE_MS;
    while (Date.now() < deadline) {
      await sleep(READ_WAIT_POLL_MS);
      const [stored, lease] = await Promise.all([
        this.#states.load(entry.target),
        connection.command(['EXISTS', keys.readLease(entry.target)]),
      ]);
      if (stored !== null) this.#adopt(entry, stored);
      if (entry.version > version) return { ok: true, ...entry.core.event };
      if (lease === 0) return null;
    }
    return null;
  }

  async #readUpstream(entry: Entry, fresh: boolean, priority: Priority, viewer?: string): Promise<ReadResult> {
    const result = await this.#options.upstream.get(recordingPath(entry.target), fresh, priority, viewer);
    return this.#answered(entry, result);
  }

  async #answered(entry: Entry, result: UpstreamResult, reconciling?: number): Promise<ReadResult> {
    const answer = await this.#change(entry, (core) => {
      const answered = core.answered(result, this.#options.clock.now());
      if (reconciling === undefined) return answered;
      const reconciled = core.reconciled(reconciling);
      return { ...answered, effect: { ...answered.effect, persist: answered.effect.persist || reconciled.persist } };
    });
    if (entry.target.kind === 'meeting') {
      // The recordings' own states learn from the list too, if this replica serves them.
      for (const r of answer.list) {
        const own = this.#entries.get(targetKey({ kind: 'recording', id: r.id }));
        if (own) await this.#change(own, (core) => core.learned(r)).catch(() => undefined);
      }
    }
    return answer.result;
  }

  /** Hears the target's channel (once per target per replica); Redis away: heard once it is back. */
  async #subscribe(entry: Entry): Promise<void> {
    if (entry.subscribed) return;
    const channel = this.#options.keys.channel(entry.target);
    entry.subscribed = true;
    try {
      await this.#options.connection.subscribe(channel, (message) => {
        this.stats.heard++;
        const stored = parseStored(message);
        if (stored !== null) this.#adopt(entry, stored);
      });
      this.#heard.add(entry);
    } catch {
      // Asked again on reconnection (the connection keeps the wish); meanwhile the local core serves.
    }
  }

  async #unsubscribe(entry: Entry): Promise<void> {
    if (!entry.subscribed || entry.listeners.size > 0) return;
    entry.subscribed = false;
    entry.current = -1;
    this.#heard.delete(entry);
    await this.#options.connection.unsubscribe(this.#options.keys.channel(entry.target));
  }

  /** While watched, wake at the core's next check (a finished recording needs none). */
  #schedule(entry: Entry): void {
    this.#unschedule(entry);
    entry.timer = armWake(this.#options.clock, entry.core, entry.listeners.size > 0, () => {
      entry.timer = undefined;
      void this.#due(entry);
    });
  }

  #unschedule(entry: Entry): void {
    if (entry.timer !== undefined) this.#options.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  /**
   * A watched target's timer fired here. One replica reconciles a target for the whole deployment: the one that
   * holds its reconciler claim (taken by whoever wakes first, kept while it keeps waking, lost to another replica
   * RECONCILE_MS after its holder missed a wake). The holder wakes the core on the shared state exactly as one
   * process would; the others only keep their timers, ready to take over. Redis away: each replica for itself.
   */
  async #due(entry: Entry): Promise<void> {
    const { connection, keys, clock, owner } = this.#options;
    const watched = entry.listeners.size > 0;
    let mine = true;
    try {
      const hold = entry.core.nextCheckAt(clock.now(), watched) - clock.now() + RECONCILE_MS;
      mine = await claim(connection, keys.reconciler(entry.target), owner, Math.max(RECONCILE_MS, hold));
    } catch {
      // Redis away: this replica reconciles for itself.
    }
    if (!mine) {
      this.#schedule(entry);
      return;
    }
    const wake = await this.#change(entry, (core) => {
      const quiet = core.state.quietRounds;
      const action = core.wake(clock.now(), watched);
      return { action, effect: { tell: false, persist: core.state.quietRounds !== quiet, read: 'none' } };
    }).catch(() => ({ action: 'none' as const }));
    if (wake.action === 'reconcile') await this.#reconcile(entry);
    if (entry.timer === undefined) this.#schedule(entry);
  }

  /** A reconciliation's read, under the target's read lease; its answer and the core's bookkeeping in one change. */
  async #reconcile(entry: Entry): Promise<void> {
    const { connection, keys } = this.#options;
    let held: Held | null = null;
    try {
      held = await acquire(connection, keys.readLease(entry.target), READ_LEASE_MS);
      // Another replica is reading it upstream this moment: that read is this one.
      if (held === null) return;
    } catch {
      // Redis away: read alone.
    }
    try {
      const seq = entry.core.seq;
      const result = await this.#options.upstream.get(recordingPath(entry.target), true, 'background');
      await this.#answered(entry, result, seq);
    } finally {
      if (held !== null) await release(connection, held).catch(() => undefined);
    }
  }

  /**
   * Redis is back: what this replica changed alone is merged into the shared state, its channels are heard again
   * (the connection re-subscribed them), and each target it serves is read upstream once, by one replica.
   */
  async #recover(): Promise<void> {
    for (const entry of [...this.#entries.values()]) {
      if (entry.subscribed) this.#heard.add(entry);
      if (entry.dirty)
        await this.#change(entry, (core) => core.touched(this.#options.clock.now())).catch(() => undefined);
      else if (entry.listeners.size > 0) await this.#refreshInto(entry).catch(() => undefined);
      if (entry.listeners.size > 0 && !entry.core.finished) void this.#fetch(entry, true, 'background');
    }
  }
}
