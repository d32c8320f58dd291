// @ts-check
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isPublicKeyPem, WebhookVerifier } from '../../../dist/server/webhook/signature.js';
import { WebhookSigner } from '../../../src/simulator/webhook-signer.js';
import { FakeClock, settle } from '../helpers.mjs';

const sample = readFileSync(new URL('../../fixtures/webhook-recording-status-update.json', import.meta.url), 'utf8');
const encode = (/** @type {string} */ text) => new TextEncoder().encode(text);
const PEM = /** @type {string} */ (
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' })
);
const forgery = (/** @type {number} */ i) => Buffer.from(`forged ${i}`.padEnd(256, '.')).toString('base64');

/**
 * A promise's value, or 'still waiting' if it has none after `patience` ms of real time: a bound on a broken
 * verifier, never a measure (a working one answers within a few event-loop turns).
 * @template T
 * @param {Promise<T>} promise
 */
const within = (promise, patience = 2000) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, patience, 'still waiting'))]);

/** A verdict's kind, whatever its shape. @param {any} verdict */
const kind = (verdict) => (typeof verdict === 'string' ? verdict : verdict?.kind);

/** The key host as the verifier sees it: up, down (refusing), or hung (never answering, even when aborted). */
async function world() {
  const clock = new FakeClock();
  let signer = await WebhookSigner.create();
  const state = { fetches: 0, /** @type {'up' | 'down' | 'hung'} */ host: 'up' };
  const verifier = new WebhookVerifier({
    keyUrl: 'https://rtk.example/key',
    clock,
    fetch: async () => {
      state.fetches++;
      if (state.host === 'down') throw new TypeError('unreachable');
      if (state.host === 'hung') return new Promise(() => undefined);
      return new Response(signer.keyDocument());
    },
  });
  return {
    clock,
    state,
    verifier,
    get signer() {
      return signer;
    },
    rotate: async () => {
      signer = await WebhookSigner.create();
    },
    /** The verdict on `body` signed now by the current key, or under `signature` when given. */
    verdict: async (/** @type {string} */ body, /** @type {string | null | undefined} */ signature = undefined) =>
      verifier.verify(encode(body), signature === undefined ? await signer.sign(body) : signature),
  };
}

describe('server/webhook/signature', () => {
  it('accepts the raw bytes it was signed over, and nothing else', async () => {
    const w = await world();
    const signature = await w.signer.sign(sample);
    assert.equal(kind(await w.verdict(sample, signature)), 'valid');
    // The same JSON re-serialised is other bytes: never verify a re-encoding.
    assert.notEqual(kind(await w.verdict(JSON.stringify(JSON.parse(sample)), signature)), 'valid');
  });

  it('a delivery with no signature, or one that is not base64, is invalid without asking for a key', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample, null)), 'invalid');
    assert.equal(kind(await w.verdict(sample, 'not base64!')), 'invalid');
    assert.equal(kind(await w.verdict(sample, '')), 'invalid');
    assert.equal(w.state.fetches, 0);
  });

  it('a flood of forgeries costs one key fetch a minute; within the minute they are unconfirmed (503), not refused', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample)), 'valid');
    assert.equal(w.state.fetches, 1);
    await w.clock.advance(20_000);
    for (let i = 0; i < 50; i++) {
      // A fresh key might verify it: it is not refused while none can be fetched, only put off until one can.
      assert.deepEqual(await w.verdict(sample, forgery(i)), { kind: 'unconfirmed', retryAfterSeconds: 40 });
    }
    assert.equal(w.state.fetches, 1);
    await w.clock.advance(40_000);
    // The first forgery after the minute refetches; the key fetched for it refuses it: invalid (401).
    assert.deepEqual(await w.verdict(sample, forgery(50)), { kind: 'invalid' });
    for (let i = 51; i < 100; i++) assert.equal(kind(await w.verdict(sample, forgery(i))), 'unconfirmed');
    assert.equal(w.state.fetches, 2);
  });

  it('hole 6: a delivery signed by a just-rotated key is unconfirmed until the key may be refetched, then valid', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample)), 'valid');
    await w.clock.advance(10_000);
    await w.rotate();
    const signature = await w.signer.sign(sample);
    assert.deepEqual(await w.verdict(sample, signature), { kind: 'unconfirmed', retryAfterSeconds: 50 });
    await w.clock.advance(50_000);
    assert.deepEqual(await w.verdict(sample, signature), { kind: 'valid' });
    assert.equal(w.state.fetches, 2);
    // The new key is the one held now.
    assert.equal(kind(await w.verdict('{"event":"x"}')), 'valid');
    assert.equal(w.state.fetches, 2);
  });

  it('hole 5: a refetch that fails keeps the key held: deliveries it verifies stay valid', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample)), 'valid');
    await w.clock.advance(60_000);
    w.state.host = 'down';
    const forged = await w.verdict(sample, forgery(1));
    assert.equal(w.state.fetches, 2);
    assert.equal(kind(await w.verdict(sample)), 'valid');
    assert.deepEqual(forged, { kind: 'unconfirmed', retryAfterSeconds: 60 });
    await w.clock.advance(5_000);
    assert.equal(kind(await w.verdict(sample)), 'valid');
    assert.equal(w.state.fetches, 2);
  });

  it('hole 4: a refetch is given up after 5 s, and while it hangs the key held verifies without waiting for it', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample)), 'valid');
    await w.clock.advance(60_000);
    w.state.host = 'hung';
    const forged = w.verdict(sample, forgery(1));
    for (let i = 0; i < 100 && w.state.fetches < 2; i++) await settle(1);
    assert.equal(w.state.fetches, 2, 'the forgery started a refetch');
    assert.equal(kind(await within(w.verdict(sample))), 'valid');
    await w.clock.advance(5_000);
    assert.deepEqual(await within(forged), { kind: 'unconfirmed', retryAfterSeconds: 55 });
    // The key held was never replaced by the hung one.
    assert.equal(kind(await within(w.verdict(sample))), 'valid');
    assert.equal(w.state.fetches, 2);
  });

  it('a forgery that comes while a refetch is under way waits for it (boundedly), and is refused by the new key', async () => {
    const w = await world();
    assert.equal(kind(await w.verdict(sample)), 'valid');
    await w.clock.advance(60_000);
    const [first, second] = await Promise.all([w.verdict(sample, forgery(1)), w.verdict(sample, forgery(2))]);
    assert.deepEqual([kind(first), kind(second)], ['invalid', 'invalid']);
    assert.equal(w.state.fetches, 2);
  });

  it('with no key to be had says no-key, and asks again at most every 10 s', async () => {
    const w = await world();
    w.state.host = 'down';
    const signature = await w.signer.sign(sample);
    assert.deepEqual(await w.verdict(sample, signature), { kind: 'no-key', retryAfterSeconds: 10 });
    await w.clock.advance(4_000);
    assert.deepEqual(await w.verdict(sample, signature), { kind: 'no-key', retryAfterSeconds: 6 });
    assert.equal(w.state.fetches, 1);
    await w.clock.advance(6_000);
    w.state.host = 'up';
    assert.equal(kind(await w.verdict(sample, signature)), 'valid');
    assert.equal(w.state.fetches, 2);
  });

  it('a first key fetch that hangs is given up after 5 s: no-key, not a request held open', async () => {
    const w = await world();
    w.state.host = 'hung';
    const pending = w.verdict(sample, await w.signer.sign(sample));
    await w.clock.advance(5_000);
    assert.equal(kind(await within(pending)), 'no-key');
  });

  it('a configured PEM key is used as is: nothing is fetched, and what it refuses is invalid', async () => {
    const signer = await WebhookSigner.create();
    let fetches = 0;
    const verifier = new WebhookVerifier({
      key: signer.publicKeyPem,
      keyUrl: 'https://rtk.example/key',
      clock: new FakeClock(),
      fetch: async () => {
        fetches++;
        return new Response('{}');
      },
    });
    assert.equal(kind(await verifier.verify(encode(sample), await signer.sign(sample))), 'valid');
    assert.equal(kind(await verifier.verify(encode(sample), forgery(1))), 'invalid');
    assert.equal(fetches, 0);
  });

  it('tells a PEM public key from what is not one', () => {
    assert.equal(isPublicKeyPem(PEM), true);
    assert.equal(isPublicKeyPem(PEM.replace(/[A-Za-z0-9+/]{10}\n/, '\n')), false);
    assert.equal(isPublicKeyPem('-----BEGIN PUBLIC KEY-----\nZ2FyYmFnZQ==\n-----END PUBLIC KEY-----'), false);
    assert.equal(isPublicKeyPem(PEM.replace('PUBLIC KEY', 'PRIVATE KEY')), false);
  });
});
