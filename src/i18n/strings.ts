/**
 * Every visible and announced string, in English. Hosts override any subset through the `strings` property.
 * `{name}` placeholders are filled by `fill()`; values are inserted as text, never as markup.
 */
export const defaultStrings = {
  stepsLabel: 'Recording progress',
  stepsLabelNamed: '{label}: recording progress',

  stepInvoked: 'Requested',
  stepRecording: 'Recording',
  stepUploading: 'Uploading',
  stepUploaded: 'Ready',
  pausedBadge: 'Paused',

  stateComplete: 'completed',
  stateCurrent: 'current',
  stateUpcoming: 'not started',
  stateFailed: 'failed',

  describeIdle: 'No recording selected.',
  describeLoading: 'Checking the recording status…',
  describeEmpty: 'No recording yet.',
  describeInvoked: 'The recording was requested and is starting.',
  describeRecording: 'The meeting is being recorded.',
  describePaused: 'Recording is paused and can resume.',
  describeUploading: 'Recording has stopped; the file is being uploaded.',
  describeUploaded: 'The recording is ready.',
  describeErrored: 'The recording failed; no file will be available.',

  statusInvoked: 'requested',
  statusRecording: 'recording',
  statusPaused: 'paused',
  statusUploading: 'uploading',
  statusUploaded: 'ready',
  statusErrored: 'failed',
  announce: 'Recording: {status}',
  announceNamed: '{label} recording: {status}',

  noticeRetrying: '{problem}, retrying in {time}.',
  noticeStopped: '{problem}. Updates have stopped.',
  problemNetwork: 'Connection lost',
  problemTimeout: 'The server is not answering',
  problemHttp: 'The recording service had a problem',
  problemNotFound: 'Recording not found',
  problemRateLimited: 'Too many requests',
  problemInvalidResponse: 'Received an unreadable update',
  problemToken: 'Could not sign in to the recording service',
  problemUnauthorized: 'Not signed in to see this recording',
  problemForbidden: 'Not allowed to see this recording',
  problemConfig: 'This widget is not set up correctly',
  retryNow: 'Retry now',

  detailsLabel: 'Recording details',
  detailInvoked: 'Requested',
  detailStarted: 'Started',
  detailStopped: 'Stopped',
  detailDuration: 'Duration',
  detailFileSize: 'File size',
  detailFileName: 'File',
  download: 'Download recording',
  downloadExpires: 'Link expires {time}',
} as const;

export type StringKey = keyof typeof defaultStrings;
export type Strings = Readonly<Record<StringKey, string>>;

/** Merges overrides onto the defaults, ignoring unknown keys and non-string values. */
export function resolveStrings(overrides: Partial<Record<string, unknown>> | null | undefined): Strings {
  const table: Record<string, string> = { ...defaultStrings };
  if (overrides) {
    for (const key of Object.keys(defaultStrings)) {
      const value = overrides[key];
      if (typeof value === 'string') table[key] = value;
    }
  }
  return table as Strings;
}

/** Replaces `{name}` with the value of `name`; unknown placeholders stay as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

/**
 * `RECORDING` → `Recording`, `not-found` → `NotFound`: the strings table names its keys after the statuses,
 * steps, states and error kinds (`statusRecording`, `problemNotFound`), so no lookup table is shipped.
 */
export const pascal = <T extends string>(word: T): Pascal<Lowercase<T>> =>
  word.toLowerCase().replace(/(?:^|-)(.)/g, (_, c: string) => c.toUpperCase()) as Pascal<Lowercase<T>>;
