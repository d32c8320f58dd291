/**
 * Viewer tokens: short-lived HS256 JWTs (through `hono/jwt`) that name the one recording or meeting they
 * cover. The browser holds one in memory and sends it as a bearer token; nothing else is needed to read.
 */
import { sign, verify } from 'hono/jwt';

export const AUDIENCE = 'recording-status';
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SECRET_BYTES = 32;

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

function checkTarget(target: ViewerTarget): void {
  const id = 'recordingId' in target ? target.recordingId : target.meetingId;
  if (typeof id !== 'string' || id === '') throw new Error('A viewer token needs a recordingId or a meetingId.');
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
 * Verifies a token: HS256 only (a token that names another algorithm, `none` included, is refused), not
 * expired, for this audience, naming exactly one target. Any failure is `null`: the caller answers 401
 * without saying which check failed.
 */
export async function readViewerToken(secret: string, token: string): Promise<ViewerGrant | null> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, { alg: 'HS256', aud: AUDIENCE });
  } catch {
    return null;
  }
  const { rid, mid, dl, exp } = payload;
  const named = (v: unknown): v is string => typeof v === 'string' && v !== '';
  if (named(rid) === named(mid) || typeof exp !== 'number') return null;
  return {
    target: named(rid) ? { recordingId: rid } : { meetingId: mid as string },
    download: dl === true,
    expiresAt: exp,
  };
}
