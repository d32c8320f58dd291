// @ts-check
import { strict as assert } from 'node:assert';
import { afterEach, describe, it, mock } from 'node:test';
import { sign } from 'hono/jwt';
import { createViewerToken } from '../../dist/server/index.js';
import { readViewerToken, VERIFIED_TOKENS_KEPT } from '../../dist/server/tokens.js';
import { SECRET } from './helpers.mjs';

const now = () => Math.floor(Date.now() / 1000);
/** A token signed by hand, for the cases createViewerToken refuses to make. */
const forge = (/** @type {Record<string, unknown>} */ payload, secret = SECRET) =>
  sign(/** @type {any} */ ({ aud: 'recording-status', iat: now(), exp: now() + 60, ...payload }), secret, 'HS256');
const b64url = (/** @type {unknown} */ v) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('server/tokens', () => {
  it('round-trips a recording token and a meeting token, with the download right as asked', async () => {
    const r = await readViewerToken(SECRET, await createViewerToken(SECRET, { recordingId: 'r1' }, { download: true }));
    assert.deepEqual(r && { target: r.target, download: r.download }, {
      target: { kind: 'recording', id: 'r1' },
      download: true,
    });
    const m = await readViewerToken(SECRET, await createViewerToken(SECRET, { meetingId: 'm1' }));
    assert.deepEqual(m && { target: m.target, download: m.download }, {
      target: { kind: 'meeting', id: 'm1' },
      download: false,
    });
  });

  it('carries a subject when asked, and every token is its own string, even minted in the same second', async () => {
    const named = await readViewerToken(
      SECRET,
      await createViewerToken(SECRET, { recordingId: 'r1' }, { subject: 'user-7' }),
    );
    assert.equal(named?.subject, 'user-7');
    const plain = await readViewerToken(SECRET, await createViewerToken(SECRET, { recordingId: 'r1' }));
    assert.equal(plain?.subject, null);
    const a = await createViewerToken(SECRET, { recordingId: 'r1' });
    const b = await createViewerToken(SECRET, { recordingId: 'r1' });
    assert.notEqual(a, b, 'a per-token stream cap counts tokens, not what they name');
    for (const subject of ['', 'x'.repeat(257)]) {
      await assert.rejects(() => createViewerToken(SECRET, { recordingId: 'r1' }, { subject }), /subject must be/);
    }
  });

  it('expires after ttl seconds', async () => {
    const grant = await readViewerToken(SECRET, await createViewerToken(SECRET, { recordingId: 'r1' }, { ttl: 90 }));
    assert.ok(grant && Math.abs(grant.expiresAt - (now() + 90)) <= 1);
  });

  const refused = [
    ['expired', () => forge({ rid: 'r1', iat: now() - 120, exp: now() - 60 })],
    ['signed with another secret', () => forge({ rid: 'r1' }, 'another-secret-that-is-long-enough-012345678')],
    ['for another audience', () => forge({ rid: 'r1', aud: 'someone-else' })],
    ['naming no target', () => forge({})],
    ['naming two targets', () => forge({ rid: 'r1', mid: 'm1' })],
    ['with no exp', () => forge({ rid: 'r1', exp: undefined })],
    ['with an exp that is no number', () => forge({ rid: 'r1', exp: String(now() + 60) })],
    ['issued more than a minute in the future', () => forge({ rid: 'r1', iat: now() + 90, exp: now() + 300 })],
    ['not valid for another two minutes', () => forge({ rid: 'r1', nbf: now() + 120, exp: now() + 300 })],
    ['naming an id that walks up a path', () => forge({ rid: '..' })],
    [
      'with alg none',
      async () =>
        `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud: 'recording-status', exp: now() + 60, rid: 'r1' })}.`,
    ],
    [
      'with alg HS512',
      () => sign(/** @type {any} */ ({ aud: 'recording-status', exp: now() + 60, rid: 'r1' }), SECRET, 'HS512'),
    ],
    ['that is not a JWT', async () => 'not-a-token'],
    [
      'with a tampered payload',
      async () => {
        const [h, , s] = (await forge({ rid: 'r1' })).split('.');
        return `${h}.${b64url({ aud: 'recording-status', exp: now() + 60, rid: 'r2' })}.${s}`;
      },
    ],
  ];
  it('refuses a token whose signature is not in canonical base64url: padded, or with its unused bits set', async () => {
    const token = await forge({ rid: 'r1' });
    assert.notEqual(await readViewerToken(SECRET, token), null);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    assert.equal(last & 3, 0);
    assert.equal(await readViewerToken(SECRET, `${token}=`), null);
    for (const bits of [1, 2, 3]) {
      assert.equal(await readViewerToken(SECRET, token.slice(0, -1) + alphabet[last | bits]), null);
    }
  });

  for (const [name, make] of /** @type {[string, () => Promise<string>][]} */ (refused)) {
    it(`refuses a token ${name}`, async () => {
      assert.equal(await readViewerToken(SECRET, await make()), null);
    });
  }

  it('allows a minute of clock skew: a token from a host whose clock is ahead is accepted', async () => {
    for (const ahead of [5, 30, 60]) {
      const grant = await readViewerToken(SECRET, await forge({ rid: 'r1', iat: now() + ahead, exp: now() + 300 }));
      assert.deepEqual(grant?.target, { kind: 'recording', id: 'r1' }, `iat ${ahead} s ahead`);
      const later = await readViewerToken(SECRET, await forge({ rid: 'r1', nbf: now() + ahead, exp: now() + 300 }));
      assert.deepEqual(later?.target, { kind: 'recording', id: 'r1' }, `nbf ${ahead} s ahead`);
    }
  });

  it('refuses to mint a token for an id that is not one, saying what an id may be', async () => {
    for (const id of ['.', '..', 'a/b', 'a%2e', 'x'.repeat(129), ' r1', '-r1']) {
      await assert.rejects(createViewerToken(SECRET, { recordingId: id }), /recordingId .*letters, digits/);
      await assert.rejects(createViewerToken(SECRET, { meetingId: id }), /meetingId .*letters, digits/);
    }
    await assert.rejects(
      createViewerToken(SECRET, /** @type {any} */ ({ recordingId: 42 })),
      /recordingId .*letters, digits/,
    );
    assert.ok(await createViewerToken(SECRET, { meetingId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d' }));
  });

  it('refuses a secret shorter than 32 bytes, a bad ttl and an empty target', async () => {
    await assert.rejects(createViewerToken('short', { recordingId: 'r1' }), /at least 32 bytes/);
    await assert.rejects(createViewerToken(SECRET, { recordingId: 'r1' }, { ttl: 0 }), /ttl/);
    await assert.rejects(createViewerToken(SECRET, { recordingId: '' }), /recordingId/);
    await assert.rejects(createViewerToken(SECRET, /** @type {any} */ ({})), /recordingId or a meetingId/);
  });

  describe('verified tokens, remembered until they expire', () => {
    afterEach(() => {
      mock.timers.reset();
      mock.restoreAll();
    });
    /** Counts the HMAC verifications and key imports WebCrypto is asked for from now on. */
    const countCrypto = () => ({
      verify: mock.method(crypto.subtle, 'verify'),
      importKey: mock.method(crypto.subtle, 'importKey'),
    });

    it('a token read again costs no HMAC and no key import, and gives the same grant', async () => {
      const token = await createViewerToken(SECRET, { recordingId: 'r-again' }, { download: true });
      const first = await readViewerToken(SECRET, token);
      const calls = countCrypto();
      const other = await readViewerToken(SECRET, await createViewerToken(SECRET, { meetingId: 'm-again' }));
      assert.deepEqual(other?.target, { kind: 'meeting', id: 'm-again' });
      assert.equal(calls.importKey.mock.callCount(), 0, 'the secret is imported once');
      assert.equal(calls.verify.mock.callCount(), 1);
      const again = await readViewerToken(SECRET, token);
      assert.deepEqual(again, first);
      assert.equal(calls.verify.mock.callCount(), 1, 'the second read is not verified again');
    });

    it('a remembered token is refused once it expires, and stays refused', async () => {
      mock.timers.enable({ apis: ['Date'], now: Date.now() });
      const token = await createViewerToken(SECRET, { recordingId: 'r-expiring' }, { ttl: 60 });
      assert.ok(await readViewerToken(SECRET, token));
      mock.timers.tick(59_000);
      assert.ok(await readViewerToken(SECRET, token), 'still within its ttl');
      mock.timers.tick(1_000);
      assert.equal(await readViewerToken(SECRET, token), null);
      assert.equal(await readViewerToken(SECRET, token), null);
    });

    it('a forged signature on a remembered payload is refused, the genuine token still accepted', async () => {
      const genuine = await createViewerToken(SECRET, { recordingId: 'r-forged' });
      assert.ok(await readViewerToken(SECRET, genuine));
      const [h, p, s = ''] = genuine.split('.');
      const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
      for (const forged of [`${h}.${p}.${flipped}`, `${h}.${p}.`, `${h}.${p}`, `${h}.${p}.${s}.`]) {
        assert.equal(await readViewerToken(SECRET, forged), null, forged);
      }
      const another = await createViewerToken('another-secret-that-is-long-enough-012345678', {
        recordingId: 'r-forged',
      });
      assert.equal(await readViewerToken(SECRET, another), null);
      assert.ok(await readViewerToken(SECRET, genuine));
    });

    it('a token remembered under one secret is refused under another', async () => {
      const token = await createViewerToken(SECRET, { recordingId: 'r-secret' });
      assert.ok(await readViewerToken(SECRET, token));
      assert.equal(await readViewerToken('another-secret-that-is-long-enough-012345678', token), null);
    });

    it('a refused token is not remembered: it is checked again each time', async () => {
      const expired = await forge({ rid: 'r1', iat: now() - 120, exp: now() - 60 });
      const calls = countCrypto();
      assert.equal(await readViewerToken(SECRET, expired), null);
      const wrongSecret = await forge({ rid: 'r1' }, 'another-secret-that-is-long-enough-012345678');
      for (let i = 0; i < 2; i++) assert.equal(await readViewerToken(SECRET, wrongSecret), null);
      assert.equal(calls.verify.mock.callCount(), 2, 'each read of the badly signed token is verified');
    });

    /** A secret of its own, so no other test's tokens share its memory. */
    const BOUNDED_SECRET = 'a-secret-for-the-bound-alone-0123456789abcdef';
    it(`remembers at most ${VERIFIED_TOKENS_KEPT} tokens: the least recently used is verified again`, async () => {
      const tokens = await Promise.all(
        Array.from({ length: VERIFIED_TOKENS_KEPT + 1 }, (_, i) =>
          forge({ rid: `bounded-${i}`, exp: now() + 600 }, BOUNDED_SECRET),
        ),
      );
      const [oldest = '', ...rest] = tokens;
      assert.ok(await readViewerToken(BOUNDED_SECRET, oldest));
      const last = rest.pop() ?? '';
      for (const token of rest) assert.ok(await readViewerToken(BOUNDED_SECRET, token));
      const calls = countCrypto();
      assert.ok(
        await readViewerToken(BOUNDED_SECRET, oldest),
        'the oldest is still remembered: the map is full, not over',
      );
      assert.equal(calls.verify.mock.callCount(), 0);
      assert.ok(await readViewerToken(BOUNDED_SECRET, last));
      assert.ok(await readViewerToken(BOUNDED_SECRET, rest[0] ?? ''), 'pushed out by the last one');
      assert.equal(calls.verify.mock.callCount(), 2);
      assert.ok(await readViewerToken(BOUNDED_SECRET, oldest), 'used recently, so kept');
      assert.equal(calls.verify.mock.callCount(), 2);
    });
  });
});
