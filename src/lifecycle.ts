/**
 * The recording lifecycle as pure rules: which statuses exist, how they map onto the four visible steps,
 * which are terminal, and how a newly fetched recording merges with the one on screen.
 *
 * Nothing here knows about time, the network or the DOM, so every rule is table-tested.
 */

/** Every status RealtimeKit reports, in the API's own uppercase spelling. */
export const STATUSES = ['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING', 'UPLOADED', 'ERRORED'] as const;
export type RecordingStatus = (typeof STATUSES)[number];

/** The four steps the stepper shows. PAUSED lives on RECORDING; ERRORED marks whichever step failed. */
export const STEPS = ['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED'] as const;
export type Step = (typeof STEPS)[number];

export type StepState = 'complete' | 'current' | 'upcoming' | 'failed';

/** The normalised, camelCase recording the element exposes as `recording`. */
export interface Recording {
  readonly id: string;
  readonly status: RecordingStatus;
  readonly sessionId: string | null;
  readonly meetingId: string | null;
  readonly meetingTitle: string | null;
  readonly invokedAt: Date | null;
  readonly startedAt: Date | null;
  readonly stoppedAt: Date | null;
  readonly downloadUrl: string | null;
  readonly downloadUrlExpiresAt: Date | null;
  readonly audioDownloadUrl: string | null;
  readonly fileSize: number | null;
  readonly durationSeconds: number | null;
  readonly outputFileName: string | null;
}

export function isStatus(value: unknown): value is RecordingStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: RecordingStatus | null): boolean {
  return status === 'UPLOADED' || status === 'ERRORED';
}

/**
 * How far along the lifecycle a status is. RECORDING and PAUSED share a rank because a recording may move
 * between them in either direction; ERRORED outranks everything because nothing follows it.
 */
const RANK: Record<RecordingStatus, number> = {
  INVOKED: 0,
  RECORDING: 1,
  PAUSED: 1,
  UPLOADING: 2,
  UPLOADED: 3,
  ERRORED: 4,
};

export function rank(status: RecordingStatus): number {
  return RANK[status];
}

/**
 * Decides what to show when a new answer arrives. Returns `shown` itself when the incoming answer must be
 * ignored or says nothing new, so callers can detect "nothing changed" with `===`.
 *
 * - A different recording replaces the shown one unless it is older (a lagging replica of the meeting list).
 * - The same recording never moves backwards; RECORDING ⇄ PAUSED is not backwards.
 * - A terminal status is final: UPLOADED never becomes ERRORED and vice versa.
 */
export function merge(shown: Recording | null, incoming: Recording): Recording {
  if (shown === null) return incoming;
  if (shown.id !== incoming.id) {
    const shownAt = shown.invokedAt?.getTime();
    const incomingAt = incoming.invokedAt?.getTime();
    if (shownAt !== undefined && incomingAt !== undefined && incomingAt < shownAt) return shown;
    return incoming;
  }
  if (isTerminal(shown.status) && incoming.status !== shown.status) return shown;
  if (rank(incoming.status) < rank(shown.status)) return shown;
  return sameContent(shown, incoming) ? shown : incoming;
}

/** Field-by-field equality, dates by instant: a poll that changed nothing must look unchanged. */
export function sameContent(a: Recording, b: Recording): boolean {
  return (Object.keys(a) as (keyof Recording)[]).every((key) => {
    const x = a[key];
    const y = b[key];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}

/** The step a non-errored status is shown on. */
export function stepOf(status: Exclude<RecordingStatus, 'ERRORED'>): Step {
  return status === 'PAUSED' ? 'RECORDING' : status;
}

/**
 * Where an ERRORED recording failed. The last status seen before the error is the best witness; failing
 * that (a page opened after the failure), the answer itself tells how far the recording got: a file size
 * means a file was being uploaded, a start time means it was recording. `stopped_time` proves nothing, as
 * a failure stops the recording too.
 */
export function failedStep(recording: Recording, lastStatusBeforeError: RecordingStatus | null): Step {
  if (lastStatusBeforeError !== null && lastStatusBeforeError !== 'ERRORED') {
    return stepOf(lastStatusBeforeError);
  }
  if (recording.fileSize !== null) return 'UPLOADING';
  if (recording.startedAt !== null) return 'RECORDING';
  return 'INVOKED';
}

/** What is on screen: the recording, and where it failed once it has. */
export interface Shown {
  readonly recording: Recording | null;
  /** Where an ERRORED recording failed; null otherwise. */
  readonly failedAt: Step | null;
}

export const NOTHING_SHOWN: Shown = { recording: null, failedAt: null };

/**
 * The state reducer: merges an answer (or `null`, a meeting with no recording) into what is shown. Returns
 * `shown` itself when nothing changes. The stream applies it to every answer, and the element applies it
 * again to every state a stream hands it, so "never backwards" holds across disconnects and restarted
 * streams, not only within one stream.
 *
 * Once the failed step of a recording is known it stays: a later answer for the same ERRORED recording
 * (one that adds `stopped_time`, say) must not move it. `knownFailedAt` is what the source of `incoming`
 * already knows (a shared stream that saw the last status before the failure, which an element that joined
 * late or missed an answer did not).
 */
export function advance(shown: Shown, incoming: Recording | null, knownFailedAt: Step | null = null): Shown {
  if (incoming === null) return shown;
  const before = shown.recording;
  const recording = merge(before, incoming);
  if (recording === before) return shown;
  let failedAt: Step | null = null;
  if (recording.status === 'ERRORED') {
    const same = before?.id === recording.id;
    failedAt = (same ? shown.failedAt : null) ?? knownFailedAt ?? failedStep(recording, same ? before.status : null);
  }
  return { recording, failedAt };
}

export interface StepView {
  readonly step: Step;
  readonly state: StepState;
  /** True for exactly one step once a status is known: the one that gets `aria-current="step"`. */
  readonly current: boolean;
}

/**
 * The state of each of the four steps, in order. `failedAt` is required for ERRORED and ignored otherwise.
 * With no status, every step is upcoming and none is current.
 */
export function stepStates(status: RecordingStatus | null, failedAt: Step = 'INVOKED'): StepView[] {
  if (status === null) return STEPS.map((step) => ({ step, state: 'upcoming', current: false }));
  const at = status === 'ERRORED' ? failedAt : stepOf(status);
  const atIndex = STEPS.indexOf(at);
  return STEPS.map((step, i) => {
    if (i < atIndex) return { step, state: 'complete', current: false };
    if (i > atIndex) return { step, state: 'upcoming', current: false };
    // UPLOADED is the last step and the end of the road: done, and still where the recording is.
    const state: StepState = status === 'ERRORED' ? 'failed' : status === 'UPLOADED' ? 'complete' : 'current';
    return { step, state, current: true };
  });
}
