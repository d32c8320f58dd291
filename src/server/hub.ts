/**
 * The in-memory hub: a `TargetHub` per target (a recording, or the newest recording of a meeting) with its live
 * viewers and its timer, in one process. It applies the core's effects with a `Map`, timers and listener sets;
 * every rule is the core's. Viewers share snapshots, so N viewers cost the upstream requests of one.
 */
import { activePath, recordingPath, targetKey, type Target } from '../api/rest.js';
import type { Clock, TimerId } from '../platform.js';
import type { Priority } from './budget.js';
import type { HubEvent, ReadFailure } from './snapshot.js';
import { TargetHub, type Delivery, type Effect, type ReadResult } from './target-hub.js';
import type { Upstream } from './upstream.js';
import { armWake } from './wake.js';
import type { RecordingUpdate } from './webhook/payload.js';

export type { HubEvent, ReadFailure } from './snapshot.js';
export type { Delivery, ReadResult } from './target-hub.js';

export type HubListener = (event: HubEvent) => void;

/** A live feed: the snapshot it started from, and the way to end it. */
export interface Following {
  readonly ok: true;
  readonly initial: HubEvent;
  stop(): void;
}

/**
 * What the routes need of a hub. In one process it is the MemoryHub below; scaled out, the same calls go to
 * one Durable Object per target. Every call is async so that either can implement it.
 */
export interface Hub {
  /**
   * The target's snapshot, asking upstream only when it is not fresh. `viewer` (a token's subject) pays for an
   * upstream request from its own share of the budget, as well as from the app's.
   */
  read(target: Target, viewer?: string): Promise<ReadResult>;
  /** A meeting's active recording, as RealtimeKit answers it (shared and reused like any read). */
  active(meetingId: string, viewer?: string): Promise<ReadResult>;
  /** The snapshot, then every change after it to `listener`, with nothing lost between the two. */
  follow(target: Target, listener: HubListener, onEnd?: () => void, viewer?: string): Promise<Following | ReadFailure>;
  /** Applies a verified webhook; `duplicate` when its delivery (uuid or body) was seen before. */
  receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'>;
  /** Whether the recording was seen in the meeting (a meeting token may then read it). */
  inMeeting(recordingId: string, meetingId: string): Promise<boolean>;
}

/** Targets kept at most; the least recently used with no viewer are forgotten first. */
const MAX_TARGETS = 10_000;
/** How often targets past their retention are looked for. */
const SWEEP_MS = 60_000;

interface Entry {
  readonly core: TargetHub;
  readonly listeners: Set<HubListener>;
  timer: TimerId | undefined;
}

export interface HubOptions {
  readonly upstream: Upstream;
  readonly clock: Clock;
  readonly freshFor: number;
}

export class MemoryHub implements Hub {
  readonly #options: HubOptions;
  readonly #entries = new Map<string, Entry>();
  #sweptAt: number;

  constructor(options: HubOptions) {
    this.#options = options;
    this.#sweptAt = options.clock.now();
  }

  get targets(): number {
    return this.#entries.size;
  }

  get viewers(): number {
    let n = 0;
    for (const entry of this.#entries.values()) n += entry.listeners.size;
    return n;
  }

  inMeeting(recordingId: string, meetingId: string): Promise<boolean> {
    const meeting = this.#entries.get(targetKey({ kind: 'meeting', id: meetingId }));
    return Promise.resolve(meeting?.core.placed(recordingId) ?? false);
  }

  /** The target's snapshot: reused while fresh, else asked of upstream (shared with identical reads). */
  async read(target: Target, viewer?: string): Promise<ReadResult> {
    const entry = this.#entry(target);
    return (
      entry.core.cached(this.#options.clock.now(), this.#options.freshFor, entry.listeners.size > 0) ??
      this.#fetch(entry, false, 'read', viewer)
    );
  }

  async active(meetingId: string, viewer?: string): Promise<ReadResult> {
    const result = await this.#options.upstream.get(activePath(meetingId), false, 'read', viewer);
    const entry = this.#entry({ kind: 'meeting', id: meetingId });
    return entry.core.activeAnswered(result).result;
  }

  async follow(
    target: Target,
    listener: HubListener,
    _onEnd?: () => void,
    viewer?: string,
  ): Promise<Following | ReadFailure> {
    const first = await this.read(target, viewer);
    if (!first.ok) return first;
    // Taken in one synchronous step with the subscription: no change can fall between the two.
    const entry = this.#entry(target);
    const initial = entry.core.event;
    entry.listeners.add(listener);
    entry.core.touched(this.#options.clock.now());
    if (entry.listeners.size === 1) this.#schedule(entry);
    const stop = () => {
      if (!entry.listeners.delete(listener)) return;
      entry.core.touched(this.#options.clock.now());
      if (entry.listeners.size === 0) this.#unschedule(entry);
    };
    return { ok: true, initial, stop };
  }

  receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'> {
    const now = this.#options.clock.now();
    const own = this.#entry({ kind: 'recording', id: update.id });
    const receipt = own.core.receive(update, delivery, now);
    if (receipt.effect === null) return Promise.resolve(receipt.verdict);
    this.#apply(own, receipt.effect);
    if (update.meetingId !== null) {
      const meeting = this.#entry({ kind: 'meeting', id: update.meetingId });
      const placed = meeting.core.receive(update, delivery, now, own.core.recording).effect;
      if (placed !== null) this.#apply(meeting, placed);
    }
    return Promise.resolve(receipt.verdict);
  }

  #entry(target: Target): Entry {
    const key = targetKey(target);
    let entry = this.#entries.get(key);
    // Most recently used last, so the least recently used idle ones are forgotten first.
    if (entry) {
      this.#entries.delete(key);
    } else {
      const now = this.#options.clock.now();
      entry = { core: new TargetHub(target, undefined, now), listeners: new Set(), timer: undefined };
      entry.core.touched(now);
    }
    this.#entries.set(key, entry);
    this.#sweep(entry);
    return entry;
  }

  /** Forgets unwatched targets past their retention (once a minute), and the least recently used beyond the cap. */
  #sweep(keep: Entry): void {
    const now = this.#options.clock.now();
    const due = now - this.#sweptAt >= SWEEP_MS;
    if (!due && this.#entries.size <= MAX_TARGETS) return;
    if (due) this.#sweptAt = now;
    for (const [key, entry] of this.#entries) {
      if (entry.listeners.size > 0 || entry === keep) continue;
      if (this.#entries.size > MAX_TARGETS || (due && entry.core.due(now, false) === 'forget')) {
        this.#entries.delete(key);
      } else if (!due) {
        return;
      }
    }
  }

  /** The core's effect, in memory: nothing to store; listeners told; upstream read now, or the timer re-armed. */
  #apply(entry: Entry, effect: Effect): void {
    if (effect.tell) {
      const event = entry.core.event;
      for (const listener of [...entry.listeners]) listener(event);
    }
    if (effect.read === 'later') this.#schedule(entry);
    else if (effect.read !== 'none') void this.#fetch(entry, true, effect.read);
  }

  async #fetch(entry: Entry, fresh: boolean, priority: Priority = 'read', viewer?: string): Promise<ReadResult> {
    const result = await this.#options.upstream.get(recordingPath(entry.core.target), fresh, priority, viewer);
    const answer = entry.core.answered(result, this.#options.clock.now());
    if (entry.core.target.kind === 'meeting') {
      // The recordings' own snapshots learn from the list too, if anyone asked about them.
      for (const r of answer.list) {
        const own = this.#entries.get(targetKey({ kind: 'recording', id: r.id }));
        if (own) this.#apply(own, own.core.learned(r));
      }
    }
    this.#apply(entry, answer.effect);
    return answer.result;
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

  async #due(entry: Entry): Promise<void> {
    const watched = entry.listeners.size > 0;
    if (entry.core.wake(this.#options.clock.now(), watched) === 'reconcile') {
      const seq = entry.core.seq;
      await this.#fetch(entry, true, 'background');
      entry.core.reconciled(seq);
    }
    if (entry.timer === undefined) this.#schedule(entry);
  }
}
