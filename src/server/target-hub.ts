/**
 * `TargetHub`: everything one target (a recording, or a meeting's newest recording) knows, and every rule about
 * it, with no I/O. Both hubs (`MemoryHub` in one process, the `RecordingHub` Durable Object per target) are shells
 * around it: they ask upstream, keep timers or alarms, store rows and tell viewers, as the effects say. Every
 * method takes `now`, so the rules are tested as a table, without a clock.
 */
import { oneRecordingAnswer, type RawRecording } from '../api/schema.js';
import { type Target } from '../api/rest.js';
import { isTerminal } from '../lifecycle.js';
import {
  failed,
  invalidAnswer,
  NO_ACTIVE_RECORDING,
  readAnswer,
  Snapshot,
  type HubEvent,
  type ReadFailure,
  type SnapshotState,
} from './snapshot.js';
import type { Priority } from './budget.js';
import type { UpstreamResult } from './upstream.js';
import type { RecordingUpdate } from './webhook/payload.js';

/**
 * One webhook delivery, as the route verified it: RealtimeKit's `rtk-uuid` (unsigned, may be absent) and the
 * SHA-256 of the raw body (base64url). The signature covers only the body, so a replay under a new uuid is caught
 * by its digest.
 */
export interface Delivery {
  readonly uuid: string | null;
  readonly digest: string;
}

export type ReadResult =
  | {
      readonly ok: true;
      readonly seq: number;
      readonly recording: RawRecording | null;
      readonly ageSeconds?: number;
    }
  | ReadFailure;

/**
 * What a shell must do after a call, as one value: each field is an instruction, none outranks another, so a
 * shell (memory, Durable Object, Redis) applies it field by field with no rule of its own.
 */
export interface Effect {
  /** The snapshot changed: tell every viewer `event`. */
  readonly tell: boolean;
  /** The state changed: a shell that stores it writes it now. */
  readonly persist: boolean;
  /**
   * What to ask RealtimeKit, always afresh (the snapshot may be behind):
   * - `'read'`: at once, at a viewer read's priority: only a list read can place what just came (a meeting's
   *   unplaced webhook);
   * - `'background'`: at once, as background work (it never spends what viewers' reads need): a signed body seen
   *   before came again and would move the snapshot, a replay or a genuine repeat (RECORDING, PAUSED, RECORDING
   *   again can be byte for byte the same), neither trusted nor dropped;
   * - `'later'`: such a body came again within REPEAT_CHECK_MS of the last check, so one check is owed when that
   *   window ends, however many come meanwhile: re-arm the timer at `nextCheckAt` (a resume whose body repeats an
   *   earlier one is late by at most the window, never lost);
   * - `'none'`.
   */
  readonly read: Priority | 'later' | 'none';
}

/**
 * What `receive` decided: what the webhook's sender is told (a repeated body is never applied, even when it sends
 * RealtimeKit a check), and what the shell does; `effect` null when the delivery changes nothing at all.
 */
export interface Receipt {
  readonly verdict: 'applied' | 'duplicate';
  readonly effect: Effect | null;
}

/** What the shell does when its timer or alarm fires (`wake`). */
export type Wake = 'reconcile' | 'forget' | 'none';

const NOTHING: Effect = { tell: false, persist: false, read: 'none' };
const STORED: Effect = { ...NOTHING, persist: true };
const DUPLICATE: Receipt = { verdict: 'duplicate', effect: null };
const applied = (effect: Effect): Receipt => ({ verdict: 'applied', effect });

/** While viewers watch and no webhook came for this long, the hub asks upstream itself (lost webhooks heal). */
export const RECONCILE_MS = 30_000;
/**
 * A watched target whose reconciliation keeps finding nothing new is asked less often: the wait doubles, up to
 * this many times (30 s, 1, 2, 4, then every 8 min), and starts over at 30 s once something changes.
 */
const MAX_QUIET_DOUBLINGS = 4;

export function reconcileDelay(quietRounds: number): number {
  return RECONCILE_MS * 2 ** Math.min(Math.max(0, quietRounds), MAX_QUIET_DOUBLINGS);
}

/**
 * How long a hub nobody watches keeps what it knows, from its last activity, before it forgets everything (a
 * later read asks RealtimeKit again): a target upstream does not know, briefly; an unsettled one, a day (its
 * webhooks may have stopped coming); a settled one (UPLOADED or ERRORED), a week.
 */
export const RETAIN_UNKNOWN_MS = 10 * 60_000;
export const RETAIN_UNSETTLED_MS = 24 * 3600_000;
export const RETAIN_SETTLED_MS = 7 * 24 * 3600_000;
/** A repeated body asks RealtimeKit at most this often per target: a replay flood costs a read every 5 s at most. */
export const REPEAT_CHECK_MS = 5_000;
/** Upstream's 404 for a target is believed this long: made-up ids cost one request a minute, not one per read. */
export const NOT_FOUND_MS = 60_000;

/**
 * The replay memory: the digests of the signed bodies a target has seen, and the delivery ids (`rtk-uuid`) they came
 * under, each its own bounded set, so that ids (unsigned: anyone can send new ones) never push a digest out. Only a
 * body seen for the first time inserts anything (its digest and its id): a replay, under whatever id, inserts
 * nothing, so a flood cannot evict the body of an older status. A recording sees a handful of bodies.
 */
export const MAX_BODY_DIGESTS = 128;
export const MAX_DELIVERY_IDS = 128;
/** Recordings a meeting remembers as seen in it (a meeting token may read them), and as known to be older. */
export const MAX_PLACED = 256;

/** What a target stores: enough to rebuild it after a restart. JSON: `null` stands for "never". */
export interface TargetState {
  readonly snapshot: SnapshotState;
  readonly readAt: number | null;
  readonly webhookAt: number | null;
  readonly usedAt: number | null;
  readonly missingAt: number | null;
  readonly quietRounds: number;
  /** When a read owed for a repeated body or a placement falls due (absent in rows stored before there were any). */
  readonly recheckAt?: number | null;
  readonly deliveries: readonly string[];
  readonly placed: readonly string[];
  readonly older: readonly string[];
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
const never = (n: number | null | undefined): number => n ?? -Infinity;

/** A set that forgets its oldest members beyond `limit`. */
class Recent {
  readonly #items: Set<string>;
  readonly #limit: number;
  constructor(items: readonly string[], limit: number) {
    this.#items = new Set(items);
    this.#limit = limit;
  }
  has(item: string): boolean {
    return this.#items.has(item);
  }
  /** True when it was not there yet. */
  add(item: string): boolean {
    if (this.#items.has(item)) return false;
    this.#items.add(item);
    for (const oldest of this.#items) {
      if (this.#items.size <= this.#limit) break;
      this.#items.delete(oldest);
    }
    return true;
  }
  delete(item: string): boolean {
    return this.#items.delete(item);
  }
  get size(): number {
    return this.#items.size;
  }
  get list(): string[] {
    return [...this.#items];
  }
}

/** A recording that reached UPLOADED or ERRORED never changes again. */
export const isTerminalRecording = (raw: RawRecording | null): boolean => raw !== null && isTerminal(raw.status);

export class TargetHub {
  readonly target: Target;
  readonly #snapshot: Snapshot;
  /** When upstream last answered: reads within `freshFor` of it need no request. */
  #readAt: number;
  /** When a webhook last changed or confirmed this target. */
  #webhookAt: number;
  /** When a viewer last read, followed or left, or a webhook came: retention counts from here. */
  #usedAt: number;
  /** When upstream last said it has no such target. */
  #missingAt: number;
  /** Reconciliations in a row that found nothing new. */
  #quietRounds: number;
  /** When a repeated body last made this target ask RealtimeKit (in memory: a throttle, not state). */
  #checkedAt = -Infinity;
  /**
   * When a read owed for a repeated body (or for a meeting's unplaced webhook) falls due: the end of the throttle's
   * window, or a window after that read failed; Infinity when none is.
   */
  #recheckAt: number;
  /** A repeated body's check was asked and not yet answered (in memory; once it fails, `#recheckAt` holds it). */
  #checkPending = false;
  /** The replay memory (see MAX_BODY_DIGESTS): digests, and the ids their bodies first came under. */
  readonly #digests: Recent;
  readonly #deliveryIds: Recent;
  /** Meeting only: recordings seen in it, and recordings a list read showed are not its newest. */
  readonly #placed: Recent;
  readonly #older: Recent;
  /** Meeting only: recordings whose webhooks wait for a list read to be placed. */
  readonly #awaiting = new Set<string>();

  /**
   * A target starts from what it stored, or afresh at `now`: a fresh snapshot's `seq` starts at `now` (ms), so
   * that ids keep growing across a restart or a forgotten hub and a client's Last-Event-ID never covers an event
   * it has not seen.
   */
  constructor(target: Target, state?: TargetState, now = 0) {
    this.target = target;
    this.#snapshot = new Snapshot(state?.snapshot ?? { raw: null, known: false, seq: Math.max(0, Math.floor(now)) });
    this.#readAt = never(state?.readAt);
    this.#webhookAt = never(state?.webhookAt);
    this.#usedAt = never(state?.usedAt);
    this.#missingAt = never(state?.missingAt);
    this.#quietRounds = state?.quietRounds ?? 0;
    this.#recheckAt = state?.recheckAt ?? Infinity;
    // Stored as one list of prefixed keys (`d:` digest, `u:` id), as rows have always held them.
    const stored = state?.deliveries ?? [];
    this.#digests = new Recent(
      stored.filter((key) => key.startsWith('d:')),
      MAX_BODY_DIGESTS,
    );
    this.#deliveryIds = new Recent(
      stored.filter((key) => key.startsWith('u:')),
      MAX_DELIVERY_IDS,
    );
    this.#placed = new Recent(state?.placed ?? [], MAX_PLACED);
    this.#older = new Recent(state?.older ?? [], MAX_PLACED);
  }

  get state(): TargetState {
    return {
      snapshot: this.#snapshot.state,
      readAt: finite(this.#readAt),
      webhookAt: finite(this.#webhookAt),
      usedAt: finite(this.#usedAt),
      missingAt: finite(this.#missingAt),
      quietRounds: this.#quietRounds,
      recheckAt: finite(this.#recheckAt),
      deliveries: [...this.#deliveryIds.list, ...this.#digests.list],
      placed: this.#placed.list,
      older: this.#older.list,
    };
  }

  /** The snapshot as viewers see it: its `seq` and recording. */
  get event(): HubEvent {
    return this.#snapshot.event;
  }

  get recording(): RawRecording | null {
    return this.#snapshot.raw;
  }

  get seq(): number {
    return this.#snapshot.seq;
  }

  /** The recording is over (a meeting is never over: its next recording may start). */
  get finished(): boolean {
    return this.target.kind === 'recording' && isTerminalRecording(this.#snapshot.raw);
  }

  /**
   * A read answered without upstream, or null when upstream must be asked: the snapshot within `freshFor` of an
   * upstream answer, or, once upstream filled it, while webhooks keep it current (one came within the
   * reconciliation window) or while it has live viewers (`watched`: webhooks and reconciliation keep a watched
   * target current by definition, so viewers joining it cost no upstream read however slowly they come); a
   * recent 404 again. Polling viewers of a webhook-fed target then cost nothing.
   */
  cached(now: number, freshFor: number, watched = false): ReadResult | null {
    // A check owed for a repeated body is due: the snapshot may be behind, and this read is the check.
    if (now >= this.#recheckAt) return null;
    if (this.#snapshot.known) {
      const filled = this.#readAt > -Infinity;
      const fresh = now - this.#readAt < freshFor || (filled && (watched || now - this.#webhookAt < RECONCILE_MS));
      return fresh ? { ok: true, ...this.#snapshot.event } : null;
    }
    if (now - this.#missingAt < NOT_FOUND_MS) {
      return { ok: false, kind: 'not-found', status: 404, message: 'RealtimeKit has no such recording.' };
    }
    return null;
  }

  /**
   * An upstream answer for this target, merged (never backwards), and what a read answers with it. When the
   * budget is spent, the last snapshot, said to be as old as it is, rather than no answer. `list` is every
   * recording the answer named (a meeting's shell may teach their own hubs).
   */
  answered(
    result: UpstreamResult,
    now: number,
  ): { readonly result: ReadResult; readonly effect: Effect; readonly list: readonly RawRecording[] } {
    this.#usedAt = now;
    if (!result.ok) {
      // Remembered while the hub is in memory, not stored: a target upstream does not know costs no storage.
      if (result.kind === 'not-found') {
        this.#missingAt = result.at;
        this.#checkPending = false;
        this.#awaiting.clear();
      }
      const effect = this.#owedAgain(now);
      if (result.kind === 'budget' && this.#snapshot.known) {
        const since = Math.max(this.#readAt, this.#webhookAt);
        const ageSeconds = since === -Infinity ? 0 : Math.floor((now - since) / 1000);
        return { result: { ok: true, ...this.#snapshot.event, ageSeconds }, effect, list: [] };
      }
      return { result: failed(result), effect, list: [] };
    }
    const answer = readAnswer(this.target, result.body);
    if (!answer.ok) return { result: failed(invalidAnswer(result.at)), effect: NOTHING, list: [] };
    if (this.target.kind === 'meeting') {
      for (const r of answer.list) this.#placed.add(r.id);
      // A list names the meeting's newest: whatever waited for it and is not that one is older.
      for (const id of this.#awaiting) if (id !== answer.recording?.id) this.#older.add(id);
      this.#awaiting.clear();
      if (answer.recording) this.#older.delete(answer.recording.id);
    }
    this.#readAt = result.at;
    this.#missingAt = -Infinity;
    this.#checkPending = false;
    if (result.at >= this.#recheckAt) this.#recheckAt = Infinity;
    const tell = this.#snapshot.apply(answer.recording);
    return { result: { ok: true, ...this.#snapshot.event }, effect: { ...STORED, tell }, list: answer.list };
  }

  /**
   * A read something waits for (a repeated body's check, a meeting's placement) failed: it is asked again a window
   * later rather than left to reconciliation (30 s and more, and the longer the quieter), so what a sender was told
   * 200 for reaches viewers soon after RealtimeKit answers again. One read per window while it fails.
   */
  #owedAgain(now: number): Effect {
    if (!this.#checkPending && this.#awaiting.size === 0) return NOTHING;
    this.#recheckAt = now + REPEAT_CHECK_MS;
    return { ...STORED, read: 'later' };
  }

  /** What another target's answer says of this recording (a meeting's list names it): merged, never backwards. */
  learned(raw: RawRecording): Effect {
    const changed = this.#snapshot.apply(raw);
    return { ...NOTHING, tell: changed, persist: changed };
  }

  /** A meeting's active recording as RealtimeKit answers it, checked; the recording is then seen in the meeting. */
  activeAnswered(result: UpstreamResult): { readonly result: ReadResult; readonly effect: Effect } {
    if (!result.ok) {
      const failure = failed(result);
      return {
        result: result.kind === 'not-found' ? { ...failure, message: NO_ACTIVE_RECORDING } : failure,
        effect: NOTHING,
      };
    }
    const parsed = oneRecordingAnswer.safeParse(result.body);
    if (!parsed.success) return { result: failed(invalidAnswer(result.at)), effect: NOTHING };
    const placed = this.#placed.add(parsed.data.data.id);
    return { result: { ok: true, seq: 0, recording: parsed.data.data }, effect: { ...NOTHING, persist: placed } };
  }

  /** Whether the recording was seen in this meeting (a meeting token may then read it). */
  placed(recordingId: string): boolean {
    return this.#placed.has(recordingId);
  }

  /**
   * A verified webhook. A delivery seen before by its uuid is a duplicate and changes nothing; one whose body was
   * seen before under another uuid (or none) is never applied: a duplicate, or, when it would move the snapshot, a
   * reason to ask RealtimeKit (a `'background'` read, or a `'later'` one inside the throttle's window). A recording's
   * hub merges it. A meeting's hub remembers the recording as seen in it and, if anyone
   * asked about the meeting, merges it when it is about the recording held, else places it by what is known of
   * that recording (`recording`, its own hub's snapshot, may know its invoked_time); else one list read must.
   * A recording a list read already showed to be older is not read for again.
   */
  receive(update: RecordingUpdate, delivery: Delivery, now: number, recording: RawRecording | null = null): Receipt {
    const uuidKey = delivery.uuid === null ? null : `u:${delivery.uuid}`;
    const digestKey = `d:${delivery.digest}`;
    // The same uuid is RealtimeKit retrying one delivery.
    if (uuidKey !== null && this.#deliveryIds.has(uuidKey)) return DUPLICATE;
    const repeated = this.#digests.has(digestKey);
    if (!repeated) {
      this.#digests.add(digestKey);
      if (uuidKey !== null) this.#deliveryIds.add(uuidKey);
    }
    this.#usedAt = now;
    if (repeated) {
      // The uuid is not signed, so the same bytes under a new one may be a replay (an old PAUSED flipping RECORDING
      // back) or the recording's next genuine transition with an identical body. The body cannot tell: RealtimeKit
      // can, when the repeat would change what viewers see. Otherwise it changes nothing: a duplicate.
      const held = this.#snapshot.raw;
      const about = this.target.kind === 'recording' || held?.id === update.id;
      if (!about || held?.status === update.status) return DUPLICATE;
      if (now - this.#checkedAt < REPEAT_CHECK_MS) {
        // A flood costs one check per window; a genuine repeat inside it is checked when the window ends.
        if (this.#recheckAt !== Infinity) return DUPLICATE;
        this.#recheckAt = this.#checkedAt + REPEAT_CHECK_MS;
        this.#checkPending = true;
        return { verdict: 'duplicate', effect: { ...STORED, read: 'later' } };
      }
      this.#checkedAt = now;
      this.#checkPending = true;
      return { verdict: 'duplicate', effect: { ...STORED, read: 'background' } };
    }
    if (this.target.kind === 'recording') {
      this.#webhookAt = now;
      return applied({ ...STORED, tell: this.#snapshot.applyUpdate(update) });
    }
    this.#placed.add(update.id);
    // Nobody has asked about this meeting: nothing to keep current, only the placement to remember.
    if (!this.#snapshot.known) return applied(STORED);
    this.#webhookAt = now;
    if (this.#snapshot.raw?.id !== update.id && this.#older.has(update.id) && !recording?.invoked_time) {
      return applied(STORED);
    }
    const outcome = this.#snapshot.applyToMeeting(update, recording);
    if (outcome !== 'unplaced') return applied({ ...STORED, tell: outcome });
    this.#awaiting.add(update.id);
    return applied({ ...STORED, read: 'read' });
  }

  /** A viewer came or left: retention counts from now. */
  touched(now: number): Effect {
    this.#usedAt = now;
    return STORED;
  }

  /**
   * What is due at `now` (a question: nothing changes). Watched and quiet for the reconciliation window, or owing
   * a repeated body its check: ask upstream. Nobody watching and past retention: forget everything. Else nothing,
   * till `nextCheckAt`.
   */
  due(now: number, watched: boolean): Wake {
    if (watched) {
      if (this.finished) return 'none';
      if (now >= this.#recheckAt) return 'reconcile';
      if (now - Math.max(this.#webhookAt, this.#readAt) >= RECONCILE_MS) return 'reconcile';
      return 'none';
    }
    return now >= this.expiresAt ? 'forget' : 'none';
  }

  /**
   * The shell's timer or alarm fired: what is `due`, acted on. A reconciliation is the shell's upstream read,
   * background priority, then `reconciled`. A watched target that webhooks (or reads) keep current needs none, and
   * its next one comes after the shortest wait again (30 s).
   */
  wake(now: number, watched: boolean): Wake {
    const action = this.due(now, watched);
    if (action === 'none' && watched && !this.finished) this.#quietRounds = 0;
    return action;
  }

  /** A reconciliation's read is over: nothing new makes the next one come later. */
  reconciled(seqBefore: number): Effect {
    // What was owed is settled by the read's answer (`answered`): cleared by an answer, a window on after a failure.
    this.#quietRounds = this.#snapshot.seq === seqBefore ? this.#quietRounds + 1 : 0;
    return STORED;
  }

  /**
   * When the shell should `wake` next: while watched, the next reconciliation or an owed check, whichever
   * comes first; else the end of retention (an owed check then waits for the next read, which `cached` sends up).
   */
  nextCheckAt(now: number, watched: boolean): number {
    if (watched && !this.finished)
      return Math.min(now + reconcileDelay(this.#quietRounds), Math.max(now, this.#recheckAt));
    return Math.max(now, this.expiresAt);
  }

  /** When a hub nobody watches forgets this target (see RETAIN_*). */
  get expiresAt(): number {
    const last = Math.max(this.#usedAt, this.#readAt, this.#webhookAt);
    const from = last === -Infinity ? 0 : last;
    if (isTerminalRecording(this.#snapshot.raw)) return from + RETAIN_SETTLED_MS;
    if (this.#snapshot.known || this.#placed.size > 0) return from + RETAIN_UNSETTLED_MS;
    return from + RETAIN_UNKNOWN_MS;
  }
}
