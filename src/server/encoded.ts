/**
 * What viewers are sent of a snapshot, as bytes: an event's SSE frame, and a read's JSON body with its ETag. Each
 * is encoded once per snapshot version and download right, then the same bytes go to every viewer that shares
 * them: N viewers of one change cost one strip, one `JSON.stringify` and one encode, not N.
 *
 * Keyed by the recording object itself: a snapshot replaces its recording when it changes and never mutates it,
 * so an object stands for one version (and a forgotten version's bytes go with it).
 */
import type { RawRecording } from '../api/schema.js';
import type { HubEvent } from './snapshot.js';
import { digest } from './webhook/digest.js';

/**
 * What a viewer is sent of a recording: the schema's fields only (unknown ones, `storage_config` among them, never
 * survive it); its meeting as the element reads it, `id` and `title` (a list answer's meeting is RealtimeKit's own
 * object, settings and all, which the schema checks but cannot trim); download links only with the download right.
 */
export function forViewer(recording: RawRecording | null, download: boolean): RawRecording | null {
  if (recording === null) return null;
  const { meeting } = recording;
  const shown =
    meeting == null ? recording : { ...recording, meeting: { id: meeting.id ?? null, title: meeting.title ?? null } };
  return download ? shown : { ...shown, download_url: null, audio_download_url: null };
}

const encoder = new TextEncoder();

/** A read's answer, encoded: the exact body and its strong ETag (SHA-256 of those bytes). */
export interface EncodedBody {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly etag: string;
}

export type BodyShape = 'one' | 'list';

interface Versions {
  /** The last SSE frame per right ([without, with] the download right), with the seq it carries. */
  readonly frames: [{ seq: number; bytes: Uint8Array } | undefined, { seq: number; bytes: Uint8Array } | undefined];
  /** Read bodies per `${shape}:${right}`. */
  readonly bodies: Map<string, EncodedBody>;
}

const versions = new WeakMap<RawRecording, Versions>();

function versionsOf(recording: RawRecording): Versions {
  let v = versions.get(recording);
  if (v === undefined) {
    v = { frames: [undefined, undefined], bodies: new Map() };
    versions.set(recording, v);
  }
  return v;
}

const frameOf = (seq: number, shown: RawRecording | null): Uint8Array =>
  encoder.encode(`event: recording\nid: ${seq}\ndata: ${JSON.stringify(shown)}\n\n`);

/**
 * The SSE frame (`event`, `id`, `data`) of an event as a viewer with or without the download right sees it. The
 * same recording can stand at two seqs (a meeting's snapshot and its recording's own), so the seq is checked.
 */
export function eventFrame({ seq, recording }: HubEvent, download: boolean): Uint8Array {
  if (recording === null) return frameOf(seq, null);
  const frames = versionsOf(recording).frames;
  const i = download ? 1 : 0;
  const held = frames[i];
  if (held?.seq === seq) return held.bytes;
  const bytes = frameOf(seq, forViewer(recording, download));
  frames[i] = { seq, bytes };
  return bytes;
}

const bodyText = (shape: BodyShape, shown: RawRecording | null): string => {
  if (shape === 'one') return JSON.stringify({ success: true, data: shown });
  const data = shown === null ? [] : [shown];
  return JSON.stringify({
    success: true,
    data,
    paging: { total_count: data.length, start_offset: data.length ? 1 : 0, end_offset: data.length },
  });
};

async function encodeBody(text: string): Promise<EncodedBody> {
  const bytes = encoder.encode(text);
  return { bytes, etag: `"${await digest(bytes)}"` };
}

/** The empty list a meeting with no recording answers: the same for every viewer. */
let emptyList: EncodedBody | undefined;

/**
 * A read's JSON body (`one`: `{ success, data }`; `list`: with `paging`) and its ETag, for a viewer with or
 * without the download right. `remember: false` for a recording that is no snapshot (active-recording's answer,
 * new each time): encoded, not kept.
 */
export async function readBody(
  shape: BodyShape,
  recording: RawRecording | null,
  download: boolean,
  remember = true,
): Promise<EncodedBody> {
  if (recording === null) {
    if (shape === 'list') return (emptyList ??= await encodeBody(bodyText('list', null)));
    return encodeBody(bodyText('one', null));
  }
  if (!remember) return encodeBody(bodyText(shape, forViewer(recording, download)));
  const bodies = versionsOf(recording).bodies;
  const key = `${shape}:${download ? 1 : 0}`;
  const held = bodies.get(key);
  if (held !== undefined) return held;
  const encoded = await encodeBody(bodyText(shape, forViewer(recording, download)));
  bodies.set(key, encoded);
  return encoded;
}

/** Whether an `If-None-Match` header names this ETag (or `*`); weak tags compare by their opaque part. */
export function etagMatches(etag: string, ifNoneMatch: string | undefined): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.match(/"[^"]*"/g)?.some((tag) => tag === etag) ?? false;
}
