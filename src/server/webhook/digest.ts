/**
 * The webhook's two hashes of its exact bytes: the RSA signature check and the digest replays are known by.
 * On Node these run through `node:crypto` at once: WebCrypto there queues each call as a job on the thread
 * pool, which for a few kilobytes costs more than the hashing (a third of a webhook's CPU). Everywhere else
 * (workerd) WebCrypto is the API. Both compute the same thing: RSASSA-PKCS1-v1_5 with SHA-256, and SHA-256.
 */
import { encodeBase64Url } from 'hono/utils/encode';
import { getRuntimeKey } from 'hono/adapter';

/** The part of `node:crypto` used here, so this module needs no Node types and loads in workerd. */
interface NodeCrypto {
  createHash(algorithm: 'sha256'): { update(data: Uint8Array): { digest(encoding: 'base64url'): string } };
  verify(algorithm: 'sha256', data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
  readonly KeyObject: { from(key: CryptoKey): unknown };
}

/** Node's crypto module when running on Node (20.16 and later have `process.getBuiltinModule`), else null. */
const nodeCrypto: NodeCrypto | null = (() => {
  if (getRuntimeKey() !== 'node') return null;
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = process?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
  return typeof module?.createHash === 'function' &&
    typeof module.verify === 'function' &&
    typeof module.KeyObject?.from === 'function'
    ? (module as NodeCrypto)
    : null;
})();

export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Node's KeyObject of each CryptoKey, made once per key. */
const keyObjects = new WeakMap<CryptoKey, unknown>();

/** Whether `signature` is `key`'s RSASSA-PKCS1-v1_5 SHA-256 signature of `body`. */
export async function verifies(
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  body: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (nodeCrypto !== null) {
    let keyObject = keyObjects.get(key);
    if (keyObject === undefined) {
      keyObject = nodeCrypto.KeyObject.from(key);
      keyObjects.set(key, keyObject);
    }
    try {
      return nodeCrypto.verify('sha256', body, keyObject, signature);
    } catch {
      // A signature of the wrong length, say: as WebCrypto answers it, not verified.
      return false;
    }
  }
  return crypto.subtle.verify(RSA_SHA256, key, signature, body);
}

/** SHA-256 of the exact bytes, base64url: what a replay cannot change without losing its signature. */
export async function digest(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  if (nodeCrypto !== null) return nodeCrypto.createHash('sha256').update(bytes).digest('base64url');
  // Unpadded, as Node's base64url is: both runtimes name one body alike.
  return encodeBase64Url(await crypto.subtle.digest('SHA-256', bytes)).replace(/=+$/, '');
}
