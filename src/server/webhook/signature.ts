/**
 * The signature of RealtimeKit's webhook: checked over the raw bytes with WebCrypto before anything is parsed,
 * with RealtimeKit's public key cached and refetched sparingly.
 */
import type { Clock, FetchLike } from '../../platform.js';

export const DEFAULT_WEBHOOK_KEY_URL = 'https://api.realtime.cloudflare.com/.well-known/webhooks.json';
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
