/**
 * RealtimeKit's `recording.statusUpdate` payload, once its signature is verified: the camelCase, sparse body
 * mapped onto the REST shape the rest of the server (and the widget) speaks.
 */
import * as z from 'zod/mini';
import { isValidId } from '../../api/ids.js';
import { isStatus, type RecordingStatus } from '../../lifecycle.js';

/** The REST fields a webhook can tell, present only where the delivery said something. */
export interface RecordingUpdate {
  readonly id: string;
  readonly status: RecordingStatus;
  readonly meetingId: string | null;
  readonly fields: Readonly<Record<string, string | number | null>>;
}

const text = z.optional(z.nullable(z.string()));
const numberish = z.optional(z.nullable(z.union([z.number(), z.string()])));
const webhookBody = z.object({
  event: z.string(),
  recording: z.optional(
    z.object({
      id: text,
      recordingId: text,
      status: z.string(),
      downloadUrl: text,
      audioDownloadUrl: text,
      downloadUrlExpiry: text,
      startedTime: text,
      stoppedTime: text,
      fileSize: numberish,
      outputFileName: text,
      meetingId: text,
      recordingDuration: numberish,
    }),
  ),
  meeting: z.optional(z.nullable(z.object({ id: text, sessionId: text }))),
});

/**
 * RealtimeKit's timestamps as ISO 8601: legacy ones use a space and microseconds (`2026-11-20 09:00:04.900123`),
 * and carry no zone (UTC). Undefined when it is no timestamp at all.
 */
export function isoTimestamp(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ tT](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const fraction = m[3] === undefined ? '' : `.${m[3].slice(0, 3).padEnd(3, '0')}`;
  const zone = m[4] === undefined || m[4].toUpperCase() === 'Z' ? 'Z' : m[4];
  const iso = `${m[1]}T${m[2]}${fraction}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

export type Parsed =
  | { readonly kind: 'update'; readonly update: RecordingUpdate }
  /** Another event; or (`badId`) a statusUpdate naming an id that is none, which no path or key may hold. */
  | { readonly kind: 'ignored'; readonly badId?: 'recording' | 'meeting' }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Parses a verified body. Other event types are `ignored`, and so is a statusUpdate whose recording or meeting id
 * breaks the id rule (RealtimeKit would only retry a refusal); a statusUpdate that makes no sense is `malformed`.
 */
export function parseWebhook(body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'the body is not JSON' };
  }
  const parsed = webhookBody.safeParse(json);
  if (!parsed.success) return { kind: 'malformed', reason: 'the body does not have the webhook shape' };
  const { event, recording, meeting } = parsed.data;
  if (event !== 'recording.statusUpdate') return { kind: 'ignored' };
  if (recording === undefined) return { kind: 'malformed', reason: 'recording is missing' };
  const id = recording.id ?? recording.recordingId;
  if (!id) return { kind: 'malformed', reason: 'recording.id is missing' };
  if (!isStatus(recording.status)) return { kind: 'malformed', reason: 'recording.status is not a known status' };

  const fields: Record<string, string | number | null> = {};
  const copy = (name: string, value: string | null | undefined) => {
    if (value !== undefined) fields[name] = value;
  };
  const time = (name: string, value: string | null | undefined): string | null => {
    if (value === undefined || value === null) {
      if (value === null) fields[name] = null;
      return null;
    }
    const iso = isoTimestamp(value);
    if (iso === undefined) return `${name} is not a timestamp`;
    fields[name] = iso;
    return null;
  };
  const count = (name: string, value: number | string | null | undefined): string | null => {
    if (value === undefined) return null;
    if (value === null) {
      fields[name] = null;
      return null;
    }
    const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0) return `${name} is not a count`;
    fields[name] = n;
    return null;
  };
  copy('download_url', recording.downloadUrl);
  copy('audio_download_url', recording.audioDownloadUrl);
  copy('output_file_name', recording.outputFileName);
  const meetingId = recording.meetingId ?? meeting?.id ?? null;
  // Ids go into upstream paths and storage keys: one that breaks the id rule is never used, only acknowledged.
  if (!isValidId(id)) return { kind: 'ignored', badId: 'recording' };
  if (meetingId !== null && !isValidId(meetingId)) return { kind: 'ignored', badId: 'meeting' };
  if (meetingId !== null) fields.meeting_id = meetingId;
  if (meeting?.sessionId != null) fields.session_id = meeting.sessionId;
  const problem =
    time('download_url_expiry', recording.downloadUrlExpiry) ??
    time('started_time', recording.startedTime) ??
    time('stopped_time', recording.stoppedTime) ??
    count('file_size', recording.fileSize) ??
    count('recording_duration', recording.recordingDuration);
  if (problem !== null) return { kind: 'malformed', reason: problem };
  return { kind: 'update', update: { id, status: recording.status, meetingId, fields } };
}
