// @ts-check
/** The server's contract, row by row, through server.fetch. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import { createRecordingServer, serverOptionsFromEnv } from '../../dist/server/index.js';
import { API_TOKEN, SECRET, setup } from './helpers.mjs';

const body = async (/** @type {Response} */ r) => /** @type {any} */ (await r.json());

describe('server/app', () => {
  describe('options', () => {
    const base = { accountId: 'a', appId: 'b', apiToken: API_TOKEN, tokenSecret: SECRET };
    /** @type {[string, unknown, RegExp][]} */
    const cases = [
      ['no accountId', { ...base, accountId: '' }, /accountId is required/],
      ['no apiToken', { ...base, apiToken: undefined }, /apiToken is required/],
      ['a short tokenSecret', { ...base, tokenSecret: 'x'.repeat(31) }, /at least 32 bytes/],
      ['a zero budget', { ...base, budget: 0 }, /budget must be a whole number/],
      [
        'a fractional budget',
        { ...base, budget: 0.5 },
        /budget must be a whole number of requests per minute, at least 1/,
      ],
    ];
    for (const [name, options, message] of cases) {
      it(`refuses ${name} at startup, naming the option and never its value`, () => {
        assert.throws(
          () => createRecordingServer(/** @type {any} */ (options)),
          (/** @type {Error} */ error) => message.test(error.message) && !error.message.includes(API_TOKEN),
        );
      });
    }
  });

  describe('viewer tokens on reads', () => {
    it('answers a recording in the REST shape, storage_config stripped, with ETag and no-store', async () => {
      const t = await setup();
      const r = t.start();
      const res = await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Cache-Control'), 'private, no-store');
      assert.ok(res.headers.get('ETag'));
      const json = await body(res);
      assert.equal(json.success, true);
      assert.equal(json.data.id, r.id);
      assert.equal(json.data.status, 'INVOKED');
      assert.equal('storage_config' in json.data, false);
      assert.equal(JSON.stringify(json).includes('sim-bucket-secret'), false);
    });

    it("a list answer's meeting reaches viewers as the element reads it (id, title), never RealtimeKit's settings", async () => {
      const t = await setup();
      const id = 'listed-recording';
      const meeting = {
        id: t.meeting.id,
        title: 'Weekly sync',
        status: 'ACTIVE',
        record_on_start: false,
        storage_config: { type: 'aws', access_key: 'AKIA-meeting-secret', secret: 'meeting-bucket-secret' },
      };
      const recording = { id, status: 'RECORDING', invoked_time: '2026-11-20T09:00:00.000Z', meeting };
      t.world.override = () =>
        new Response(
          JSON.stringify({
            success: true,
            data: [recording],
            paging: { total_count: 1, start_offset: 1, end_offset: 1 },
          }),
        );
      for (const download of [false, true]) {
        const token = await t.token({ meetingId: t.meeting.id }, download);
        const listed = await body(await t.get(`/recordings?meeting_id=${t.meeting.id}`, token));
        assert.deepEqual(listed.data[0].meeting, { id: t.meeting.id, title: 'Weekly sync' });
        const stream = await t.get(`/events?meeting_id=${t.meeting.id}`, token);
        const reader = /** @type {ReadableStream<Uint8Array>} */ (stream.body).getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        assert.match(first, /"title":"Weekly sync"/);
        assert.equal(/secret|record_on_start|ACTIVE/.test(first), false);
      }
    });

    it('answers 304 to If-None-Match with the same ETag', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const first = await t.get(`/recordings/${r.id}`, token);
      const again = await t.get(`/recordings/${r.id}`, token, { 'If-None-Match': first.headers.get('ETag') ?? '' });
      assert.equal(again.status, 304);
      // A 304 says which version it stands for and keeps it private; it has no body.
      assert.equal(again.headers.get('ETag'), first.headers.get('ETag'));
      assert.equal(again.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(await again.text(), '');
      const stale = await t.get(`/recordings/${r.id}`, token, { 'If-None-Match': '"not-this-one"' });
      assert.equal(stale.status, 200);
      assert.equal(stale.headers.get('Content-Type'), 'application/json');
      assert.equal((await body(stale)).data.id, r.id);
    });

    const bad = [
      ['no token', async () => null],
      [
        'a forged token',
        async () =>
          sign(
            /** @type {any} */ ({ aud: 'recording-status', exp: 4e9, rid: 'x' }),
            'a-different-secret-of-enough-length-0000',
          ),
      ],
      [
        'an expired token',
        async () => sign(/** @type {any} */ ({ aud: 'recording-status', iat: 1, exp: 2, rid: 'x' }), SECRET),
      ],
      [
        'an alg: none token',
        async () =>
          `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"aud":"recording-status","exp":4000000000,"rid":"x"}').toString('base64url')}.`,
      ],
    ];
    for (const [name, make] of /** @type {[string, () => Promise<string | null>][]} */ (bad)) {
      it(`${name} is 401 with the error envelope, and costs no upstream request`, async () => {
        const t = await setup();
        const res = await t.get('/recordings/x', await make());
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('WWW-Authenticate'), 'Bearer');
        assert.deepEqual(await body(res), {
          success: false,
          error: { code: 401, message: 'A valid viewer token is required.' },
        });
        assert.deepEqual(t.calls, []);
      });
    }

    it('a token for another target is 403', async () => {
      const t = await setup();
      const r = t.start();
      const res = await t.get(`/recordings/${r.id}`, await t.token({ recordingId: 'other' }));
      assert.equal(res.status, 403);
      assert.equal((await body(res)).success, false);
      const list = await t.get(`/recordings?meeting_id=${t.meeting.id}`, await t.token({ meetingId: 'other' }));
      assert.equal(list.status, 403);
    });

    it('a meeting token reads a recording only once the server has seen it in that meeting', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ meetingId: t.meeting.id });
      assert.equal((await t.get(`/recordings/${r.id}`, token)).status, 403);
      assert.equal((await t.get(`/recordings?meeting_id=${t.meeting.id}`, token)).status, 200);
      assert.equal((await t.get(`/recordings/${r.id}`, token)).status, 200);
    });

    it('strips download links for a token without the download right, keeping the shape', async () => {
      const t = await setup();
      const r = t.start();
      await t.clock.advance(5000);
      t.simulator.control(r.id, 'stop');
      await t.clock.advance(10_000);
      const withLink = await body(await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }, true)));
      assert.match(withLink.data.download_url, /^http/);
      const without = await body(await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }, false)));
      assert.equal(without.data.status, 'UPLOADED');
      assert.equal(without.data.download_url, null);
      assert.equal(without.data.audio_download_url, null);
    });
  });

  describe('stripping', () => {
    it('an UPLOADED answer with an audio link: shown with the download right, null without, on reads and streams', async () => {
      const t = await setup();
      const id = 'with-audio';
      const recording = {
        id,
        status: 'UPLOADED',
        meeting_id: t.meeting.id,
        invoked_time: '2026-11-20T09:00:00.000Z',
        download_url: 'https://storage.example/video.mp4?sig=1',
        audio_download_url: 'https://storage.example/audio.m4a?sig=1',
        download_url_expiry: '2026-11-21T09:00:00.000Z',
      };
      t.world.override = () => new Response(JSON.stringify({ success: true, data: recording }));
      const allowed = await body(await t.get(`/recordings/${id}`, await t.token({ recordingId: id }, true)));
      assert.equal(allowed.data.audio_download_url, recording.audio_download_url);
      assert.equal(allowed.data.download_url, recording.download_url);
      const stripped = await body(await t.get(`/recordings/${id}`, await t.token({ recordingId: id }, false)));
      assert.deepEqual([stripped.data.download_url, stripped.data.audio_download_url], [null, null]);
      const stream = await t.get(`/events?recording_id=${id}`, await t.token({ recordingId: id }, false));
      const text = await stream.text();
      assert.match(text, /"status":"UPLOADED"/);
      assert.equal(text.includes('storage.example'), false);
    });
  });

  describe('reads', () => {
    it('lists the newest recording of a meeting; a list without meeting_id is 400', async () => {
      const t = await setup();
      t.start();
      await t.clock.advance(1000);
      const newer = t.start();
      const json = await body(
        await t.get(`/recordings?meeting_id=${t.meeting.id}&per_page=1`, await t.token({ meetingId: t.meeting.id })),
      );
      assert.deepEqual(
        json.data.map((/** @type {any} */ r) => r.id),
        [newer.id],
      );
      const res = await t.get('/recordings', await t.token({ meetingId: t.meeting.id }));
      assert.equal(res.status, 400);
    });

    it('a meeting with no recording lists none', async () => {
      const t = await setup();
      const json = await body(
        await t.get(`/recordings?meeting_id=${t.meeting.id}`, await t.token({ meetingId: t.meeting.id })),
      );
      assert.deepEqual(json.data, []);
    });

    it('answers the active recording, and 404 with the envelope when there is none', async () => {
      const t = await setup();
      const token = await t.token({ meetingId: t.meeting.id });
      const none = await t.get(`/recordings/active-recording/${t.meeting.id}`, token);
      assert.equal(none.status, 404);
      assert.equal((await body(none)).error.message, 'No active recording found for this meeting');
      const r = t.start();
      await t.clock.advance(2000);
      const active = await body(await t.get(`/recordings/active-recording/${t.meeting.id}`, token));
      assert.equal(active.data.id, r.id);
      assert.equal((await t.get(`/recordings/${r.id}`, token)).status, 200);
    });

    it('an unknown recording is 404 with the envelope', async () => {
      const t = await setup();
      const res = await t.get('/recordings/nope', await t.token({ recordingId: 'nope' }));
      assert.equal(res.status, 404);
      assert.equal((await body(res)).success, false);
    });

    it("upstream refusing the server's own API token is a 502 that points at the configuration", async () => {
      const t = await setup({ apiToken: 'wrong-token-value-0000000000' });
      const res = await t.get('/recordings/r', await t.token({ recordingId: 'r' }));
      assert.equal(res.status, 502);
      assert.match((await body(res)).error.message, /check accountId, appId and apiToken/);
      assert.equal(t.logs.length, 1);
      assert.equal(t.logs.join().includes('wrong-token-value'), false);
    });

    it('passes on upstream 429 and 503 with their Retry-After, an HTTP date as seconds from now', async () => {
      const t = await setup();
      for (const [status, given, passed] of /** @type {[number, string, string][]} */ ([
        [429, '30', '30'],
        [503, '7', '7'],
        // The fake clock stands at 2026-11-20 10:00:00 UTC.
        [503, 'Fri, 20 Nov 2026 10:01:30 GMT', '90'],
      ])) {
        t.world.override = () =>
          new Response(JSON.stringify({ success: false, error: { code: status, message: 'x' } }), {
            status,
            headers: { 'Retry-After': given },
          });
        const id = `r${status}-${passed}`;
        const res = await t.get(`/recordings/${id}`, await t.token({ recordingId: id }));
        assert.equal(res.status, status);
        assert.equal(res.headers.get('Retry-After'), passed);
      }
    });

    it('an unreachable upstream is 502; /healthz says so, with the budget and no secret', async () => {
      const t = await setup();
      t.world.upstreamDown = true;
      assert.equal((await t.get('/recordings/r', await t.token({ recordingId: 'r' }))).status, 502);
      const health = await t.get('/healthz');
      const text = await health.text();
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(text), {
        success: true,
        upstream: 'unreachable',
        budget: { perMinute: 900, left: 899 },
      });
      assert.equal(text.includes(API_TOKEN) || text.includes(SECRET), false);
    });

    it('/healthz says refused while RealtimeKit answers but refuses the credentials, and reachable once it takes them', async () => {
      const wrong = 'not-the-api-token-of-this-app';
      const t = await setup({ apiToken: wrong });
      const r = t.start();
      const read = await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }));
      assert.equal(read.status, 502, 'our credentials, not the viewer’s: never a 401 the widget would renew for');
      const text = await (await t.get('/healthz')).text();
      assert.equal(JSON.parse(text).upstream, 'refused');
      assert.equal(text.includes(wrong) || text.includes(SECRET), false);
      const good = await setup();
      const s = good.start();
      assert.equal((await good.get(`/recordings/${s.id}`, await good.token({ recordingId: s.id }))).status, 200);
      assert.equal(JSON.parse(await (await good.get('/healthz')).text()).upstream, 'reachable');
    });

    it('an unreachable upstream is logged once per outage, with its host and never a credential', async () => {
      const t = await setup();
      t.world.upstreamDown = true;
      const token = await t.token({ recordingId: 'r' });
      await t.get('/recordings/r', token);
      await t.clock.advance(5000);
      await t.get('/recordings/r', token);
      assert.deepEqual(t.logs, [
        'recording-status server: RealtimeKit could not be reached at rtk.example (network error); reads answer 502 until it can.',
      ]);
      t.world.upstreamDown = false;
      await t.clock.advance(5000);
      assert.equal((await t.get('/recordings/r', token)).status, 404);
      t.world.upstreamDown = true;
      await t.clock.advance(5000);
      // Another id: upstream's 404 for r is believed for a minute, so reading r again would not reach upstream.
      await t.get('/recordings/q', await t.token({ recordingId: 'q' }));
      assert.equal(t.logs.length, 2, 'a second outage is said again');
    });
  });

  describe('upstream economy', () => {
    it('coalesces concurrent identical reads into one request, and reuses it for freshFor', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      // RealtimeKit answers only once all fifty reads are waiting: each would otherwise send its own request.
      /** @type {(() => void)[]} */
      const held = [];
      t.world.override = (url) => {
        const { world } = t;
        world.override = null;
        return /** @type {any} */ (
          new Promise((resolve) => {
            held.push(() =>
              resolve(
                t.simulator.handleUpstream({
                  method: 'GET',
                  path: url.pathname.replace(/^.*\/app/, ''),
                  query: url.searchParams,
                  headers: { authorization: `Bearer ${API_TOKEN}` },
                }),
              ),
            );
          }).then((/** @type {any} */ a) => new Response(a.body, { status: a.status, headers: a.headers }))
        );
      };
      const pending = Promise.all(Array.from({ length: 50 }, () => t.get(`/recordings/${r.id}`, token)));
      // Until the first read reaches RealtimeKit, then long enough for the others to reach the hub too.
      for (let i = 0; i < 500 && held.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(t.calls.length, 1, 'the reads waiting for RealtimeKit each sent a request');
      for (const release of held) release();
      const answers = await pending;
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(t.calls.length, 1);
      await t.clock.advance(1999);
      await t.get(`/recordings/${r.id}`, token);
      assert.equal(t.calls.length, 1);
      await t.clock.advance(1);
      await t.get(`/recordings/${r.id}`, token);
      assert.equal(t.calls.length, 2);
    });

    it('holds a burst of 2000 reads to the budget: the last snapshot with Age, else 429 with Retry-After', async () => {
      const t = await setup({ budget: 10 });
      const recordings = Array.from({ length: 20 }, () => t.start());
      const tokens = await Promise.all(recordings.map((r) => t.token({ recordingId: r.id })));
      // The first ten recordings are read once, within the budget.
      for (let i = 0; i < 10; i++)
        assert.equal(
          (await t.get(`/recordings/${/** @type {any} */ (recordings[i]).id}`, /** @type {string} */ (tokens[i])))
            .status,
          200,
        );
      await t.clock.advance(3000);
      const statuses = { 200: 0, 429: 0 };
      const ages = new Set();
      for (let n = 0; n < 2000; n++) {
        const i = n % 20;
        const res = await t.get(
          `/recordings/${/** @type {any} */ (recordings[i]).id}`,
          /** @type {string} */ (tokens[i]),
        );
        statuses[/** @type {200 | 429} */ (res.status)]++;
        if (res.status === 200) ages.add(res.headers.get('Age'));
        if (res.status === 429) assert.ok(Number(res.headers.get('Retry-After')) >= 1);
      }
      // 10 per minute: within these three seconds, at most one more request was affordable.
      assert.ok(t.calls.length <= 11, `${t.calls.length} upstream requests`);
      assert.equal(statuses[200], 1000);
      assert.equal(statuses[429], 1000);
      assert.ok([...ages].every((age) => Number(age) >= 3));
    });
  });

  describe('retention', () => {
    it('targets nobody watches are forgotten: unknown ones within minutes, others after a day', async () => {
      const t = await setup();
      for (let i = 0; i < 20; i++) {
        const id = `made-up-${i}`;
        assert.equal((await t.get(`/recordings/${id}`, await t.token({ recordingId: id }))).status, 404);
      }
      const r = t.start();
      assert.equal((await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }))).status, 200);
      assert.equal(t.server.stats().targets, 21);
      await t.clock.advance(11 * 60_000);
      await t.get('/recordings/another', await t.token({ recordingId: 'another' }));
      assert.equal(t.server.stats().targets, 2, 'the unknown targets are still held');
      await t.clock.advance(24 * 3600_000);
      await t.get('/recordings/another', await t.token({ recordingId: 'another' }));
      assert.equal(t.server.stats().targets, 1);
    });
  });

  describe('budget shares', () => {
    it("upstream's 404 is remembered for a minute: a made-up id read every 3 s costs one request a minute", async () => {
      const t = await setup();
      const token = await t.token({ recordingId: 'made-up-1' });
      for (let i = 0; i < 40; i++) {
        assert.equal((await t.get('/recordings/made-up-1', token)).status, 404);
        await t.clock.advance(3000);
      }
      // 40 reads over two minutes.
      assert.ok(t.calls.length <= 2, `${t.calls.length} upstream requests`);
    });

    it("one viewer's reads spend at most its share of the budget; another viewer's first read still gets through", async () => {
      const t = await setup({ budget: 30 });
      const token = await t.token({ meetingId: t.meeting.id });
      // One meeting token asks for the active recording as fast as freshFor allows, for a minute.
      for (let i = 0; i < 30; i++) {
        await t.get(`/recordings/active-recording/${t.meeting.id}`, token);
        await t.clock.advance(2000);
      }
      assert.ok(t.calls.length <= 6, `one viewer spent ${t.calls.length} of 30`);
      const r = t.start();
      assert.equal((await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }))).status, 200);
    });

    it("authorize's subject goes into /token's tokens: one signed-in user's made-up ids spend one share", async () => {
      const t = await setup({ budget: 30, authorize: (request) => ({ subject: request.headers.get('x-user') ?? '' }) });
      const tokenFor = async (/** @type {string} */ user, /** @type {string} */ id) =>
        (await body(await t.get(`/token?recording_id=${id}`, null, { 'x-user': user }))).token;
      for (let i = 0; i < 100; i++) {
        const id = `invented-${i}`;
        await t.get(`/recordings/${id}`, await tokenFor('user-1', id));
      }
      assert.ok(t.calls.length <= 6, `one user spent ${t.calls.length} of 30`);
      const r = t.start();
      assert.equal((await t.get(`/recordings/${r.id}`, await tokenFor('user-2', r.id))).status, 200);
    });

    it('/token tokens whose authorize names no subject share one share, said once: 1000 made-up ids spend a tenth', async () => {
      // As the README's examples were written: allowed, no subject.
      const t = await setup({ authorize: () => ({ download: false }) });
      for (let i = 0; i < 1000; i++) {
        const id = `invented-${i}`;
        const { token } = await body(await t.get(`/token?recording_id=${id}`));
        await t.get(`/recordings/${id}`, token);
      }
      assert.ok(t.calls.length <= 90, `tokens without a subject spent ${t.calls.length} of 900`);
      assert.equal(t.logs.filter((line) => /without a subject/.test(line)).length, 1);
      // Another viewer (a token the host minted for its recording) still reads it.
      const r = t.start();
      assert.equal((await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }))).status, 200);
    });

    it("tokens of one subject (sub) share one share, whatever they name; another subject's read gets through", async () => {
      const t = await setup({ budget: 30 });
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const tokenOf = (/** @type {string} */ sub, /** @type {string} */ rid) =>
        sign(/** @type {any} */ ({ aud: 'recording-status', exp, rid, sub }), SECRET);
      const statuses = [];
      for (let i = 0; i < 100; i++) {
        const id = `invented-${i}`;
        statuses.push((await t.get(`/recordings/${id}`, await tokenOf('user-1', id))).status);
      }
      assert.ok(t.calls.length <= 6, `one subject spent ${t.calls.length} of 30`);
      assert.ok(statuses.includes(429));
      const r = t.start();
      assert.equal((await t.get(`/recordings/${r.id}`, await tokenOf('user-2', r.id))).status, 200);
    });
  });

  describe('webhook', () => {
    it('a signed delivery updates the snapshot at once; while webhooks keep it current, readers cost no upstream request; 30 s of silence heals', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      await t.get(`/recordings/${r.id}`, token);
      await t.clock.advance(3000);
      t.simulator.tick();
      await t.post(await t.delivery(r));
      const calls = t.calls.length;
      // A widget polling every 5 s for the next 25 s: the webhook-fed snapshot answers every time.
      for (let i = 0; i < 5; i++) {
        await t.clock.advance(5000);
        assert.equal((await body(await t.get(`/recordings/${r.id}`, token))).data.status, 'RECORDING');
      }
      assert.equal(t.calls.length, calls);
      // A webhook lost (the pause): 30 s after the last one, the next read asks upstream and heals.
      t.simulator.control(r.id, 'pause');
      await t.clock.advance(5000);
      assert.equal((await body(await t.get(`/recordings/${r.id}`, token))).data.status, 'PAUSED');
      assert.equal(t.calls.length, calls + 1);
    });

    const rejected = [
      [
        'unsigned',
        401,
        async (/** @type {any} */ d) => ({ ...d, headers: { ...d.headers, 'rtk-signature': undefined } }),
      ],
      [
        'signed over other bytes',
        401,
        async (/** @type {any} */ d) => ({ ...d, body: d.body.replace('RECORDING', 'UPLOADED') }),
      ],
      [
        'over 64 KB',
        413,
        async (/** @type {any} */ d) => ({ ...d, body: d.body.replace('}', `,"pad":"${'x'.repeat(70_000)}"}`) }),
      ],
    ];
    for (const [name, status, mutate] of /** @type {[string, number, (d: any) => Promise<any>][]} */ (rejected)) {
      it(`a delivery ${name} is ${status} and changes nothing`, async () => {
        const t = await setup();
        const r = t.start();
        await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }));
        await t.clock.advance(3000);
        t.simulator.tick();
        const delivery = await mutate(await t.delivery(r));
        delivery.headers = Object.fromEntries(Object.entries(delivery.headers).filter(([, v]) => v !== undefined));
        const res = await t.post(delivery);
        assert.equal(res.status, status);
        assert.equal((await body(res)).success, false);
        assert.equal(t.server.stats().webhooks.accepted, 0);
      });
    }

    it('a validly signed but malformed payload is 400; another event type is 200 and ignored', async () => {
      const t = await setup();
      const malformed = await t.signer.delivery({
        event: 'recording.statusUpdate',
        recording: { id: 'r', status: 'DONE' },
      });
      assert.equal((await t.post(malformed)).status, 400);
      const other = await t.signer.delivery({ event: 'meeting.ended', meeting: { id: 'm' } });
      const res = await t.post(other);
      assert.equal(res.status, 200);
      assert.deepEqual(await body(res), { success: true, ignored: true });
    });

    it('deliveries about an older recording of a watched meeting cost one list read, not one each', async () => {
      const t = await setup();
      const old = t.start();
      await t.clock.advance(60_000);
      const newer = t.start();
      const token = await t.token({ meetingId: t.meeting.id });
      const list = await body(await t.get(`/recordings?meeting_id=${t.meeting.id}`, token));
      assert.equal(list.data[0].id, newer.id);
      const listReads = () => t.calls.filter((c) => c.startsWith('/recordings?meeting_id=')).length;
      const before = listReads();
      // 100 genuine, distinct deliveries about the older recording (a replay storm, each signed anew).
      for (let i = 0; i < 100; i++) {
        const delivery = await t.delivery(old, { status: i % 2 ? 'PAUSED' : 'RECORDING', outputFileName: `part-${i}` });
        assert.equal((await t.post(delivery)).status, 200);
        await t.clock.advance(2500);
      }
      assert.ok(listReads() - before <= 1, `${listReads() - before} list reads`);
      const again = await body(await t.get(`/recordings?meeting_id=${t.meeting.id}`, token));
      assert.equal(again.data[0].id, newer.id);
    });

    it('a repeated rtk-uuid is 200 with no effect', async () => {
      const t = await setup();
      const r = t.start();
      const delivery = await t.delivery(r);
      assert.equal((await t.post(delivery)).status, 200);
      const again = await t.post(delivery);
      assert.equal(again.status, 200);
      assert.deepEqual(await body(again), { success: true, duplicate: true });
      assert.equal(t.server.stats().webhooks.duplicates, 1);
    });

    it('without a key to verify with it is 503, so RealtimeKit retries; the host is told once', async () => {
      const t = await setup();
      t.world.keyAvailable = false;
      const r = t.start();
      for (let i = 0; i < 3; i++) {
        const res = await t.post(await t.delivery(r));
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('Retry-After'), '10');
      }
      assert.equal(t.logs.filter((line) => line.includes('webhook public key')).length, 1);
      assert.equal(t.server.stats().webhooks.noKey, 3);
    });

    it('out-of-order deliveries never move a recording backwards; UPLOADED and ERRORED stay final', async () => {
      const t = await setup();
      const r = t.start();
      const token = await t.token({ recordingId: r.id });
      const send = async (/** @type {string} */ status) => {
        const d = await t.signer.delivery({
          event: 'recording.statusUpdate',
          recording: { id: r.id, status, meetingId: t.meeting.id },
        });
        assert.equal((await t.post(d)).status, 200);
      };
      const status = async () => (await body(await t.get(`/recordings/${r.id}`, token))).data.status;
      await send('UPLOADING');
      await send('RECORDING');
      await send('INVOKED');
      // Upstream, asked after the reuse window, still says INVOKED (it lags): the snapshot keeps UPLOADING.
      await t.clock.advance(5000);
      assert.equal(await status(), 'UPLOADING');
      await send('UPLOADED');
      await send('ERRORED');
      await send('RECORDING');
      assert.equal(await status(), 'UPLOADED');
    });
  });

  describe('/token', () => {
    it('is 404 without authorize: the host mints tokens itself', async () => {
      const t = await setup();
      assert.equal((await t.get('/token?recording_id=r')).status, 404);
    });

    it('asks authorize with the request and target: true, false, { download: false } or { download: true }', async () => {
      /** @type {unknown[]} */
      const asked = [];
      const verdicts = [true, false, { download: false }, { download: true }];
      const t = await setup({
        authorize: (request, target) => {
          asked.push([new URL(request.url).pathname, target]);
          return /** @type {any} */ (verdicts.shift());
        },
        tokenTtl: 120,
      });
      const yes = await t.get('/token?recording_id=r1');
      const json = await body(yes);
      assert.equal(yes.status, 200);
      assert.equal(json.expires_in, 120);
      assert.equal(yes.headers.get('Cache-Control'), 'no-store');
      assert.equal((await t.get('/token?meeting_id=m1')).status, 403);
      const limited = await body(await t.get('/token?recording_id=r2'));
      const payload = JSON.parse(Buffer.from(limited.token.split('.')[1], 'base64url').toString());
      assert.equal(payload.dl, false);
      const full = await body(await t.get('/token?recording_id=r3'));
      assert.equal(JSON.parse(Buffer.from(full.token.split('.')[1], 'base64url').toString()).dl, true);
      assert.deepEqual(asked, [
        ['/token', { recordingId: 'r1' }],
        ['/token', { meetingId: 'm1' }],
        ['/token', { recordingId: 'r2' }],
        ['/token', { recordingId: 'r3' }],
      ]);
      assert.equal((await t.get('/token?recording_id=a&meeting_id=b')).status, 400);
    });

    it('refuses (403) anything authorize answers but true or a grant object: a forgotten return mints nothing', async () => {
      const verdicts = [undefined, null, 0, '', 'yes', 1, [], Number.NaN];
      const t = await setup({ authorize: () => /** @type {any} */ (verdicts.shift()) });
      for (let i = 0; i < 8; i++) {
        const res = await t.get(`/token?recording_id=r${i}`);
        assert.equal(res.status, 403, `verdict #${i}`);
        assert.equal((await body(res)).token, undefined);
      }
    });

    it('answers 500 and mints nothing when authorize throws or rejects', async () => {
      const verdicts = [
        () => {
          throw new Error('session store down');
        },
        () => Promise.reject(new Error('session store down')),
      ];
      const t = await setup({ authorize: () => /** @type {any} */ (verdicts.shift())?.() });
      for (let i = 0; i < 2; i++) {
        const res = await t.get(`/token?recording_id=r${i}`);
        assert.equal(res.status, 500);
        assert.equal((await body(res)).token, undefined);
      }
      assert.ok(t.logs.every((line) => !line.includes('session store down')));
    });
  });

  describe('ids', () => {
    /** A token naming any id, signed as a host would (createViewerToken itself refuses bad ids). */
    const tokenFor = (/** @type {string} */ claim, /** @type {string} */ id) =>
      sign(
        /** @type {any} */ ({ aud: 'recording-status', exp: Math.floor(Date.now() / 1000) + 300, [claim]: id }),
        SECRET,
      );
    const long = 'a'.repeat(129);

    for (const [path, claim, id] of /** @type {[string, string, string][]} */ ([
      ['/events?recording_id=..', 'rid', '..'],
      ['/events?recording_id=.', 'rid', '.'],
      ['/events?meeting_id=..', 'mid', '..'],
      ['/recordings?meeting_id=..', 'mid', '..'],
      ['/recordings?meeting_id=a%2Fb', 'mid', 'a/b'],
      [`/recordings/${long}`, 'rid', long],
      ['/recordings/a%25b', 'rid', 'a%b'],
      ['/recordings/active-recording/a%3Fb', 'mid', 'a?b'],
    ])) {
      it(`${path} is 400 with the id rule, before any upstream request`, async () => {
        const t = await setup();
        const res = await t.get(path, await tokenFor(claim, id));
        assert.equal(res.status, 400);
        assert.match((await body(res)).error.message, /letters, digits/);
        assert.deepEqual(t.calls, []);
      });
    }

    it('/token refuses a malformed id with 400 before asking authorize', async () => {
      let asked = 0;
      const t = await setup({ authorize: () => (asked++, true) });
      for (const query of ['recording_id=..', 'meeting_id=.', `recording_id=${long}`]) {
        const res = await t.get(`/token?${query}`);
        assert.equal(res.status, 400);
        assert.match((await body(res)).error.message, /letters, digits/);
      }
      assert.equal(asked, 0);
      assert.equal((await t.get('/token?recording_id=ok-id_1')).status, 200);
    });
  });

  describe('as a Hono app', () => {
    it("routes under a Hono host's path with app.route(): reads, /token, /events and the webhook, its headers kept to its own routes", async () => {
      const t = await setup({ authorize: () => ({ subject: 'viewer' }) });
      const host = new Hono();
      host.get('/', (c) => c.text('the host page'));
      host.route('/api/recordings', t.server);
      const at = (/** @type {string} */ path, /** @type {RequestInit} */ init = {}) =>
        host.fetch(new Request(`http://host.test${path}`, init));
      const r = t.start();
      const minted = await at(`/api/recordings/token?recording_id=${r.id}`);
      assert.equal(minted.status, 200);
      const { token } = await body(minted);
      const auth = { headers: { Authorization: `Bearer ${token}` } };
      assert.equal((await body(await at(`/api/recordings/recordings/${r.id}`, auth))).data.status, 'INVOKED');
      await t.clock.advance(3000);
      t.simulator.tick();
      const delivery = await t.delivery(r);
      const posted = await at('/api/recordings/webhook', {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      });
      assert.equal(posted.status, 200);
      assert.equal((await body(await at(`/api/recordings/recordings/${r.id}`, auth))).data.status, 'RECORDING');
      const events = await at(`/api/recordings/events?recording_id=${r.id}`, auth);
      assert.equal(events.status, 200);
      assert.match(events.headers.get('Content-Type') ?? '', /^text\/event-stream/);
      await events.body?.cancel();
      assert.equal((await at(`/api/recordings/recordings/${r.id}`)).status, 401);
      // The server's secure headers are its own routes', not the host's.
      assert.equal((await at('/api/recordings/healthz')).headers.get('X-Content-Type-Options'), 'nosniff');
      const page = await at('/');
      assert.equal(await page.text(), 'the host page');
      assert.equal(page.headers.get('X-Content-Type-Options'), null);
      assert.equal((await at('/recordings/r1')).status, 404, 'nothing is served outside the path it was given');
    });

    it('keeps its fetch a promise and its stats beside the Hono app', async () => {
      const t = await setup();
      const answer = t.server.fetch(new Request('http://host.test/nowhere'));
      assert.ok(answer instanceof Promise);
      assert.equal((await answer).status, 404);
      assert.equal(t.server.stats().targets, 0);
    });
  });

  it('basePath mounts every route under it', async () => {
    const t = await setup({ basePath: '/rs' });
    const r = t.start();
    assert.equal((await t.get(`/rs/recordings/${r.id}`, await t.token({ recordingId: r.id }))).status, 200);
    assert.equal((await t.get(`/recordings/${r.id}`, await t.token({ recordingId: r.id }))).status, 404);
  });

  it('a 404 for a route under another prefix says where the routes are and which basePath would serve it', async () => {
    const mounted = await setup({ basePath: '/rs' });
    const outside = await body(await mounted.get('/recordings/r1'));
    assert.equal(
      outside.error.message,
      "No such route. This server's routes are under /rs (its basePath option); this path would need basePath ''.",
    );
    const root = await setup();
    const stripped = await body(await root.get('/api/recordings/events'));
    assert.equal(
      stripped.error.message,
      "No such route. This server's routes are at the root (its basePath option); this path would need basePath '/api/recordings'.",
    );
    assert.equal((await body(await root.get('/favicon.ico'))).error.message, 'No such route.');
  });

  it('cors answers only when configured, for the configured origin', async () => {
    const off = await setup();
    const plain = await off.get('/healthz', null, { Origin: 'https://app.example' });
    assert.equal(plain.headers.get('Access-Control-Allow-Origin'), null);
    const on = await setup({ cors: { origin: 'https://app.example' } });
    const res = await on.server.fetch(
      new Request('http://host.test/recordings/r', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://app.example',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      }),
    );
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
    assert.match(res.headers.get('Access-Control-Allow-Headers') ?? '', /Authorization/i);
  });

  it('a comma-separated RECORDING_STATUS_CORS_ORIGIN allows each origin listed, and no other', async () => {
    const env = {
      REALTIMEKIT_ACCOUNT_ID: 'acc',
      REALTIMEKIT_APP_ID: 'app',
      REALTIMEKIT_API_TOKEN: API_TOKEN,
      RECORDING_STATUS_TOKEN_SECRET: SECRET,
      RECORDING_STATUS_CORS_ORIGIN: 'https://app.example,https://admin.example',
    };
    const server = createRecordingServer({ ...serverOptionsFromEnv(env), log: () => undefined });
    const preflight = (/** @type {string} */ origin) =>
      server.fetch(
        new Request('http://host.test/recordings/r', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
        }),
      );
    for (const origin of ['https://app.example', 'https://admin.example']) {
      assert.equal((await preflight(origin)).headers.get('Access-Control-Allow-Origin'), origin);
    }
    assert.equal((await preflight('https://evil.example')).headers.get('Access-Control-Allow-Origin'), null);
  });

  it('no answer, error, log line or stat ever carries the API token or the token secret', async () => {
    const t = await setup({ authorize: () => true });
    const r = t.start();
    const token = await t.token({ recordingId: r.id });
    const texts = [];
    for (const res of [
      await t.get(`/recordings/${r.id}`, token),
      await t.get('/recordings/x', 'garbage'),
      await t.get('/recordings', token),
      await t.get('/token?recording_id=r'),
      await t.get('/healthz'),
      await t.get('/nowhere'),
      await t.post({ body: '{}', headers: { 'rtk-signature': 'AAAA' } }),
    ])
      texts.push(await res.text(), JSON.stringify([...res.headers]));
    t.world.upstreamDown = true;
    texts.push(await (await t.get(`/recordings/zzz`, await t.token({ recordingId: 'zzz' }))).text());
    texts.push(JSON.stringify(t.server.stats()), ...t.logs);
    const all = texts.join('\n');
    assert.equal(all.includes(API_TOKEN), false);
    assert.equal(all.includes(SECRET), false);
  });
});
