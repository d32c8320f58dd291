/**
 * The in-memory hub: one snapshot per target (a recording, or the newest recording of a meeting), its `seq`,
 * its live viewers, and the rules for when to ask upstream. Webhooks update snapshots at once; reads reuse
 * them; viewers share them, so N viewers cost the upstream requests of one. Every merge goes through the
 * widget's own lifecycle rules, so the server never moves a recording backwards either.
 */
import { oneRecordingAnswer, type RawRecording } from '../api/schema.js';
import { timerDelay, type Clock, type TimerId } from '../platform.js';
import {
  activePath,
  failed,
  invalidAnswer,
  NO_ACTIVE_RECORDING,
  readAnswer,
  Snapshot,
  targetKey,
  upstreamPath,
  type HubEvent,
  type HubTarget,
  type ReadFailure,
} from './snapshot.js';
import { isTerminal } from '../lifecycle.js';
import type { Priority } from './budget.js';
import type { Upstream, UpstreamResult } from './upstream.js';
import type { RecordingUpdate } from './webhook/payload.js';

export type { HubEvent, HubTarget, ReadFailure } from './snapshot.js';
export { upstreamPath } from './snapshot.js';

export type HubListener = (event: HubEvent) => void;

export type ReadResult =
  | {
      readonly ok: true;
      readonly seq: number;
      readonly recording: RawRecording | null;
      readonly ageSeconds?: number;
    }
  | ReadFailure;

/** A live feed: the snapshot it started from, and the way to end it. */
export interface Following {
  readonly ok: true;
  readonly initial: HubEvent;
  stop(): void;
}

/**
 * What identifies a webhook delivery: RealtimeKit's `rtk-uuid` (unsigned, so anyone replaying a delivery can
 * change it) and the SHA-256 of the signed body's exact bytes (base64url). A delivery is a duplicate when either
 * was seen before: a retry keeps its uuid, and a replay cannot change its bytes without losing its signature.
 */
export interface Delivery {
  readonly uuid: string | null;
  readonly digest: string;
}

/**
 * What the routes need of a hub. In one process it is the MemoryHub below; scaled out, the same calls go to
 * one Durable Object per target. Every call is async so that either can implement it.
 */
export interface Hub {
  /** The target's snapshot, asking upstream only when it is not fresh. */
  read(target: HubTarget): Promise<ReadResult>;
  /** A meeting's active recording, as RealtimeKit answers it (shared and reused like any read). */
  active(meetingId: string): Promise<ReadResult>;
  /** The snapshot, then every change after it to `listener`, with nothing lost between the two. */
  follow(target: HubTarget, listener: HubListener, onEnd?: () => void): Promise<Following | ReadFailure>;
  /** Applies a verified webhook; `duplicate` when its uuid or its digest was seen before. */
  receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'>;
  /** Whether the recording was seen in the meeting (a meeting token may then read it). */
  inMeeting(recordingId: string, meetingId: string): Promise<boolean>;
}

/** While viewers watch and no webhook came for this long, the hub asks upstream itself (lost webhooks heal). */
export const RECONCILE_MS = 30_000;
/**
 * A watched target whose reconciliation keeps finding nothing new is asked less often: the wait doubles,
 * up to this many times (30 s, 1, 2, 4, then every 8 min), and starts over at 30 s once something changes.
 * A target quiet for an hour then costs about ten upstream requests, not 120.
 */
const MAX_QUIET_DOUBLINGS = 4;

export function reconcileDelay(quietRounds: number): number {
  return RECONCILE_MS * 2 ** Math.min(Math.max(0, quietRounds), MAX_QUIET_DOUBLINGS);
}

/** What a hub remembers of a delivery, prefixed so that no uuid a sender makes up can pass for a digest. */
export function deliveryKeys(delivery: Delivery): string[] {
  const digest = `sha256:${delivery.digest}`;
  return delivery.uuid === null ? [digest] : [`uuid:${delivery.uuid}`, digest];
}

/** Idle targets (no viewer) kept at most; the oldest are forgotten first. */
const MAX_IDLE_TARGETS = 10_000;
/** Webhook delivery keys (uuids and digests) remembered for de-duplication. */
const MAX_DELIVERIES = 10_000;

interface Entry {
  readonly target: HubTarget;
  readonly snapshot: Snapshot;
  /** When upstream last answered for this target: reads within `freshFor` of it need no request. */
  readAt: number;
  webhookAt: number;
  readonly listeners: Set<HubListener>;
  timer: TimerId | undefined;
  /** Reconciliations in a row that found nothing new. */
  quietRounds: number;
}

export interface HubOptions {
  readonly upstream: Upstream;
  readonly clock: Clock;
  readonly freshFor: number;
}

/**
 * Whether a read may answer from the snapshot: within `freshFor` of an upstream answer, or, for a snapshot
 * upstream filled in once, while RealtimeKit's webhooks keep it current (one came within the reconciliation
 * window). Polling viewers of a webhook-fed target then cost no upstream requests; a lost webhook heals at
 * the next read after the window.
 */
export function isFresh(times: { readAt: number; webhookAt: number }, now: number, freshFor: number): boolean {
  if (now - times.readAt < freshFor) return true;
  return times.readAt > -Infinity && now - times.webhookAt < RECONCILE_MS;
}

/** When upstream last answered for a target, and when its last webhook came. */
export interface Times {
  readonly readAt: number;
  readonly webhookAt: number;
}

/**
 * A read through a target's snapshot, as every hub answers it: the snapshot while fresh; else upstream
 * (`ask` fetches and merges); and when the budget is spent, the last snapshot, said to be as old as it is,
 * rather than no answer.
 */
export async function readThrough(
  snapshot: Snapshot,
  times: () => Times,
  now: number,
  freshFor: number,
  ask: () => Promise<UpstreamResult>,
): Promise<ReadResult> {
  if (snapshot.known && isFresh(times(), now, freshFor)) return { ok: true, ...snapshot.event };
  const result = await ask();
  if (result.ok) return { ok: true, ...snapshot.event };
  if (result.kind === 'budget' && snapshot.known) {
    const { readAt, webhookAt } = times();
    const since = Math.max(readAt, webhookAt);
    const ageSeconds = since === -Infinity ? 0 : Math.floor((now - since) / 1000);
    return { ok: true, ...snapshot.event, ageSeconds };
  }
  return failed(result);
}

/** RealtimeKit's answer to a meeting's active-recording read, checked; `place` learns the recording is in it. */
export function activeAnswer(result: UpstreamResult, place: (recordingId: string) => void): ReadResult {
  if (!result.ok) {
    return result.kind === 'not-found' ? { ...failed(result), message: NO_ACTIVE_RECORDING } : failed(result);
  }
  const parsed = oneRecordingAnswer.safeParse(result.body);
  if (!parsed.success) return failed(invalidAnswer(result.at));
  place(parsed.data.data.id);
  return { ok: true, seq: 0, recording: parsed.data.data };
}

export class MemoryHub implements Hub {
  readonly #options: HubOptions;
  readonly #entries = new Map<string, Entry>();
  /** Which meeting each recording was seen in: a meeting token may read those recordings. */
  readonly #meetingOf = new Map<string, string>();
  readonly #deliveries = new Set<string>();

  constructor(options: HubOptions) {
    this.#options = options;
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
    return Promise.resolve(this.#meetingOf.get(recordingId) === meetingId);
  }

  /** Records recordings seen in a meeting, from any answer that ties them. */
  #place(recordingId: string, meetingId: string): void {
    this.#meetingOf.delete(recordingId);
    this.#meetingOf.set(recordingId, meetingId);
    if (this.#meetingOf.size > MAX_IDLE_TARGETS * 2) {
      const oldest = this.#meetingOf.keys().next().value;
      if (oldest !== undefined) this.#meetingOf.delete(oldest);
    }
  }

  /** The target's snapshot: reused while fresh, else asked of upstream (shared with identical reads). */
  read(target: HubTarget): Promise<ReadResult> {
    const entry = this.#entry(target);
    return readThrough(
      entry.snapshot,
      () => entry,
      this.#options.clock.now(),
      this.#options.freshFor,
      () => this.#fetch(entry, false),
    );
  }

  async active(meetingId: string): Promise<ReadResult> {
    const result = await this.#options.upstream.get(activePath(meetingId));
    return activeAnswer(result, (recordingId) => {
      this.#place(recordingId, meetingId);
    });
  }

  async follow(target: HubTarget, listener: HubListener): Promise<Following | ReadFailure> {
    const first = await this.read(target);
    if (!first.ok) return first;
    // Taken in one synchronous step with the subscription: no change can fall between the two.
    const entry = this.#entry(target);
    const initial = entry.snapshot.event;
    const stop = this.#subscribe(entry, listener);
    return { ok: true, initial, stop };
  }

  #subscribe(entry: Entry, listener: HubListener): () => void {
    entry.listeners.add(listener);
    if (entry.listeners.size === 1) this.#reconcileLater(entry);
    return () => {
      if (!entry.listeners.delete(listener) || entry.listeners.size > 0) return;
      if (entry.timer !== undefined) this.#options.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
    };
  }

  receive(update: RecordingUpdate, delivery: Delivery): Promise<'applied' | 'duplicate'> {
    // Both keys are remembered whichever was seen: a replay under yet another uuid is still caught.
    const seen = deliveryKeys(delivery).map((key) => !this.#firstDelivery(key));
    if (seen.includes(true)) return Promise.resolve('duplicate');
    this.#applyWebhook(update);
    return Promise.resolve('applied');
  }

  /** Remembers a delivery key; false when it was seen before. Bounded: the oldest ids are forgotten first. */
  #firstDelivery(key: string): boolean {
    if (this.#deliveries.has(key)) return false;
    this.#deliveries.add(key);
    if (this.#deliveries.size > MAX_DELIVERIES) {
      const oldest = this.#deliveries.values().next().value;
      if (oldest !== undefined) this.#deliveries.delete(oldest);
    }
    return true;
  }

  /** Applies a verified webhook to the recording's snapshot and to its meeting's. */
  #applyWebhook(update: RecordingUpdate): void {
    const now = this.#options.clock.now();
    if (update.meetingId !== null) this.#place(update.id, update.meetingId);
    const recordingEntry = this.#entry({ kind: 'recording', id: update.id });
    recordingEntry.webhookAt = now;
    this.#changed(recordingEntry, recordingEntry.snapshot.applyUpdate(update));

    if (update.meetingId === null) return;
    const meeting = this.#entries.get(targetKey({ kind: 'meeting', id: update.meetingId }));
    // Nobody has asked about this meeting: nothing to keep current.
    if (meeting === undefined) return;
    meeting.webhookAt = now;
    const outcome = meeting.snapshot.applyToMeeting(update, recordingEntry.snapshot.raw);
    // Not placeable from what is known: one (shared) list read places it.
    if (outcome === 'unplaced') void this.#fetch(meeting, true);
    else this.#changed(meeting, outcome);
  }

  #entry(target: HubTarget): Entry {
    const key = targetKey(target);
    let entry = this.#entries.get(key);
    if (entry) {
      // Most recently used last, so the oldest idle ones are forgotten first.
      this.#entries.delete(key);
    } else {
      entry = {
        target,
        snapshot: new Snapshot(),
        readAt: -Infinity,
        webhookAt: -Infinity,
        listeners: new Set(),
        timer: undefined,
        quietRounds: 0,
      };
    }
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_IDLE_TARGETS) this.#forgetIdle();
    return entry;
  }

  #forgetIdle(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= MAX_IDLE_TARGETS) return;
      if (entry.listeners.size === 0) this.#entries.delete(key);
    }
  }

  /** Tells the viewers when a merge changed the snapshot. */
  #changed(entry: Entry, changed: boolean): void {
    if (!changed) return;
    const event = entry.snapshot.event;
    for (const listener of [...entry.listeners]) listener(event);
  }

  async #fetch(entry: Entry, fresh: boolean, priority: Priority = 'read'): Promise<UpstreamResult> {
    const target = entry.target;
    const result = await this.#options.upstream.get(upstreamPath(target), fresh, priority);
    if (!result.ok) return result;
    const answer = readAnswer(target, result.body);
    if (!answer.ok) return invalidAnswer(result.at);
    if (target.kind === 'meeting') {
      for (const r of answer.list) {
        this.#place(r.id, target.id);
        // The recording's own snapshot learns from the list too, if anyone follows it.
        const own = this.#entries.get(targetKey({ kind: 'recording', id: r.id }));
        if (own) this.#changed(own, own.snapshot.apply(r));
      }
    }
    entry.readAt = result.at;
    this.#changed(entry, entry.snapshot.apply(answer.recording));
    return result;
  }

  #reconcileLater(entry: Entry): void {
    const { clock } = this.#options;
    entry.timer = clock.setTimeout(
      () => {
        entry.timer = undefined;
        if (entry.listeners.size === 0) return;
        const quietFor = clock.now() - Math.max(entry.webhookAt, entry.readAt);
        if (quietFor < RECONCILE_MS) {
          // Webhooks (or reads) keep it current: look again in 30 s.
          entry.quietRounds = 0;
          this.#reconcileLater(entry);
          return;
        }
        const seq = entry.snapshot.seq;
        void this.#fetch(entry, true, 'background').then(() => {
          entry.quietRounds = entry.snapshot.seq === seq ? entry.quietRounds + 1 : 0;
          const finished = entry.target.kind === 'recording' && isTerminalRecording(entry.snapshot.raw);
          if (entry.listeners.size > 0 && entry.timer === undefined && !finished) this.#reconcileLater(entry);
        });
      },
      timerDelay(reconcileDelay(entry.quietRounds)),
    );
  }
}

/** A recording that reached UPLOADED or ERRORED never changes again: nothing to reconcile. */
export function isTerminalRecording(raw: RawRecording | null): boolean {
  return raw !== null && isTerminal(raw.status);
}
