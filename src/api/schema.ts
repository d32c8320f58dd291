/**
 * The shapes of every answer the widget accepts, validated with `zod/mini` (tree-shakes far better than the
 * classic API, which matters for a widget embedded in other people's pages), and `normalise()` from the
 * API's snake_case to the camelCase `Recording` the element exposes.
 *
 * Unknown extra fields are accepted and dropped: the API grows. A wrong type or an unknown status is not.
 */
import * as z from 'zod/mini';
import { isStatus, type Recording, type RecordingStatus } from '../lifecycle.js';

// Leaves are plain predicates through z.custom: the same checks as z.enum, z.union or refine chains, at a
// fraction of the bundle (each zod schema kind costs its own code in every host page).
/**
 * RFC 3339 allows a lowercase `t` and `z`, which Firefox's Date.parse refuses: dates are read uppercased
 * (harmless for the ISO digits and separators).
 */
export const parseDate = (v: string): number => Date.parse(v.toUpperCase());
const isDate = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(parseDate(v));
const isText = (v: unknown): v is string => typeof v === 'string';
const text = z.custom<string>(isText, 'not text');
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
// `file_size` arrives as a number from REST and has been seen as a numeric string from webhooks.
const isByteCount = (v: unknown): v is number | string => isCount(v) || (typeof v === 'string' && /^\d+$/.test(v));
const nonEmpty = z.custom<string>((v) => typeof v === 'string' && v.length > 0, 'empty');

/**
 * A field that may be missing or null, else must pass `check`. Not z.optional(z.nullable(…)): each zod schema
 * kind adds its own code to every host page, and these two cost half a kilobyte.
 */
function maybe<T>(check: (v: unknown) => v is T, message: string) {
  const schema = z.custom<T | null | undefined>((v) => v == null || check(v), message);
  // What z.optional() would set, without shipping the optional schema kind: zod's object parser reads these
  // flags (part of zod/v4/core's surface for library authors) to let the key be missing. Pinned zod; the
  // schema tests fail if this ever stops holding.
  schema._zod.optin = 'optional';
  schema._zod.optout = 'optional';
  return schema;
}
const optionalDate = maybe(isDate, 'not a date');
const optionalText = maybe(isText, 'not text');
const isMeeting = (v: unknown): v is { id?: string | null; title?: string | null } =>
  typeof v === 'object' &&
  v !== null &&
  [(v as Record<string, unknown>).id, (v as Record<string, unknown>).title].every((f) => f == null || isText(f));
const isTrue = (v: unknown): v is true => v === true;

export const recordingSchema = z.object({
  id: nonEmpty,
  status: z.custom<RecordingStatus>(isStatus, 'not a known status'),
  session_id: optionalText,
  meeting_id: optionalText,
  invoked_time: optionalDate,
  started_time: optionalDate,
  stopped_time: optionalDate,
  download_url: optionalText,
  download_url_expiry: optionalDate,
  audio_download_url: optionalText,
  file_size: maybe(isByteCount, 'not a byte count'),
  output_file_name: optionalText,
  recording_duration: maybe(isCount, 'not a count'),
  meeting: maybe(isMeeting, 'not a meeting'),
});
export type RawRecording = z.infer<typeof recordingSchema>;

/** `GET /recordings/{id}` and `GET /recordings/active-recording/{meeting_id}`. */
export const oneRecordingAnswer = z.object({
  success: z.custom<true>(isTrue, 'not a success'),
  data: recordingSchema,
});

/** `GET /recordings?meeting_id=…`. */
export const recordingListAnswer = z.object({
  success: z.custom<true>(isTrue, 'not a success'),
  data: z.array(recordingSchema),
});

/** RealtimeKit's error envelope, which a pass-through proxy forwards with the HTTP status. */
export const errorEnvelope = z.object({
  success: z.custom<false>((v: unknown) => v === false, 'not a failure'),
  error: z.object({
    code: maybe((v): v is number => typeof v === 'number', 'not a code'),
    message: text,
  }),
});

/** The host's token endpoint. */
export const tokenAnswer = z.object({
  token: nonEmpty,
  expires_in: maybe((v): v is number => isCount(v) && v > 0, 'not a lifetime'),
  expires_at: maybe(isDate, 'not a date'),
});
export type TokenAnswer = z.infer<typeof tokenAnswer>;

const toDate = (value: string | null | undefined): Date | null => (value == null ? null : new Date(parseDate(value)));

export function normalise(raw: RawRecording): Recording {
  return {
    id: raw.id,
    status: raw.status,
    sessionId: raw.session_id ?? null,
    meetingId: raw.meeting?.id ?? raw.meeting_id ?? null,
    meetingTitle: raw.meeting?.title ?? null,
    invokedAt: toDate(raw.invoked_time),
    startedAt: toDate(raw.started_time),
    stoppedAt: toDate(raw.stopped_time),
    downloadUrl: raw.download_url ?? null,
    downloadUrlExpiresAt: toDate(raw.download_url_expiry),
    audioDownloadUrl: raw.audio_download_url ?? null,
    fileSize: raw.file_size == null ? null : Number(raw.file_size),
    durationSeconds: raw.recording_duration ?? null,
    outputFileName: raw.output_file_name ?? null,
  };
}

/** A one-line account of why an answer was rejected, naming the fields, never echoing their values. */
export function describeIssues(error: z.core.$ZodError): string {
  const first = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'answer';
    return `${path}: ${issue.code === 'custom' ? issue.message : issue.code.replace(/_/g, ' ')}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return first.join('; ') + more;
}
