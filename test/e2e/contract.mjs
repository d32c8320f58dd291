// @ts-check
/**
 * The server's contract, one table run against every way it runs (contract.test.mjs: Node in one process, and the
 * Cloudflare Worker with its Durable Objects in workerd; test/scale/: a Node replica sharing a Redis). Same
 * requests, same statuses, same answers, over real HTTP.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { sign } from 'hono/jwt';
import { API_TOKEN, SECRET } from './backends.mjs';
import { Frames } from '../server/frames.mjs';

/**
 * @typedef {import('./backends.mjs').Backend} Backend
 * @typedef {{ b: Backend, weekly: string, quiet: string, uploaded: string, errored: string }} World
 * @typedef {{ status: number, headers: Headers, text: string, json: any }} Answer
 */

/** Every answer any row saw: none may carry a secret. @type {Answer[]} */
const seen = [];

async function answer(/** @type {Response} */ response) {
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: a 304, or an event stream.
  }
  const a = { status: response.status, headers: response.headers, text, json };
  seen.push(a);
  return a;
}

const get = async (
  /** @type {World} */ w,
  /** @type {string} */ path,
  /** @type {string | null} */ token,
  headers = {},
) =>
  answer(
    await fetch(`${w.b.url}${path}`, {
      headers: { ...headers, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      signal: AbortSignal.timeout(15_000),
    }),
  );

const post = async (
  /** @type {World} */ w,
  /** @type {string} */ body,
  /** @type {Record<string, string>} */ headers,
) => answer(await fetch(`${w.b.url}/webhook`, { method: 'POST', body, headers, signal: AbortSignal.timeout(15_000) }));

/**
 * Upstream requests once none has come for 300 ms (at most 5 s): a check a previous row's replayed body owes
 * RealtimeKit is background work, and a backend that goes through Redis sends it a few milliseconds later.
 */
async function settledUpstream(/** @type {World} */ w) {
  let count = w.b.upstream.simulator.stats.upstreamRequests;
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = w.b.upstream.simulator.stats.upstreamRequests;
    if (now === count && i >= 2) return now;
    if (now !== count) i = 0;
    count = now;
  }
  return count;
}

const envelope = (/** @type {Answer} */ a, /** @type {number} */ code) => {
  assert.equal(a.status, code);
  assert.equal(a.json?.success, false);
  assert.equal(a.json?.error?.code, code);
  assert.equal(typeof a.json?.error?.message, 'string');
};

const signed = async (/** @type {World} */ w, /** @type {string} */ body) => ({
  'Content-Type': 'application/json',
  'rtk-signature': await w.b.upstream.signer.sign(body),
  'rtk-uuid': `contract-${Math.random().toString(16).slice(2)}`,
});

const statusUpdate = (/** @type {World} */ w, /** @type {string} */ id) =>
  w.b.upstream.simulator.webhookPayload(/** @type {any} */ (w.b.upstream.simulator.recordings.get(id)));

/** @type {[string, (w: World) => Promise<void>][]} */
const table = [
  [
    'GET /healthz is 200 with reachability and budget',
    async (w) => {
      const a = await get(w, '/healthz', null);
      assert.equal(a.status, 200);
      assert.equal(a.json.success, true);
      assert.deepEqual(Object.keys(a.json.budget).sort(), ['left', 'perMinute']);
      assert.equal(a.json.budget.perMinute, 900);
    },
  ],
  [
    'a read with no token is 401, with WWW-Authenticate',
    async (w) => {
      const a = await get(w, `/recordings/${w.uploaded}`, null);
      envelope(a, 401);
      assert.equal(a.headers.get('WWW-Authenticate'), 'Bearer');
    },
  ],
  [
    'a forged, an expired and an alg: none token are 401',
    async (w) => {
      const tokens = [
        await sign(/** @type {any} */ ({ aud: 'recording-status', exp: 4e9, rid: w.uploaded }), 'x'.repeat(40)),
        await sign(/** @type {any} */ ({ aud: 'recording-status', iat: 1, exp: 2, rid: w.uploaded }), SECRET),
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"aud":"recording-status","exp":4000000000,"rid":"${w.uploaded}"}`).toString('base64url')}.`,
      ];
      for (const token of tokens) envelope(await get(w, `/recordings/${w.uploaded}`, token), 401);
    },
  ],
  [
    'a token for another target is 403',
    async (w) => {
      envelope(await get(w, `/recordings/${w.uploaded}`, await w.b.token({ recordingId: w.errored })), 403);
      envelope(await get(w, `/recordings?meeting_id=${w.weekly}`, await w.b.token({ meetingId: w.quiet })), 403);
    },
  ],
  [
    'GET /recordings/{id} answers the REST shape, storage_config stripped, private and with an ETag',
    async (w) => {
      const a = await get(w, `/recordings/${w.uploaded}`, await w.b.token({ recordingId: w.uploaded }));
      assert.equal(a.status, 200);
      assert.equal(a.json.success, true);
      assert.equal(a.json.data.id, w.uploaded);
      assert.equal(a.json.data.status, 'UPLOADED');
      assert.equal('storage_config' in a.json.data, false);
      assert.match(a.json.data.download_url, /^http/);
      assert.equal(a.headers.get('Cache-Control'), 'private, no-store');
      assert.ok(a.headers.get('ETag'));
      const again = await get(w, `/recordings/${w.uploaded}`, await w.b.token({ recordingId: w.uploaded }), {
        'If-None-Match': a.headers.get('ETag') ?? '',
      });
      assert.equal(again.status, 304);
    },
  ],
  [
    'a token without the download right gets the links as null, the shape kept',
    async (w) => {
      const a = await get(w, `/recordings/${w.uploaded}`, await w.b.token({ recordingId: w.uploaded }, false));
      assert.equal(a.status, 200);
      assert.equal(a.json.data.download_url, null);
      assert.equal(a.json.data.audio_download_url, null);
    },
  ],
  [
    'a list without meeting_id is 400; a list is the newest recording of the meeting',
    async (w) => {
      envelope(await get(w, '/recordings', await w.b.token({ meetingId: w.weekly })), 400);
      const list = await get(w, `/recordings?meeting_id=${w.weekly}`, await w.b.token({ meetingId: w.weekly }));
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.json.data.map((/** @type {any} */ r) => r.id),
        [w.errored],
      );
      assert.deepEqual(list.json.paging, { total_count: 1, start_offset: 1, end_offset: 1 });
      const empty = await get(w, `/recordings?meeting_id=${w.quiet}`, await w.b.token({ meetingId: w.quiet }));
      assert.deepEqual(empty.json.data, []);
    },
  ],
  [
    'active-recording of a quiet meeting is 404 in RealtimeKit’s words',
    async (w) => {
      const a = await get(w, `/recordings/active-recording/${w.quiet}`, await w.b.token({ meetingId: w.quiet }));
      envelope(a, 404);
      assert.equal(a.json.error.message, 'No active recording found for this meeting');
    },
  ],
  [
    'a meeting token reads a recording only once the server has seen it in that meeting',
    async (w) => {
      const token = await w.b.token({ meetingId: w.weekly });
      envelope(await get(w, `/recordings/${w.uploaded}`, token), 403);
      await get(w, `/recordings?meeting_id=${w.weekly}`, token);
      assert.equal((await get(w, `/recordings/${w.errored}`, token)).status, 200);
    },
  ],
  [
    '/events needs exactly one target, and answers a failed first read as the read would',
    async (w) => {
      envelope(await get(w, '/events', await w.b.token({ meetingId: w.weekly })), 400);
      const missing = await get(w, '/events?recording_id=no-such', await w.b.token({ recordingId: 'no-such' }));
      envelope(missing, 404);
    },
  ],
  [
    '/events streams retry: 3000 and the snapshot, and ends after a terminal recording',
    async (w) => {
      const response = await fetch(`${w.b.url}/events?recording_id=${w.uploaded}`, {
        headers: {
          Accept: 'text/event-stream',
          Authorization: `Bearer ${await w.b.token({ recordingId: w.uploaded })}`,
        },
        signal: AbortSignal.timeout(15_000),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('Content-Type') ?? '', /^text\/event-stream/);
      const frames = new Frames(response);
      const first = await frames.next();
      assert.match(first ?? '', /^retry: 3000\nevent: recording\nid: \d+\ndata: \{/);
      assert.equal(JSON.parse(/^data: (.*)$/m.exec(first ?? '')?.[1] ?? '').status, 'UPLOADED');
      assert.equal(await frames.next(), null);
    },
  ],
  [
    '/token is 404 when the host mints the tokens',
    async (w) => {
      envelope(await get(w, `/token?recording_id=${w.uploaded}`, null), 404);
    },
  ],
  [
    'webhooks: too large 413, unsigned 401, malformed 400, other events ignored, repeats are duplicates',
    async (w) => {
      envelope(await post(w, 'x'.repeat(70 * 1024), { 'Content-Type': 'application/json' }), 413);
      const body = JSON.stringify(statusUpdate(w, w.errored));
      envelope(await post(w, body, { 'Content-Type': 'application/json', 'rtk-signature': 'AAAA' }), 401);
      envelope(await post(w, '{"event":', await signed(w, '{"event":')), 400);
      const other = '{"event":"meeting.started","meeting":{}}';
      assert.deepEqual((await post(w, other, await signed(w, other))).json, { success: true, ignored: true });
      const headers = await signed(w, body);
      assert.deepEqual((await post(w, body, headers)).json, { success: true });
      assert.deepEqual((await post(w, body, headers)).json, { success: true, duplicate: true });
    },
  ],
  [
    'webhooks are verified over the bytes sent: pretty-printed as signed is accepted, whitespace added after signing is not',
    async (w) => {
      const pretty = JSON.stringify(statusUpdate(w, w.errored), null, 2);
      assert.deepEqual((await post(w, pretty, await signed(w, pretty))).json, { success: true });
      const compact = JSON.stringify(statusUpdate(w, w.uploaded));
      const padded = await post(w, ` ${compact.replace(':', ' : ')}\n`, await signed(w, compact));
      assert.ok(padded.status === 401 || padded.status === 503, `HTTP ${padded.status}`);
      assert.equal(padded.json.success, false);
    },
  ],
  [
    'a signed webhook moves a watched recording on at once, and never back',
    async (w) => {
      const sim = w.b.upstream.simulator;
      w.b.upstream.webhookUrl = null;
      const recording = sim.startRecording(w.quiet);
      const token = await w.b.token({ recordingId: recording.id });
      const response = await fetch(`${w.b.url}/events?recording_id=${recording.id}`, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(15_000),
      });
      const frames = new Frames(response);
      assert.equal((await frames.recording()).status, 'INVOKED');
      const as = (/** @type {string} */ status) => {
        const payload = statusUpdate(w, recording.id);
        return JSON.stringify({ ...payload, recording: { ...payload.recording, status } });
      };
      for (const status of ['RECORDING', 'UPLOADING']) {
        assert.equal((await post(w, as(status), await signed(w, as(status)))).status, 200);
        assert.equal((await frames.recording()).status, status);
      }
      // Out of order: a late RECORDING after UPLOADING changes nothing.
      assert.equal((await post(w, as('RECORDING'), await signed(w, as('RECORDING')))).status, 200);
      const read = await get(w, `/recordings/${recording.id}`, token);
      assert.equal(read.json.data.status, 'UPLOADING');
      await frames.reader.cancel();
    },
  ],
  [
    'a malformed id is 400 before any upstream request: ids like .. never reach an upstream path',
    async (w) => {
      const before = await settledUpstream(w);
      const exp = Math.floor(Date.now() / 1000) + 300;
      for (const [path, claim, id] of /** @type {[string, string, string][]} */ ([
        ['/events?recording_id=..', 'rid', '..'],
        ['/recordings?meeting_id=..', 'mid', '..'],
        [`/recordings/${'x'.repeat(129)}`, 'rid', 'x'.repeat(129)],
      ])) {
        const token = await sign(/** @type {any} */ ({ aud: 'recording-status', exp, [claim]: id }), SECRET);
        const a = await get(w, path, token);
        envelope(a, 400);
        assert.match(a.json.error.message, /malformed/);
      }
      assert.equal(w.b.upstream.simulator.stats.upstreamRequests, before);
    },
  ],
  [
    'an unknown route is 404 with the envelope',
    async (w) => {
      envelope(await get(w, '/nope', null), 404);
    },
  ],
];

/**
 * The table as one suite against a backend.
 * @param {string} name
 * @param {(options: { startDelayMs: number, uploadMs: number }) => Promise<Backend>} start
 */
export function contractSuite(name, start) {
  describe(`the contract, on ${name}`, () => {
    /** @type {World} */
    let w;
    before(async () => {
      // Recordings stay where a row put them: nothing moves by itself during the table.
      const b = await start({ startDelayMs: 3_600_000, uploadMs: 3_600_000 });
      const sim = b.upstream.simulator;
      const [weekly, quiet] = [...sim.meetings.values()];
      const [uploaded, errored] = [...sim.recordings.values()];
      assert.ok(weekly && quiet && uploaded && errored);
      w = { b, weekly: weekly.id, quiet: quiet.id, uploaded: uploaded.id, errored: errored.id };
    });
    after(() => w.b.close());
    for (const [row, run] of table) it(row, () => run(w));
    it('no answer carries the API token or the signing secret', () => {
      assert.ok(seen.length > 20);
      for (const a of seen) {
        const all = `${a.text} ${JSON.stringify([...a.headers])}`;
        assert.equal(all.includes(API_TOKEN), false);
        assert.equal(all.includes(SECRET), false);
      }
    });
  });
}
