/**
 * The signature of RealtimeKit's webhook: checked over the raw bytes with WebCrypto before anything is parsed,
 * with RealtimeKit's public key cached and refetched sparingly.
 *
 * RealtimeKit retries a delivery answered 5xx and drops one answered 4xx, so a delivery is refused (`invalid`,
 * 401) only when no key could ever verify it: it carries no signature, or a key fetched after it arrived
 * refuses it. One that the key held refuses while no fresher key can be had is put off (`unconfirmed`, 503):
 * it may be signed by a key rotated since. Forgers gain nothing from a 503, and a flood of them still costs one
 * key fetch a minute.
 */
import type { Clock, FetchLike, TimerId } from '../../platform.js';
import { RSA_SHA256, verifies } from './digest.js';

export const DEFAULT_WEBHOOK_KEY_URL = 'https://api.realtime.cloudflare.com/.well-known/webhooks.json';
/** A failed verification may refetch the key this often at most: a rotated key is picked up, a flood costs one fetch. */
const REFETCH_AFTER_FAILURE_MS = 60_000;
/** While no key has been had at all, ask again this often at most. */
const RETRY_UNREACHABLE_KEY_MS = 10_000;
/** A key fetch that has not answered by then is given up: deliveries waiting on it are put off, not held. */
export const KEY_FETCH_MS = 5_000;

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
    return await crypto.subtle.importKey('spki', der, RSA_SHA256, false, ['verify']);
  } catch {
    return null;
  }
}

/**
 * Whether a PEM block holds something shaped like an SPKI public key: base64 that decodes to one DER SEQUENCE
 * spanning the whole block, which starts with another (the algorithm). WebCrypto imports it for real later;
 * this only catches at startup the key that could never import, synchronously.
 */
export function isPublicKeyPem(pem: string): boolean {
  const body = /^\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----\s*$/.exec(pem)?.[1];
  if (body === undefined) return false;
  let der: string;
  try {
    der = atob(body.replace(/\s+/g, ''));
  } catch {
    return false;
  }
  const byte = (i: number) => der.charCodeAt(i);
  if (der.length < 4 || byte(0) !== 0x30) return false;
  let length = byte(1);
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 3) return false;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byte(2 + i);
    header += count;
  }
  return header + length === der.length && byte(header) === 0x30;
}

export type Verdict =
  | { readonly kind: 'valid' }
  /** No key could verify it: it carries no signature, or a key fetched since it arrived refuses it. */
  | { readonly kind: 'invalid' }
  /** No key has been had yet to check it with. */
  | { readonly kind: 'no-key'; readonly retryAfterSeconds: number }
  /** The key held refuses it, but a newer key might not, and none can be fetched for `retryAfterSeconds`. */
  | { readonly kind: 'unconfirmed'; readonly retryAfterSeconds: number };

const VALID: Verdict = { kind: 'valid' };
const INVALID: Verdict = { kind: 'invalid' };

export interface VerifierOptions {
  /** A PEM public key given by the host; when set, nothing is fetched. */
  readonly key?: string | undefined;
  readonly keyUrl: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
}

/** A key as fetched: its PEM tells a new key from the one held. */
interface FetchedKey {
  readonly pem: string;
  readonly key: CryptoKey;
}

export class WebhookVerifier {
  readonly #options: VerifierOptions;
  /** The configured key, imported once. */
  #configured: Promise<CryptoKey | null> | null = null;
  /** The last key fetched: kept until another arrives, whatever happens to the fetches in between. */
  #held: FetchedKey | null = null;
  /** A fetch under way: deliveries the key held refuses wait for it; the others never do. */
  #pending: Promise<FetchedKey | null> | null = null;
  #lastFetchAt = -Infinity;
  keyFetches = 0;

  constructor(options: VerifierOptions) {
    this.#options = options;
  }

  /** Checks `rtk-signature` (base64 RSASSA-PKCS1-v1_5 SHA-256) over the exact bytes received. */
  async verify(body: Uint8Array<ArrayBuffer>, signature: string | null): Promise<Verdict> {
    const bytes = signature === null ? null : decodeBase64(signature);
    if (bytes === null || bytes.byteLength === 0) return INVALID;
    if (this.#options.key !== undefined) {
      this.#configured ??= importPublicKey(this.#options.key);
      const key = await this.#configured;
      if (key === null) return { kind: 'no-key', retryAfterSeconds: RETRY_UNREACHABLE_KEY_MS / 1000 };
      return (await verifies(key, bytes, body)) ? VALID : INVALID;
    }
    const held = this.#held;
    if (held !== null && (await verifies(held.key, bytes, body))) return VALID;
    // Refused by the key held, or none held: only a key fetched from now on may call it forged.
    const fresh = this.#held !== held ? this.#held : await this.#freshKey(held);
    if (fresh === null) {
      return held === null
        ? { kind: 'no-key', retryAfterSeconds: this.#secondsUntilFetch(RETRY_UNREACHABLE_KEY_MS) }
        : { kind: 'unconfirmed', retryAfterSeconds: this.#secondsUntilFetch(REFETCH_AFTER_FAILURE_MS) };
    }
    if (held !== null && fresh.pem === held.pem) return INVALID;
    return (await verifies(fresh.key, bytes, body)) ? VALID : INVALID;
  }

  /** The fetch under way, else a new one if one is due (every 10 s with no key, every minute with one), else null. */
  #freshKey(held: FetchedKey | null): Promise<FetchedKey | null> {
    if (this.#pending !== null) return this.#pending;
    const every = held === null ? RETRY_UNREACHABLE_KEY_MS : REFETCH_AFTER_FAILURE_MS;
    if (this.#options.clock.now() - this.#lastFetchAt < every) return Promise.resolve(null);
    return this.#fetch();
  }

  /** Whole seconds until the next fetch is due, at least 1: the Retry-After of a delivery put off. */
  #secondsUntilFetch(every: number): number {
    return Math.max(1, Math.ceil((this.#lastFetchAt + every - this.#options.clock.now()) / 1000));
  }

  /** Fetches the key, giving up after KEY_FETCH_MS; a key that arrives replaces the one held, a failure does not. */
  #fetch(): Promise<FetchedKey | null> {
    const { clock } = this.#options;
    this.#lastFetchAt = clock.now();
    this.keyFetches++;
    const abort = new AbortController();
    let timer: TimerId | undefined;
    const givenUp = new Promise<null>((resolve) => {
      timer = clock.setTimeout(() => {
        abort.abort();
        resolve(null);
      }, KEY_FETCH_MS);
    });
    const pending = Promise.race([this.#download(abort.signal), givenUp]).then((fetched) => {
      if (timer !== undefined) clock.clearTimeout(timer);
      this.#pending = null;
      if (fetched !== null) this.#held = fetched;
      return fetched;
    });
    this.#pending = pending;
    return pending;
  }

  async #download(signal: AbortSignal): Promise<FetchedKey | null> {
    try {
      const response = await this.#options.fetch(this.#options.keyUrl, {
        headers: { Accept: 'application/json' },
        signal,
      });
      if (!response.ok) return null;
      const document = (await response.json()) as { data?: { publicKey?: unknown } } | null;
      const pem = document?.data?.publicKey;
      if (typeof pem !== 'string') return null;
      const key = await importPublicKey(pem);
      return key === null ? null : { pem, key };
    } catch {
      return null;
    }
  }
}
