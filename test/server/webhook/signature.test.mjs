// @ts-check
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { WebhookVerifier } from '../../../dist/server/webhook/signature.js';
import { WebhookSigner } from '../../../demo/simulator/webhook-signer.js';
import { FakeClock } from '../helpers.mjs';

const sample = readFileSync(new URL('../../fixtures/webhook-recording-status-update.json', import.meta.url), 'utf8');
const encode = (/** @type {string} */ text) => new TextEncoder().encode(text);

describe('server/webhook/signature', () => {
  describe('WebhookVerifier', () => {
    async function world() {
      const clock = new FakeClock();
      let signer = await WebhookSigner.create();
      const state = { fetches: 0, available: true };
      const verifier = new WebhookVerifier({
        keyUrl: 'https://rtk.example/key',
        clock,
        fetch: async () => {
          state.fetches++;
          if (!state.available) throw new TypeError('unreachable');
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
        check: async (/** @type {string} */ body, /** @type {string | null} */ signature) =>
          verifier.verify(encode(body), signature),
      };
    }

    it('accepts the raw bytes it was signed over, and nothing else', async () => {
      const w = await world();
      const signature = await w.signer.sign(sample);
      assert.equal(await w.check(sample, signature), 'valid');
      // The same JSON re-serialised is other bytes: never verify a re-encoding.
      assert.equal(await w.check(JSON.stringify(JSON.parse(sample)), signature), 'invalid');
      assert.equal(await w.check(sample, null), 'invalid');
      assert.equal(await w.check(sample, 'not base64!'), 'invalid');
    });

    it('fetches the key once, and a flood of forgeries refetches it at most once a minute', async () => {
      const w = await world();
      assert.equal(await w.check(sample, await w.signer.sign(sample)), 'valid');
      assert.equal(w.state.fetches, 1);
      for (let i = 0; i < 100; i++)
        assert.equal(await w.check(sample, Buffer.from(`forged ${i}`).toString('base64')), 'invalid');
      // The first forgery came within a minute of the fetch: none refetched.
      assert.equal(w.state.fetches, 1);
      await w.clock.advance(60_000);
      for (let i = 0; i < 100; i++) await w.check(sample, Buffer.from(`forged ${i}`).toString('base64'));
      assert.equal(w.state.fetches, 2);
    });

    it('picks up a rotated key on the first failure after a minute', async () => {
      const w = await world();
      assert.equal(await w.check(sample, await w.signer.sign(sample)), 'valid');
      await w.rotate();
      await w.clock.advance(60_000);
      assert.equal(await w.check(sample, await w.signer.sign(sample)), 'valid');
      assert.equal(w.state.fetches, 2);
    });

    it('with no key to be had says no-key, and asks again at most every 10 s', async () => {
      const w = await world();
      w.state.available = false;
      const signature = await w.signer.sign(sample);
      assert.equal(await w.check(sample, signature), 'no-key');
      assert.equal(await w.check(sample, signature), 'no-key');
      assert.equal(w.state.fetches, 1);
      await w.clock.advance(10_000);
      w.state.available = true;
      assert.equal(await w.check(sample, signature), 'valid');
      assert.equal(w.state.fetches, 2);
    });

    it('a configured PEM key is used as is: nothing is fetched', async () => {
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
      assert.equal(await verifier.verify(encode(sample), await signer.sign(sample)), 'valid');
      assert.equal(await verifier.verify(encode(sample), Buffer.from('x').toString('base64')), 'invalid');
      assert.equal(fetches, 0);
    });
  });
});
