/**
 * Viewer tokens: short-lived HS256 JWTs (through `hono/jwt`) that name the one recording or meeting they
 * cover. The browser holds one in memory and sends it as a bearer token; nothing else is needed to read.
 */
import { sign, verify } from 'hono/jwt';
import { ID_RULE, isValidId } from '../api/ids.js';

export const AUDIENCE = 'recording-status';
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SECRET_BYTES = 32;
/**
 * How far ahead of ours the minting host's clock may be: a token whose `iat` or `nbf` is up to this many
 * seconds in the future is accepted, as JWT libraries allow. `exp` gets none: a token never outlives its ttl.
 */
export const CLOCK_SKEW_SECONDS = 60;

/** What a token covers: one recording, or one meeting (and the recordings seen in it). */
export type ViewerTarget = { readonly recordingId: string } | { readonly meetingId: string };

export interface ViewerTokenOptions {
  /** Seconds until it expires; default 300. */
  readonly ttl?: number;
  /** Whether answers keep their download links; default false, as a link is itself a credential. */
  readonly download?: boolean;
}

/** A verified token. */
export interface ViewerGrant {
  readonly target: ViewerTarget;
  readonly download: boolean;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) {
    throw new Error(`tokenSecret must be a string of at least ${MIN_SECRET_BYTES} bytes.`);
  }
}

/** A target names one RealtimeKit id, which the server will put in an upstream path: it must be an id. */
function checkTarget(target: ViewerTarget): void {
  const name = 'recordingId' in target ? 'recordingId' : 'meetingId' in target ? 'meetingId' : null;
  if (name === null) throw new Error('A viewer token needs a recordingId or a meetingId.');
  const id: unknown = (target as Record<typeof name, unknown>)[name];
  if (!isValidId(id)) throw new Error(`A viewer token's ${name} must be a RealtimeKit id: ${ID_RULE}.`);
}

/** Mints a viewer token for `target`, for hosts whose own app hands tokens to the browser. */
export async function createViewerToken(
  secret: string,
  target: ViewerTarget,
  options: ViewerTokenOptions = {},
): Promise<string> {
  checkSecret(secret);
  checkTarget(target);
  const ttl = options.ttl ?? 300;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error('ttl must be a positive number of seconds.');
  const iat = Math.floor(Date.now() / 1000);
  return sign(
    {
      aud: AUDIENCE,
      iat,
      exp: iat + Math.ceil(ttl),
      ...('recordingId' in target ? { rid: target.recordingId } : { mid: target.meetingId }),
      dl: options.download ?? false,
    },
    secret,
    'HS256',
  );
}

/**
 * Verifies a token: HS256 only (a token that names another algorithm, `none` included, is refused), with an
 * `exp` not past, an `iat` and `nbf` (if any) not further ahead than CLOCK_SKEW_SECONDS, for this audience,
 * naming exactly one valid id. Any failure is `null`: the caller answers 401 without saying which check failed.
 */
export async function readViewerToken(secret: string, token: string): Promise<ViewerGrant | null> {
  let payload: Record<string, unknown>;
  try {
    // iat and nbf are checked below, with the skew hono/jwt does not allow.
    payload = await verify(token, secret, { alg: 'HS256', aud: AUDIENCE, iat: false, nbf: false });
  } catch {
    return null;
  }
  const { rid, mid, dl, exp, iat, nbf } = payload;
  const latest = Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS;
  const tooEarly = (v: unknown) => v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v > latest);
  if (tooEarly(iat) || tooEarly(nbf)) return null;
  if ((rid === undefined) === (mid === undefined) || typeof exp !== 'number') return null;
  const id = rid ?? mid;
  if (!isValidId(id)) return null;
  return {
    target: rid === undefined ? { meetingId: id } : { recordingId: id },
    download: dl === true,
    expiresAt: exp,
  };
}
