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
