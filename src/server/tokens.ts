/**
 * Viewer tokens: short-lived HS256 JWTs (through `hono/jwt`) that name the one recording or meeting they
 * cover. The browser holds one in memory and sends it as a bearer token; nothing else is needed to read.
 */
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';
import { sign, verify } from 'hono/jwt';
import { ID_RULE, isValidId } from '../api/ids.js';
import type { Target } from '../api/rest.js';

export const AUDIENCE = 'recording-status';
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SECRET_BYTES = 32;
/**
 * How far ahead of ours the minting host's clock may be: a token whose `iat` or `nbf` is up to this many
 * seconds in the future is accepted, as JWT libraries allow. `exp` gets none: a token never outlives its ttl.
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * What a token covers, as a host names it to `createViewerToken` and `authorize` receives it: one recording, or
 * one meeting (and the recordings seen in it). The public spelling of a {@link Target}; inside, the server speaks
 * `Target` only, converted here, at the two edges.
 */
export type ViewerTarget = { readonly recordingId: string } | { readonly meetingId: string };

/** A host's `ViewerTarget` as the server's `Target`. */
export const targetOf = (target: ViewerTarget): Target =>
  'recordingId' in target ? { kind: 'recording', id: target.recordingId } : { kind: 'meeting', id: target.meetingId };

/** A `Target` as a host's `ViewerTarget` (what `authorize` is given). */
export const viewerTargetOf = (target: Target): ViewerTarget =>
  target.kind === 'recording' ? { recordingId: target.id } : { meetingId: target.id };

export interface ViewerTokenOptions {
  /**
   * Seconds until it expires, a positive number (its `exp` rounds up to a whole second). A stream ends when its
   * token does; the widget then asks its `token-endpoint` again.
   * @default 300
   */
  readonly ttl?: number;
  /**
   * Whether answers keep their download links (`download_url`, `audio_download_url`; otherwise `null`): a link is
   * itself a credential.
   * @default false
   */
  readonly download?: boolean;
  /**
   * Who the token is for (the signed-in user's id in your app), as its `sub` claim: every token of one subject
   * shares one bounded share of the upstream budget, however many targets it names, and counts against its stream
   * caps. 1 to 256 characters.
   * @default none: the token's share of the budget is its target's
   */
  readonly subject?: string;
}

/** The longest `sub` a token may carry. */
export const MAX_SUBJECT_LENGTH = 256;

/** A verified token. */
export interface ViewerGrant {
  readonly target: Target;
  readonly download: boolean;
  /** The token's `sub`, when it names one. */
  readonly subject: string | null;
  /**
   * Minted by `/token` for an `authorize` that named no subject (the `anon` claim): anyone may mint such tokens for
   * any target it allows, so they all pay from one share of the budget.
   */
  readonly anonymous: boolean;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** A random id for each token (`jti`): two tokens minted in the same second for the same target still differ. */
function tokenId(): string {
  // Twelve bytes: sixteen characters, no padding.
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(12)).buffer);
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
export function createViewerToken(
  secret: string,
  target: ViewerTarget,
  options: ViewerTokenOptions = {},
): Promise<string> {
  return mintViewerToken(secret, target, options, false);
}

/** A viewer token; `anonymous` for `/token`'s tokens whose `authorize` named no subject (see ViewerGrant). */
export async function mintViewerToken(
  secret: string,
  target: ViewerTarget,
  options: ViewerTokenOptions,
  anonymous: boolean,
): Promise<string> {
  checkSecret(secret);
  checkTarget(target);
  const ttl = options.ttl ?? 300;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error('ttl must be a positive number of seconds.');
  const subject = options.subject;
  if (subject !== undefined && (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_LENGTH)) {
    throw new Error(`A viewer token's subject must be a string of 1 to ${MAX_SUBJECT_LENGTH} characters.`);
  }
  const iat = Math.floor(Date.now() / 1000);
  return sign(
    {
      aud: AUDIENCE,
      iat,
      exp: iat + Math.ceil(ttl),
      jti: tokenId(),
      ...(subject === undefined ? {} : { sub: subject }),
      ...(anonymous && subject === undefined ? { anon: true } : {}),
      ...('recordingId' in target ? { rid: target.recordingId } : { mid: target.meetingId }),
      dl: options.download ?? false,
    },
    await stateFor(secret).key,
    'HS256',
  );
}

/** How many verified tokens are remembered per secret: enough for every viewer of a busy server. */
export const VERIFIED_TOKENS_KEPT = 10_000;
/** How many secrets keep a key and remembered tokens (a process normally has one; tests make many servers). */
const SECRETS_KEPT = 8;

/** A token that passed every check, with what its time checks need to be repeated on each use. */
interface Verified {
  readonly grant: ViewerGrant;
  readonly iat: number | undefined;
  readonly nbf: number | undefined;
}

/** One secret's HMAC key, imported once, and the tokens it verified, oldest use first. */
interface SecretState {
  readonly key: Promise<CryptoKey>;
  readonly verified: Map<string, Verified>;
}

/** By secret, so a token verified under one secret is never taken for one under another. Held in memory only. */
const states = new Map<string, SecretState>();

/** Drops the entry used least recently: a map iterates in insertion order, and a use re-inserts. */
function dropOldest(map: Map<string, unknown>): void {
  for (const key of map.keys()) {
    map.delete(key);
    return;
  }
}

function stateFor(secret: string): SecretState {
  let state = states.get(secret);
  if (state === undefined) {
    const key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    state = { key, verified: new Map() };
    const made = state;
    // A key that cannot be imported is not kept: the next token tries again (and fails as a token would).
    key.catch(() => {
      if (states.get(secret) === made) states.delete(secret);
    });
    if (states.size >= SECRETS_KEPT) dropOldest(states);
    states.set(secret, state);
  }
  return state;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The time checks, repeated for a remembered token on every use: `exp` not past (as hono/jwt has it: a token
 * whose `exp` is now is expired), `iat` and `nbf` not further ahead than CLOCK_SKEW_SECONDS.
 */
function inTime(exp: unknown, iat: unknown, nbf: unknown, now: number): boolean {
  const latest = now + CLOCK_SKEW_SECONDS;
  const tooEarly = (v: unknown) => v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v > latest);
  return typeof exp === 'number' && Number.isFinite(exp) && exp > now && !tooEarly(iat) && !tooEarly(nbf);
}

/**
 * Whether the token's signature is spelled the one way base64url spells its bytes. A decoder also takes `=` padding
 * and either value of the bits the last character leaves unused, so one signed token has eight spellings; every
 * other spelling is refused, so that a token string (what the verified cache and the per-token stream cap count)
 * stands for one token.
 */
function canonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(signature)) return false;
  try {
    return encodeBase64Url(decodeBase64Url(signature).buffer).replace(/=+$/, '') === signature;
  } catch {
    return false;
  }
}

/**
 * Verifies a token: HS256 only (a token that names another algorithm, `none` included, is refused), with an
 * `exp` not past, an `iat` and `nbf` (if any) not further ahead than CLOCK_SKEW_SECONDS, for this audience,
 * naming exactly one valid id, its signature in canonical base64url. Any failure is `null`: the caller answers 401
 * without saying which check failed; `onBadSignature` hears of a token that failed its signature only (the
 * likeliest sign of a secret that differs).
 *
 * A token that passes is remembered by its exact string (signature included) until it expires, so a viewer's
 * next request costs a map lookup and the time checks, not an HMAC; a token that fails is never remembered.
 */
export async function readViewerToken(
  secret: string,
  token: string,
  onBadSignature?: () => void,
): Promise<ViewerGrant | null> {
  const state = stateFor(secret);
  const remembered = state.verified.get(token);
  if (remembered !== undefined) {
    state.verified.delete(token);
    if (!inTime(remembered.grant.expiresAt, remembered.iat, remembered.nbf, nowSeconds())) return null;
    state.verified.set(token, remembered);
    return remembered.grant;
  }
  // After the lookup: only a canonical spelling is ever remembered, so a remembered string needs no second look.
  if (!canonicalSignature(token)) return null;
  let payload: Record<string, unknown>;
  try {
    // iat and nbf are checked below, with the skew hono/jwt does not allow.
    payload = await verify(token, await state.key, { alg: 'HS256', aud: AUDIENCE, iat: false, nbf: false });
  } catch (error) {
    // Well formed, ours (HS256, our audience, in time), and signed with another key: likely another secret.
    if (error instanceof Error && error.name === 'JwtTokenSignatureMismatched') onBadSignature?.();
    return null;
  }
  const { rid, mid, dl, exp, iat, nbf, sub, anon } = payload;
  if (typeof exp !== 'number' || !inTime(exp, iat, nbf, nowSeconds())) return null;
  if ((rid === undefined) === (mid === undefined)) return null;
  const id = rid ?? mid;
  if (!isValidId(id)) return null;
  const grant: ViewerGrant = Object.freeze({
    target: Object.freeze({ kind: rid === undefined ? 'meeting' : 'recording', id }),
    download: dl === true,
    subject: typeof sub === 'string' && sub !== '' && sub.length <= MAX_SUBJECT_LENGTH ? sub : null,
    anonymous: anon === true,
    expiresAt: exp,
  });
  const { verified } = state;
  if (verified.size >= VERIFIED_TOKENS_KEPT) dropOldest(verified);
  verified.set(token, { grant, iat: iat as number | undefined, nbf: nbf as number | undefined });
  return grant;
}
