/**
 * RealtimeKit's `recording.statusUpdate` webhook: the signature checked over the raw bytes with WebCrypto
 * before anything is parsed, the public key cached and refetched sparingly, and the camelCase, sparse payload
 * mapped onto the REST shape the rest of the server (and the widget) speaks.
 */
import * as z from 'zod/mini';
import { isStatus, type RecordingStatus } from '../lifecycle.js';
import type { Clock, FetchLike } from '../platform.js';

export const DEFAULT_WEBHOOK_KEY_URL = 'https://api.realtime.cloudflare.com/.well-known/webhooks.json';
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/** A failed verification may refetch the key this often at most: a rotated key is picked up, a flood costs one fetch. */
const REFETCH_AFTER_FAILURE_MS = 60_000;
/** While the key cannot be had, ask again this often at most. */
const RETRY_UNREACHABLE_KEY_MS = 10_000;

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** Imports a PEM (SPKI) public key; null when it is not one. */
export async function importPublicKey(pem: string): Promise<CryptoKey | null> {
  const body = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  const der = body === undefined ? null : decodeBase64(body);
  if (der === null) return null;
  try {
    return await crypto.subtle.importKey('spki', der, ALGORITHM, false, ['verify']);
  } catch {
    return null;
  }
}

export type Verdict = 'valid' | 'invalid' | 'no-key';

export interface VerifierOptions {
  /** A PEM public key given by the host; when set, nothing is fetched. */
  readonly key?: string | undefined;
  readonly keyUrl: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
}

export class WebhookVerifier {
  readonly #options: VerifierOptions;
  #key: Promise<CryptoKey | null> | null = null;
  #lastFetchAt = -Infinity;
  #lastFetchFailed = false;
  keyFetches = 0;

  constructor(options: VerifierOptions) {
    this.#options = options;
  }

  /** Checks `rtk-signature` (base64 RSASSA-PKCS1-v1_5 SHA-256) over the exact bytes received. */
  async verify(body: Uint8Array<ArrayBuffer>, signature: string | null): Promise<Verdict> {
    const key = await this.#currentKey();
    if (key === null) return 'no-key';
    const bytes = signature === null ? null : decodeBase64(signature);
    if (bytes === null || bytes.byteLength === 0) return 'invalid';
    if (await crypto.subtle.verify(ALGORITHM, key, bytes, body)) return 'valid';
    // Perhaps the key was rotated: look again, but at most once a minute whatever the number of forgeries.
    if (this.#options.key !== undefined) return 'invalid';
    if (this.#options.clock.now() - this.#lastFetchAt < REFETCH_AFTER_FAILURE_MS) return 'invalid';
    const fresh = await this.#fetchKey();
    if (fresh === null || fresh === key) return 'invalid';
    return (await crypto.subtle.verify(ALGORITHM, fresh, bytes, body)) ? 'valid' : 'invalid';
  }

  #currentKey(): Promise<CryptoKey | null> {
    if (this.#options.key !== undefined) {
      this.#key ??= importPublicKey(this.#options.key);
      return this.#key;
    }
    if (this.#key !== null && !this.#lastFetchFailed) return this.#key;
    if (this.#lastFetchFailed && this.#options.clock.now() - this.#lastFetchAt < RETRY_UNREACHABLE_KEY_MS) {
      return Promise.resolve(null);
    }
    return this.#fetchKey();
  }

  #fetchKey(): Promise<CryptoKey | null> {
    this.#lastFetchAt = this.#options.clock.now();
    this.keyFetches++;
    const previous = this.#key;
    const fetched = (async () => {
      try {
        const response = await this.#options.fetch(this.#options.keyUrl, { headers: { Accept: 'application/json' } });
        if (!response.ok) return null;
        const document = (await response.json()) as { data?: { publicKey?: unknown } } | null;
        const pem = document?.data?.publicKey;
        return typeof pem === 'string' ? await importPublicKey(pem) : null;
      } catch {
        return null;
      }
    })();
    const settled = fetched.then(async (key) => {
      this.#lastFetchFailed = key === null;
      // A failed refetch keeps the key we had: a rotation we cannot see must not stop every delivery.
      return key ?? (previous ? await previous : null);
    });
    this.#key = settled;
    return settled;
  }
}

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
  | { readonly kind: 'ignored' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Parses a verified body. Other event types are `ignored`; a statusUpdate that makes no sense is `malformed`. */
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
