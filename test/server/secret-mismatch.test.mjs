// @ts-check
/**
 * The secret-mismatch hint: viewer tokens that fail their signature are refused as any bad token is, and the host
 * is told, at most once a minute, that the minting app's secret may differ (never a token or a secret).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sign } from 'hono/jwt';
import { createViewerToken } from '../../dist/server/index.js';
import { SECRET_MISMATCH_EVERY_MS, secretMismatchHint } from '../../dist/server/secret-mismatch.js';
import { FakeClock, setup } from './helpers.mjs';

const OTHER_SECRET = 'another-apps-secret-that-is-also-long-enough-987';

describe('server/secret-mismatch', () => {
  it('says the first failure at once, then at most once a minute, with how many failed since', () => {
    const clock = new FakeClock();
    /** @type {string[]} */
    const logs = [];
    const failed = secretMismatchHint(clock, (line) => logs.push(line));
    failed();
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', /^recording-status server: 1 viewer token failed the signature check\. /);
    assert.match(logs[0] ?? '', /RECORDING_STATUS_TOKEN_SECRET \(tokenSecret\)/);
    failed();
    failed();
    clock.now_ += SECRET_MISMATCH_EVERY_MS - 1;
    failed();
    assert.equal(logs.length, 1, 'quiet for a minute');
    clock.now_ += 1;
    failed();
    assert.equal(logs.length, 2);
    assert.match(logs[1] ?? '', /: 4 viewer tokens failed the signature check since the last such line\./);
  });

  it("a token minted with another secret is a 401, and the server's log says where to look, never the token", async () => {
    const t = await setup();
    const r = t.start();
    const foreign = await createViewerToken(OTHER_SECRET, { recordingId: r.id });
    for (let i = 0; i < 3; i++) assert.equal((await t.get(`/recordings/${r.id}`, foreign)).status, 401);
    assert.equal((await t.get(`/events?recording_id=${r.id}`, foreign)).status, 401);
    const hints = t.logs.filter((line) => line.includes('signature check'));
    assert.equal(hints.length, 1);
    assert.match(hints[0] ?? '', /its secret may differ from this server's RECORDING_STATUS_TOKEN_SECRET/);
    const all = t.logs.join('\n');
    for (const secret of [foreign, OTHER_SECRET, t.world.simulator.apiToken]) assert.equal(all.includes(secret), false);
    await t.clock.advance(SECRET_MISMATCH_EVERY_MS);
    assert.equal((await t.get(`/recordings/${r.id}`, foreign)).status, 401);
    assert.equal(t.logs.filter((line) => line.includes('signature check')).length, 2);
    assert.match(t.logs.at(-1) ?? '', /: 4 viewer tokens failed/);
  });

  it('says nothing of tokens that fail for other reasons: garbage, expired, another audience', async () => {
    const t = await setup();
    const r = t.start();
    const now = Math.floor(Date.now() / 1000);
    for (const token of [
      'garbage',
      await sign({ aud: 'recording-status', exp: now - 10, rid: r.id }, OTHER_SECRET, 'HS256'),
      await sign({ aud: 'someone-else', exp: now + 60, rid: r.id }, OTHER_SECRET, 'HS256'),
    ])
      assert.equal((await t.get(`/recordings/${r.id}`, token)).status, 401);
    assert.deepEqual(
      t.logs.filter((line) => line.includes('signature')),
      [],
    );
  });
});
