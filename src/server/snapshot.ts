/**
 * One target's snapshot and the rules every hub applies to it, whether the hub lives in memory or in a
 * Durable Object: merges go through the widget's lifecycle rules (never backwards), `seq` counts the changes
 * viewers saw, and upstream answers are checked against the target they were asked for.
 */
import {
  normalise,
  oneRecordingAnswer,
  recordingListAnswer,
  recordingSchema,
  type RawRecording,
} from '../api/schema.js';
import { newest, type Target } from '../api/rest.js';
import { merge, type Recording } from '../lifecycle.js';
import type { UpstreamFailureKind, UpstreamResult } from './upstream.js';
import type { RecordingUpdate } from './webhook/payload.js';

export interface HubEvent {
  readonly seq: number;
  readonly recording: RawRecording | null;
}

export interface ReadFailure {
  readonly ok: false;
  readonly kind: UpstreamFailureKind;
  readonly status: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** What a snapshot is, stored: enough to rebuild it after a restart. */
export interface SnapshotState {
  readonly raw: RawRecording | null;
  /** Whether anything is known yet (a meeting with no recording is known, and null). */
  readonly known: boolean;
  readonly seq: number;
}

export class Snapshot {
  raw: RawRecording | null;
  known: boolean;
  seq: number;
  #view: Recording | null;

  constructor(state: SnapshotState = { raw: null, known: false, seq: 0 }) {
    this.raw = state.raw;
    this.known = state.known;
    this.seq = state.seq;
    this.#view = state.raw === null ? null : normalise(state.raw);
  }

  get state(): SnapshotState {
    return { raw: this.raw, known: this.known, seq: this.seq };
  }

  get event(): HubEvent {
    return { seq: this.seq, recording: this.raw };
  }

  /** Merges an answer (never backwards); true when viewers must be told. A null only says "known, none yet". */
  apply(raw: RawRecording | null): boolean {
    if (raw === null) {
      if (this.known) return false;
      this.known = true;
    } else {
      const view = normalise(raw);
      const shown = merge(this.#view, view);
      this.known = true;
      if (shown === this.#view) return false;
      this.raw = raw;
      this.#view = view;
    }
    this.seq++;
    return true;
  }

  /** Merges a webhook about the recording this snapshot holds (or a recording snapshot not yet filled). */
  applyUpdate(update: RecordingUpdate): boolean {
    const next = withUpdate(this.raw, update);
    return next !== null && this.apply(next);
  }

  /**
   * A webhook as a meeting's snapshot takes it: merged when it is about the recording held, else placed by
   * what is known of that recording (`recording`, its own snapshot: the merge keeps whichever was invoked
   * last). Webhooks carry no invoked_time, so without one it is `unplaced`: only a list read can tell.
   */
  applyToMeeting(update: RecordingUpdate, recording: RawRecording | null): boolean | 'unplaced' {
    if (this.raw?.id === update.id) return this.applyUpdate(update);
    if (recording?.invoked_time) return this.apply(recording);
    return 'unplaced';
  }
}

/** A webhook's fields over what is known of the recording, in the REST shape; null if that makes no recording. */
export function withUpdate(raw: RawRecording | null, update: RecordingUpdate): RawRecording | null {
  const base = raw?.id === update.id ? raw : { id: update.id };
  const parsed = recordingSchema.safeParse({ ...base, ...update.fields, id: update.id, status: update.status });
  return parsed.success ? parsed.data : null;
}

/** An upstream answer for a target, checked: the recording it names, or the meeting's list. */
export type TargetAnswer =
  | { readonly ok: true; readonly recording: RawRecording | null; readonly list: readonly RawRecording[] }
  | { readonly ok: false };

export function readAnswer(target: Target, body: unknown): TargetAnswer {
  if (target.kind === 'recording') {
    const parsed = oneRecordingAnswer.safeParse(body);
    if (!parsed.success || parsed.data.data.id !== target.id) return { ok: false };
    return { ok: true, recording: parsed.data.data, list: [parsed.data.data] };
  }
  const parsed = recordingListAnswer.safeParse(body);
  if (!parsed.success) return { ok: false };
  return { ok: true, recording: newest(parsed.data.data), list: parsed.data.data };
}

export function invalidAnswer(at: number): UpstreamResult & { ok: false } {
  return { ok: false, kind: 'invalid', status: 502, message: 'RealtimeKit answered with an unexpected shape.', at };
}

export function failed(result: UpstreamResult & { ok: false }): ReadFailure {
  return {
    ok: false,
    kind: result.kind,
    status: result.status,
    message: result.message,
    ...(result.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: result.retryAfterSeconds }),
  };
}

/** How active-recording's 404 reads to a viewer (RealtimeKit's own words for it). */
export const NO_ACTIVE_RECORDING = 'No active recording found for this meeting';
