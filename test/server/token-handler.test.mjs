// @ts-check
/**
 * createTokenHandler: the widget's token endpoint as a web-standard handler, alone (as a Next.js route, a Worker
 * or Express would call it) and beside the full server, whose /token it is.
 */
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { ConfigurationError, createTokenHandler } from '../../dist/server/index.js';
import { toNodeHandler } from '../../dist/server/node.js';
import { readViewerToken } from '../../dist/server/tokens.js';
import { SECRET, setup } from './helpers.mjs';

/** @type {(() => unknown)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ask = (/** @type {(request: Request) => Promise<Response>} */ handler, query = 'recording_id=r1', init = {}) =>
  handler(new Request(`http://app.test/api/token?${query}`, init));
const claims = (/** @type {string} */ token) =>
  JSON.parse(Buffer.from(/** @type {string} */ (token.split('.')[1]), 'base64url').toString());

describe('server/token-handler', () => {
  it("answers the widget's { token, expires_in } for an allowed target, a token the server accepts for it", async () => {
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => ({ subject: 'user-1' }) });
    const res = await ask(tokens, 'meeting_id=m1');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['expires_in', 'token']);
    assert.equal(body.expires_in, 300, 'the default ttl is said in the answer, so the host need not restate it');
    const grant = await readViewerToken(SECRET, body.token);
    assert.deepEqual(grant?.target, { kind: 'meeting', id: 'm1' });
    assert.equal(grant?.subject, 'user-1');
    assert.equal(grant?.download, false, 'a grant object keeps links only when it says download: true');
  });

  it('gives authorize the request and the target, and mints for the ttl it was given', async () => {
    /** @type {unknown[]} */
    const asked = [];
    const tokens = createTokenHandler({
      secret: SECRET,
      ttl: 90,
      authorize: (request, target) => {
        asked.push([request.headers.get('Cookie'), target]);
        return true;
      },
    });
    const body = await (await ask(tokens, 'recording_id=r9', { headers: { Cookie: 'session=abc' } })).json();
    assert.deepEqual(asked, [['session=abc', { recordingId: 'r9' }]]);
    assert.equal(body.expires_in, 90);
    const { exp, iat, dl } = claims(body.token);
    assert.equal(exp - iat, 90);
    assert.equal(dl, true, '`true` allows with download links');
  });

  for (const [name, verdict] of /** @type {[string, unknown][]} */ ([
    ['false', false],
    ['undefined (a forgotten return)', undefined],
    ['null', null],
    ['0', 0],
    ["''", ''],
    ["'yes'", 'yes'],
    ['an array', []],
  ])) {
    it(`refuses with 403 when authorize answers ${name}`, async () => {
      const tokens = createTokenHandler({ secret: SECRET, authorize: () => /** @type {any} */ (verdict) });
      const res = await ask(tokens);
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), {
        success: false,
        error: { code: 403, message: 'Not allowed to follow this recording.' },
      });
    });
  }

  it('answers 500 and mints nothing when authorize throws or rejects, logging only the error name', async () => {
    /** @type {string[]} */
    const logs = [];
    for (const authorize of [
      () => {
        throw new TypeError('session store down for alice@example.com');
      },
      () => Promise.reject(new RangeError('no')),
    ]) {
      const tokens = createTokenHandler({ secret: SECRET, authorize, log: (line) => logs.push(line) });
      const res = await ask(tokens);
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.equal(text.includes('eyJ'), false, 'no token in the answer');
      assert.equal(JSON.parse(text).error.message, 'The token endpoint failed to answer.');
    }
    assert.deepEqual(logs, [
      'recording-status token handler: authorize failed (TypeError).',
      'recording-status token handler: authorize failed (RangeError).',
    ]);
  });

  it('marks tokens without a subject anonymous (one shared budget share), and says so once in the log', async () => {
    /** @type {string[]} */
    const logs = [];
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => true, log: (line) => logs.push(line) });
    const first = await (await ask(tokens)).json();
    await ask(tokens, 'recording_id=r2');
    assert.equal(claims(first.token).anon, true);
    assert.equal((await readViewerToken(SECRET, first.token))?.anonymous, true);
    assert.equal(logs.filter((line) => /without a subject/.test(line)).length, 1);
    const named = createTokenHandler({ secret: SECRET, authorize: () => ({ subject: 'u' }) });
    assert.equal(claims((await (await ask(named)).json()).token).anon, undefined);
  });

  it('answers 500 when authorize names a subject no token may carry', async () => {
    /** @type {string[]} */
    const logs = [];
    const tokens = createTokenHandler({
      secret: SECRET,
      authorize: () => ({ subject: 'x'.repeat(257) }),
      log: (line) => logs.push(line),
    });
    assert.equal((await ask(tokens)).status, 500);
    assert.match(logs.join(), /subject must be a string of 1 to 256 characters/);
  });

  it('refuses a missing, doubled or malformed target with 400 before asking authorize', async () => {
    let asked = 0;
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => (asked++, true) });
    for (const [query, message] of [
      ['', /exactly one of recording_id and meeting_id/],
      ['recording_id=a&meeting_id=b', /exactly one of/],
      ['recording_id=..', /recording id is malformed: an id is 1 to 128 letters/],
      ['meeting_id=a%2Fb', /meeting id is malformed/],
    ]) {
      const res = await ask(tokens, /** @type {string} */ (query));
      assert.equal(res.status, 400, String(query));
      assert.match((await res.json()).error.message, /** @type {RegExp} */ (message));
    }
    assert.equal(asked, 0);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => true });
    const res = await ask(tokens, 'recording_id=r1', { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('Allow'), 'GET, HEAD');
  });

  it('refuses to be made with a short secret, no authorize or a bad ttl, naming each and never the value', () => {
    assert.throws(
      () => createTokenHandler(/** @type {any} */ ({ secret: 'short-secret-value', ttl: -1 })),
      (/** @type {unknown} */ error) => {
        assert.ok(error instanceof ConfigurationError);
        assert.deepEqual(error.problems, [
          'secret must be a string of at least 32 bytes (openssl rand -hex 32).',
          'authorize must be a function.',
          'ttl must be a positive number.',
        ]);
        assert.equal(error.message.includes('short-secret-value'), false);
        return true;
      },
    );
  });

  it("is the full server's /token: the same answers, the same fail-closed rule", async () => {
    const verdicts = [undefined, { download: true, subject: 'u' }];
    const t = await setup({ authorize: () => /** @type {any} */ (verdicts.shift()), tokenTtl: 120 });
    assert.equal((await t.get('/token?recording_id=r1')).status, 403);
    const res = await t.get('/token?recording_id=r1');
    const body = await res.json();
    assert.equal(body.expires_in, 120);
    assert.deepEqual(claims(body.token).sub, 'u');
    assert.equal((await t.get('/token?recording_id=..')).status, 400);
  });

  it('mints tokens a server elsewhere (another process, same secret) accepts for reads', async () => {
    const t = await setup();
    const r = t.start();
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => ({ subject: 'viewer' }) });
    const { token } = await (await ask(tokens, `recording_id=${r.id}`)).json();
    assert.equal((await t.get(`/recordings/${r.id}`, token)).status, 200);
  });

  it('serves Node apps through toNodeHandler, as Express mounts it', async () => {
    const tokens = createTokenHandler({ secret: SECRET, authorize: () => ({ subject: 'viewer' }) });
    const node = toNodeHandler(tokens);
    const http = createServer((req, res) => void node(req, res));
    await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
    cleanups.push(() => new Promise((resolve) => http.close(() => resolve(undefined))));
    const address = /** @type {import('node:net').AddressInfo} */ (http.address());
    const res = await fetch(`http://127.0.0.1:${address.port}/api/token?meeting_id=m2`);
    assert.equal(res.status, 200);
    const grant = await readViewerToken(SECRET, (await res.json()).token);
    assert.deepEqual(grant?.target, { kind: 'meeting', id: 'm2' });
  });
});
