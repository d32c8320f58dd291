// @ts-check
/**
 * The webhook's hashes, which on Node run through node:crypto: they must answer exactly as WebCrypto does.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { digest, RSA_SHA256, verifies } from '../../../dist/server/webhook/digest.js';

const bytes = (/** @type {string} */ text) => new TextEncoder().encode(text);
const keyPair = () =>
  /** @type {Promise<CryptoKeyPair>} */ (
    crypto.subtle.generateKey(
      { ...RSA_SHA256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      false,
      ['sign', 'verify'],
    )
  );

describe('server/webhook/digest', () => {
  it('digests as WebCrypto does, base64url without padding', async () => {
    for (const text of ['', 'a', '{"event":"recording.statusUpdate"}', 'é'.repeat(5000)]) {
      const web = Buffer.from(await crypto.subtle.digest('SHA-256', bytes(text))).toString('base64url');
      assert.equal(await digest(bytes(text)), web);
    }
  });

  it('verifies the signature over the exact bytes; refuses another body, another key, a cut or empty signature', async () => {
    const { privateKey, publicKey } = await keyPair();
    const other = await keyPair();
    const body = bytes('{"event":"recording.statusUpdate","recording":{"id":"r1","status":"RECORDING"}}');
    const signature = new Uint8Array(await crypto.subtle.sign(RSA_SHA256, privateKey, body));
    assert.equal(await verifies(publicKey, signature, body), true);
    assert.equal(await verifies(publicKey, signature, bytes(`${new TextDecoder().decode(body)} `)), false);
    assert.equal(await verifies(other.publicKey, signature, body), false);
    assert.equal(await verifies(publicKey, signature.slice(0, 128), body), false);
    assert.equal(await verifies(publicKey, new Uint8Array(0), body), false);
    const flipped = signature.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    assert.equal(await verifies(publicKey, flipped, body), false);
  });
});
