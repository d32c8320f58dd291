/**
 * What both halves know of RealtimeKit's recording REST API, in one neutral module: the widget reads the host's
 * proxy with it, and the server reads RealtimeKit with it. Nothing here fetches.
 */
import { ID_RULE, isValidId } from './ids.js';
import { parseDate, type RawRecording } from './schema.js';

/** What is watched: one recording, or the newest recording of a meeting. */
export type Target =
  { readonly kind: 'recording'; readonly id: string } | { readonly kind: 'meeting'; readonly id: string };

/** One string per target, for maps, object names and rate shares: `recording:<id>` or `meeting:<id>`. */
export const targetKey = (target: Target): string => `${target.kind}:${target.id}`;

/** A `targetKey` read back; null when it is none. */
export function parseTargetKey(key: string | null): Target | null {
  const match = /^(recording|meeting):(.+)$/s.exec(key ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1] === 'recording' ? 'recording' : 'meeting', id: match[2] };
}

/** The query parameter that names a target to the proxy's `/events` and the host's token endpoint. */
export const TARGET_PARAMETERS = { recording: 'recording_id', meeting: 'meeting_id' } as const;

/** A target as that query parameter: `[name, id]`, for `searchParams.set(...)`. */
export const targetParameter = (target: Target): [name: string, id: string] => [
  TARGET_PARAMETERS[target.kind],
  target.id,
];

/** Why a target cannot be used (its id would go into an upstream path), or null when it can. */
export function malformedTarget(target: Target): string | null {
  if (isValidId(target.id)) return null;
  return `That ${target.kind} id is malformed: an id is ${ID_RULE}.`;
}

/**
 * The target a query names (exactly one of `recording_id` and `meeting_id`, its id well formed), or why none:
 * the proxy's `/events` and every token endpoint read their target this way.
 */
export function targetOfQuery(query: URLSearchParams): Target | { readonly problem: string } {
  const recording = query.get(TARGET_PARAMETERS.recording);
  const meeting = query.get(TARGET_PARAMETERS.meeting);
  const target: Target | null =
    recording && !meeting
      ? { kind: 'recording', id: recording }
      : meeting && !recording
        ? { kind: 'meeting', id: meeting }
        : null;
  if (target === null) {
    return { problem: `Give exactly one of ${TARGET_PARAMETERS.recording} and ${TARGET_PARAMETERS.meeting}.` };
  }
  const problem = malformedTarget(target);
  return problem === null ? target : { problem };
}

/**
 * The list query that answers a meeting's newest recording: its recordings, newest `invoked_time` first, one. The
 * answer is still checked with `newest`: a proxy or API that ignores the sort must not fool either half.
 */
export const newestInMeetingQuery = (meetingId: string): Readonly<Record<string, string>> => ({
  meeting_id: meetingId,
  sort_by: 'invokedTime',
  sort_order: 'DESC',
  per_page: '1',
});

/** The read that fills a target, relative to the API base: the recording itself, or the meeting's newest. */
export function recordingPath(target: Target): string {
  return target.kind === 'recording'
    ? `/recordings/${encodeURIComponent(target.id)}`
    : `/recordings?${new URLSearchParams(newestInMeetingQuery(target.id))}`;
}

/** A meeting's active recording, relative to the API base. */
export const activePath = (meetingId: string): string =>
  `/recordings/active-recording/${encodeURIComponent(meetingId)}`;

const invokedAt = (r: RawRecording): number => {
  const at = r.invoked_time ? parseDate(r.invoked_time) : 0;
  return Number.isNaN(at) ? 0 : at;
};

/**
 * The newest recording by `invoked_time` (the first of equals): a list is asked for newest first, but an answer
 * that ignores the sort order must not fool either half.
 */
export function newest(recordings: readonly RawRecording[]): RawRecording | null {
  let best: RawRecording | null = null;
  for (const r of recordings) if (best === null || invokedAt(r) > invokedAt(best)) best = r;
  return best;
}

const RETRY_AFTER_CAP_MS = 10 * 60_000;

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now, capped at ten minutes. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS);
}
