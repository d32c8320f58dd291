// @ts-check
/**
 * `POST /webhook` as RealtimeKit (and anyone else) can send it, through `createRecordingServer` and, where the
 * bytes on the wire matter, over real HTTP on 127.0.0.1 through the Node adapter.
 */
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { listen } from '../../../dist/server/node.js';
import { WebhookSigner } from '../../../src/simulator/webhook-signer.js';
import { setup } from '../helpers.mjs';

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function serve() {
  const t = await setup();
  const listening = await listen(t.server, { port: 0 });
  cleanups.push(() => listening.close());
  return { ...t, url: listening.url };
}

/**
 * A POST whose body stops after its first bytes, as a slow or hostile sender sends it. Resolves with the answer,
 * or with 'no answer' if none came within `patience` ms of real time (a bound on a broken server, never a
 * measure: a working one answers at once).
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} start
 */
function trickle(url, headers, start) {
  const req = request(`${url}/webhook`, { method: 'POST', headers });
  req.on('error', () => undefined);
  req.write(start);
  /** @type {Promise<{ status: number, body: any }>} */
  const answered = new Promise((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
  });
  return {
    answer: (patience = 2000) =>
      Promise.race([answered, new Promise((resolve) => setTimeout(resolve, patience, 'no answer'))]),
    end: () => req.destroy(),
  };
}

describe('server/routes/webhook', () => {
  describe('a body that does not arrive', () => {
    for (const [framing, headers] of /** @type {const} */ ([
      ['chunked', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }],
      ['with a Content-Length', { 'Content-Type': 'application/json', 'Content-Length': '2000' }],
    ])) {
      it(`${framing}: is cut off after 5 s with 408, counted, and changes nothing`, async () => {
        const t = await serve();
        const r = t.start();
        const delivery = await t.delivery(r);
        const slow = trickle(t.url, { ...delivery.headers, ...headers }, delivery.body.slice(0, 20));
        cleanups.push(async () => {
          slow.end();
        });
        await t.clock.advance(4_000);
        assert.equal(t.server.stats().webhooks.accepted, 0);
        await t.clock.advance(1_000);
        const answer = /** @type {any} */ (await slow.answer());
        assert.notEqual(answer, 'no answer', 'the server still waits for the body');
        assert.equal(answer.status, 408);
        assert.equal(answer.body.success, false);
        assert.equal(answer.body.error.code, 408);
        assert.equal(t.server.stats().webhooks.tooSlow, 1);
        assert.equal(t.server.stats().webhooks.accepted, 0);
      });
    }

    it('a body that arrives in time is not cut off later', async () => {
      const t = await serve();
      const r = t.start();
      const response = await fetch(`${t.url}/webhook`, { method: 'POST', ...(await t.delivery(r)) });
      assert.equal(response.status, 200);
      await t.clock.advance(10_000);
      assert.equal(t.server.stats().webhooks.tooSlow, 0);
      assert.equal(t.server.stats().webhooks.accepted, 1);
    });
  });

  describe('a body read off the socket (Node) and off a web stream (elsewhere)', () => {
    /** A POST over real HTTP whose body is sent in chunks, with no Content-Length to refuse it by. */
    const chunked = (
      /** @type {string} */ url,
      /** @type {Record<string, string>} */ headers,
      /** @type {string[]} */ parts,
    ) =>
      new Promise((resolve, reject) => {
        const req = request(`${url}/webhook`, {
          method: 'POST',
          headers: { ...headers, 'Transfer-Encoding': 'chunked' },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        for (const part of parts) req.write(part);
        req.end();
      });

    it('over HTTP, a signed delivery sent in chunks is accepted whole', async () => {
      const t = await serve();
      const r = t.start();
      const delivery = await t.delivery(r, { status: 'PAUSED' });
      const cut = Math.floor(delivery.body.length / 3);
      const parts = [delivery.body.slice(0, cut), delivery.body.slice(cut, 2 * cut), delivery.body.slice(2 * cut)];
      const answer = /** @type {any} */ (await chunked(t.url, delivery.headers, parts));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { success: true });
      const read = /** @type {any} */ (
        await (await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }))).json()
      );
      assert.equal(read.data.status, 'PAUSED');
    });

    it('over HTTP, a chunked body past 64 KiB is refused with 413, counted, and changes nothing', async () => {
      const t = await serve();
      const r = t.start();
      const delivery = await t.delivery(r, { status: 'PAUSED' });
      const answer = /** @type {any} */ (
        await chunked(t.url, delivery.headers, [delivery.body, ' '.repeat(32 * 1024), ' '.repeat(32 * 1024)])
      );
      assert.equal(answer.status, 413);
      assert.equal(answer.body.error.code, 413);
      assert.equal(t.server.stats().webhooks.tooLarge, 1);
      assert.equal(t.server.stats().webhooks.accepted, 0);
    });

    /** A request whose body is a web stream that sends `parts` and then, unless `end`, nothing more. */
    const streamed = (/** @type {Record<string, string>} */ headers, /** @type {string[]} */ parts, end = true) =>
      new Request('http://host.test/webhook', {
        method: 'POST',
        headers,
        body: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
            if (end) controller.close();
          },
        }),
        // @ts-expect-error: Node's fetch needs it for a streamed body; the DOM's RequestInit lacks it.
        duplex: 'half',
      });

    it('from a web stream, a body that stops arriving is cut off after 5 s with 408', async () => {
      const t = await setup();
      const delivery = await t.delivery(t.start());
      const answered = t.server.fetch(streamed(delivery.headers, [delivery.body.slice(0, 20)], false));
      /** @type {Response | undefined} */
      let response;
      answered.then((r) => (response = r));
      /** The answer so far, read afresh: the type checker cannot see the callback set it. */
      const answer = () => response;
      await t.clock.advance(4_999);
      assert.equal(answer(), undefined, 'still within its 5 s');
      await t.clock.advance(1);
      assert.equal(answer()?.status, 408);
      assert.equal(answer()?.headers.get('Connection'), 'close');
      assert.equal(t.server.stats().webhooks.tooSlow, 1);
      assert.equal(t.server.stats().webhooks.accepted, 0);
    });

    it('from a web stream, a body past 64 KiB is refused with 413; one in time and size is accepted', async () => {
      const t = await setup();
      const delivery = await t.delivery(t.start());
      const large = await t.server.fetch(streamed(delivery.headers, [delivery.body, ' '.repeat(64 * 1024)]));
      assert.equal(large.status, 413);
      assert.equal(t.server.stats().webhooks.tooLarge, 1);
      const parts = [delivery.body.slice(0, 10), delivery.body.slice(10)];
      const fine = await t.server.fetch(streamed(delivery.headers, parts));
      assert.deepEqual(await fine.json(), { success: true });
      assert.equal(t.server.stats().webhooks.accepted, 1);
    });
  });

  describe('replays', () => {
    it('hole 1: a flood of the current body under fresh ids never pushes an older body out of the replay memory', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const say = (/** @type {string} */ status) =>
        t.signer.delivery({
          event: 'recording.statusUpdate',
          recording: { id: r.id, status, meetingId: t.meeting.id },
        });
      const paused = await say('PAUSED');
      assert.deepEqual(await (await t.post(paused)).json(), { success: true });
      const recording = await say('RECORDING');
      assert.deepEqual(await (await t.post(recording)).json(), { success: true });
      // The current body, re-sent under 140 delivery ids of the sender's own: each a duplicate costing nothing.
      for (let i = 0; i < 140; i++) {
        const flood = { body: recording.body, headers: { ...recording.headers, 'rtk-uuid': crypto.randomUUID() } };
        assert.deepEqual(await (await t.post(flood)).json(), { success: true, duplicate: true });
      }
      const calls = t.calls.length;
      // Then the old PAUSED under one more: still known, never applied.
      const replay = { body: paused.body, headers: { ...paused.headers, 'rtk-uuid': crypto.randomUUID() } };
      assert.deepEqual(await (await t.post(replay)).json(), { success: true, duplicate: true });
      assert.ok(t.calls.length <= calls + 1, 'at most the one check a repeat that would move the snapshot costs');
      const read = /** @type {any} */ (await (await t.get(`/recordings/${r.id}`, token)).json());
      assert.equal(read.data.status, 'RECORDING');
    });

    it('a signed delivery replayed with a new rtk-uuid is a duplicate: it never moves the recording back', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const say = (/** @type {string} */ status) =>
        t.signer.delivery({
          event: 'recording.statusUpdate',
          recording: { id: r.id, status, meetingId: t.meeting.id },
        });
      const paused = await say('PAUSED');
      assert.deepEqual(await (await t.post(paused)).json(), { success: true });
      assert.deepEqual(await (await t.post(await say('RECORDING'))).json(), { success: true });
      // Someone kept the PAUSED delivery and sends it again under a delivery id of their own.
      const replay = await t.post({ body: paused.body, headers: { ...paused.headers, 'rtk-uuid': 'replay-1' } });
      assert.equal(replay.status, 200);
      assert.deepEqual(await replay.json(), { success: true, duplicate: true });
      // And without one.
      const unnamed = Object.fromEntries(Object.entries(paused.headers).filter(([name]) => name !== 'rtk-uuid'));
      assert.deepEqual(await (await t.post({ body: paused.body, headers: unnamed })).json(), {
        success: true,
        duplicate: true,
      });
      const read = /** @type {any} */ (await (await t.get(`/recordings/${r.id}`, token)).json());
      assert.equal(read.data.status, 'RECORDING');
      assert.equal(t.server.stats().webhooks.duplicates, 2);
      assert.equal(t.server.stats().webhooks.accepted, 2);
    });

    it('a signed delivery naming a malformed recording or meeting id is acknowledged, ignored and logged once', async () => {
      const t = await setup();
      const r = t.start();
      const bad = [
        { id: '../recordings', status: 'RECORDING' },
        { id: 'a/b', status: 'RECORDING' },
        { id: 'x'.repeat(129), status: 'RECORDING' },
        { id: r.id, status: 'RECORDING', meetingId: '..' },
        { id: r.id, status: 'RECORDING', meetingId: 'm%2F1' },
      ];
      for (const recording of bad) {
        const res = await t.post(await t.signer.delivery({ event: 'recording.statusUpdate', recording }));
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { success: true, ignored: true });
      }
      // Nothing was spent or kept on their account: no upstream request, no hub.
      assert.deepEqual(t.calls, []);
      assert.equal(t.server.stats().targets, 0);
      assert.equal(t.server.stats().webhooks.accepted, 0);
      assert.equal(t.server.stats().webhooks.ignored, bad.length);
      assert.equal(t.logs.filter((line) => /malformed (recording|meeting) id/.test(line)).length, 1);
    });

    it('an empty body says so, and that something in front of the server read it', async () => {
      const t = await setup();
      const signed = await t.delivery(t.start());
      const res = await t.post({ body: '', headers: signed.headers });
      assert.equal(res.status, 400);
      const answer = /** @type {any} */ (await res.json());
      assert.match(answer.error.message, /body is empty: something in front of the recording server/);
      assert.equal(t.server.stats().webhooks.accepted, 0);
    });

    it("an rtk-uuid not in RealtimeKit's shape counts as none: it never makes another body a retry", async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      let take = 0;
      const say = async (/** @type {string} */ status, /** @type {string} */ uuid) => {
        const recording = { id: r.id, status, outputFileName: `take-${take}.mp4` };
        const d = await t.signer.delivery({ event: 'recording.statusUpdate', recording });
        return t.post({ body: d.body, headers: { ...d.headers, 'rtk-uuid': uuid } });
      };
      const status = async () =>
        /** @type {any} */ (await (await t.get(`/recordings/${r.id}`, token)).json()).data.status;
      for (const junk of ['x'.repeat(16 * 1024), 'not-a-uuid', `${crypto.randomUUID()}-and-more`]) {
        take++;
        assert.deepEqual(await (await say('RECORDING', junk)).json(), { success: true });
        assert.deepEqual(await (await say('PAUSED', junk)).json(), { success: true });
        assert.equal(await status(), 'PAUSED');
        assert.deepEqual(await (await say('RECORDING', `${junk}!`)).json(), { success: true, duplicate: true });
      }
      // A delivery id in RealtimeKit's shape is one: the same id again is RealtimeKit retrying, whatever the body.
      const uuid = crypto.randomUUID().toUpperCase();
      assert.deepEqual(await (await say('UPLOADING', uuid)).json(), { success: true });
      assert.deepEqual(await (await say('UPLOADED', uuid.toLowerCase())).json(), { success: true, duplicate: true });
      assert.equal(await status(), 'UPLOADING');
    });

    it('a retry with the same rtk-uuid is still a duplicate', async () => {
      const t = await setup();
      const d = await t.delivery(t.start());
      assert.deepEqual(await (await t.post(d)).json(), { success: true });
      assert.deepEqual(await (await t.post(d)).json(), { success: true, duplicate: true });
    });
  });

  describe('the bytes signed', () => {
    it('a delivery signed as sent, pretty-printed, is accepted; a signed body with whitespace added is refused and changes nothing', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const payload = (/** @type {string} */ status) => ({
        event: 'recording.statusUpdate',
        recording: { id: r.id, status, meetingId: t.meeting.id },
      });
      const pretty = JSON.stringify(payload('RECORDING'), null, 2);
      const sent = await t.post({
        body: pretty,
        headers: { 'Content-Type': 'application/json', 'rtk-signature': await t.signer.sign(pretty) },
      });
      assert.deepEqual(await sent.json(), { success: true });
      const compact = JSON.stringify(payload('ERRORED'));
      const padded = await t.post({
        body: compact.replace(/,/g, ', '),
        headers: { 'Content-Type': 'application/json', 'rtk-signature': await t.signer.sign(compact) },
      });
      assert.equal(padded.status >= 400, true, `HTTP ${padded.status}`);
      const read = /** @type {any} */ (await (await t.get(`/recordings/${r.id}`, token)).json());
      assert.equal(read.data.status, 'RECORDING');
      assert.equal(t.server.stats().webhooks.accepted, 1);
    });
  });

  describe('the key', () => {
    /** RealtimeKit rotates its signing key: the key document and every later delivery change. */
    const rotate = async (/** @type {Awaited<ReturnType<typeof setup>>} */ t) => {
      const next = await WebhookSigner.create();
      Object.assign(t.signer, { keys: next.keys, publicKeyPem: next.publicKeyPem });
    };

    it('hole 6: a delivery signed by a just-rotated key gets 503 with Retry-After, never a 4xx, and is accepted once the key is refetched', async () => {
      const t = await setup();
      const r = t.start();
      assert.equal((await t.post(await t.delivery(r))).status, 200);
      await t.clock.advance(10_000);
      await rotate(t);
      const rotated = await t.delivery(r, { status: 'RECORDING' });
      const deferred = await t.post(rotated);
      assert.equal(deferred.status, 503);
      assert.equal(deferred.headers.get('Retry-After'), '50');
      assert.equal(/** @type {any} */ (await deferred.json()).error.code, 503);
      assert.equal(t.server.stats().webhooks.unconfirmed, 1);
      assert.equal(t.server.stats().webhooks.badSignature, 0);
      // RealtimeKit retries a 5xx; by then the key may be refetched.
      await t.clock.advance(50_000);
      assert.deepEqual(await (await t.post(rotated)).json(), { success: true });
      assert.equal(t.world.keyFetches, 2);
    });

    it('forgeries get 503 within a minute of a key fetch and 401 from a key fetched for them: one key fetch a minute', async () => {
      const t = await setup();
      const r = t.start();
      const genuine = await t.delivery(r);
      assert.equal((await t.post(genuine)).status, 200);
      const forged = (/** @type {number} */ i) => ({
        body: genuine.body,
        headers: { ...genuine.headers, 'rtk-uuid': `forged-${i}`, 'rtk-signature': btoa(`forged ${i}`.padEnd(256)) },
      });
      for (let i = 0; i < 20; i++) assert.equal((await t.post(forged(i))).status, 503);
      await t.clock.advance(60_000);
      assert.equal((await t.post(forged(20))).status, 401);
      assert.equal((await t.post(forged(21))).status, 503);
      assert.equal(t.world.keyFetches, 2);
      assert.equal(t.server.stats().webhooks.accepted, 1);
    });

    it('hole 5: a refetch that fails keeps the key held: genuine deliveries are still accepted, not 503', async () => {
      const t = await setup();
      const r = t.start();
      assert.equal((await t.post(await t.delivery(r))).status, 200);
      await t.clock.advance(60_000);
      t.world.keyAvailable = false;
      const forged = await t.delivery(r, { status: 'ERRORED' });
      forged.headers['rtk-signature'] = btoa('forged'.padEnd(256));
      const refused = await t.post(forged);
      assert.equal(t.world.keyFetches, 2);
      const res = await t.post(await t.delivery(r, { status: 'RECORDING' }));
      assert.equal(res.status, 200);
      assert.equal(t.server.stats().webhooks.noKey, 0);
      // The forgery itself: a key might have been rotated, so it is put off, not refused.
      assert.equal(refused.status, 503);
    });
  });
});
