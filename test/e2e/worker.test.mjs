// @ts-check
/**
 * What only the Worker deployment must show (the contract table covers what it shares with Node): one hub
 * per target shared by every viewer, one budget for the deployment, state that survives a restart, idle
 * hubs that cost nothing, and delivery bursts applied once and never backwards. Run in workerd through
 * miniflare, over real HTTP.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sign } from 'hono/jwt';
import { rank } from '../../dist/lifecycle.js';
import { createViewerToken } from '../../dist/server/tokens.js';
import { WebhookSigner } from '../../src/simulator/webhook-signer.js';
import { SECRET, startWorker } from './backends.mjs';
import { followsToTheEnd, watch } from '../server/eventsource.mjs';
import { Frames } from '../server/frames.mjs';

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** @param {Parameters<typeof startWorker>[0]} options */
async function worker(options = {}) {
  const w = await startWorker({ startDelayMs: 3_600_000, uploadMs: 3_600_000, ...options });
  cleanups.push(() => w.close());
  // Deliveries are sent by each test, so that it knows what was sent and when.
  w.upstream.webhookUrl = null;
  return w;
}

const follow = async (/** @type {string} */ url, /** @type {string} */ token) => {
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(response.status, 200);
  return new Frames(response);
};

/** A signed statusUpdate for the recording, as it stands in the simulator, with `status` said. */
async function delivery(
  /** @type {Awaited<ReturnType<typeof worker>>} */ w,
  /** @type {string} */ id,
  /** @type {string} */ status,
) {
  const payload = w.upstream.simulator.webhookPayload(/** @type {any} */ (w.upstream.simulator.recordings.get(id)));
  return w.upstream.signer.delivery({ ...payload, recording: { ...payload.recording, status } });
}

const post = async (/** @type {string} */ url, /** @type {{ body: string, headers: Record<string, string> }} */ d) => {
  const response = await fetch(`${url}/webhook`, { method: 'POST', body: d.body, headers: d.headers });
  return { status: response.status, json: /** @type {any} */ (await response.json()) };
};

describe('the Worker and its Durable Objects', () => {
  it('a webhook reaches 200 viewers on 200 connections, for one upstream request for the lot', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Fan-out');
    const r = w.upstream.simulator.startRecording(meeting.id);
    // Each viewer its own token (a token may hold 32 streams at most).
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        sign(/** @type {any} */ ({ aud: 'recording-status', exp, rid: r.id, jti: i }), SECRET),
      ),
    );
    const before = w.upstream.simulator.stats.upstreamRequests;
    const viewers = await Promise.all(tokens.map((token) => follow(`${w.url}/events?recording_id=${r.id}`, token)));
    for (const v of viewers) assert.equal((await v.recording()).status, 'INVOKED');
    assert.equal((await post(w.url, await delivery(w, r.id, 'RECORDING'))).status, 200);
    const seen = await Promise.all(viewers.map((v) => v.recording()));
    assert.deepEqual(new Set(seen.map((s) => s.status)), new Set(['RECORDING']));
    assert.equal(w.upstream.simulator.stats.upstreamRequests - before, 1);
    const stats = await w.hubStats(`recording:${r.id}`);
    assert.equal(stats.follows, 200);
    assert.equal(stats.viewers, 200);
    // The terminal event ends every stream, and with it every socket to the hub.
    assert.equal((await post(w.url, await delivery(w, r.id, 'ERRORED'))).status, 200);
    for (const v of viewers) {
      assert.equal((await v.recording()).status, 'ERRORED');
      assert.equal(await v.next(), null);
    }
  });

  it('holds two hubs and a burst of 2000 reads to the one budget of the deployment', async () => {
    const w = await worker({ budget: 30, freshFor: 1 });
    const meeting = w.upstream.simulator.addMeeting('Burst');
    const ids = [
      w.upstream.simulator.startRecording(meeting.id).id,
      w.upstream.simulator.startRecording(meeting.id).id,
    ];
    // Fifty viewers (each its own subject, each with its own share): together they can spend the whole budget.
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sign(/** @type {any} */ ({ aud: 'recording-status', exp, rid: ids[i % 2], sub: `viewer-${i}` }), SECRET),
      ),
    );
    const before = w.upstream.simulator.stats.upstreamRequests;
    const startedAt = Date.now();
    /** @type {{ status: number, age: string | null, retryAfter: string | null }[]} */
    const answers = [];
    for (let wave = 0; wave < 40; wave++) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const res = await fetch(`${w.url}/recordings/${ids[i % 2]}`, {
            headers: { Authorization: `Bearer ${tokens[i]}` },
          });
          await res.arrayBuffer();
          return { status: res.status, age: res.headers.get('Age'), retryAfter: res.headers.get('Retry-After') };
        }),
      );
      answers.push(...batch);
    }
    assert.equal(answers.length, 2000);
    const spent = w.upstream.simulator.stats.upstreamRequests - before;
    // The bucket refills smoothly: 30 a minute is one more every 2 s of the burst.
    const allowed = 30 + Math.floor(((Date.now() - startedAt) * 30) / 60_000);
    assert.ok(spent <= allowed, `${spent} upstream requests for a budget of ${allowed}`);
    // Once it is spent, readers get the last snapshot, said to be stale, rather than an error.
    assert.ok(answers.every((a) => a.status === 200));
    assert.ok(answers.some((a) => a.age !== null));
    // A target nobody has read yet has no snapshot to fall back on: 429 with Retry-After (the bucket refills one
    // request every 2 s meanwhile, so of a few new targets at least one finds it empty).
    const refusals = [];
    let emptyAt = 0;
    for (let i = 0; i < 4; i++) {
      const third = w.upstream.simulator.startRecording(meeting.id).id;
      const res = await fetch(`${w.url}/recordings/${third}`, {
        headers: { Authorization: `Bearer ${await w.token({ recordingId: third })}` },
      });
      await res.arrayBuffer();
      if (res.status === 429) {
        refusals.push(res.headers.get('Retry-After') ?? '');
        emptyAt = Date.now();
      }
    }
    assert.ok(refusals.length > 0);
    for (const retryAfter of refusals) assert.match(retryAfter, /^\d+$/);
    const health = /** @type {any} */ (await (await fetch(`${w.url}/healthz`)).json());
    assert.equal(health.budget.perMinute, 30);
    // Spent: what is left is at most what refilled since a read last found the bucket empty (one every 2 s).
    const refilled = Math.ceil(((Date.now() - emptyAt) * 30) / 60_000);
    assert.ok(health.budget.left <= refilled, `${health.budget.left} left, ${refilled} refilled since it was empty`);
  });

  it('a hub restarted mid-lifecycle resumes from storage: never backwards, seq goes on, deliveries stay de-duplicated', async () => {
    const persist = await mkdtemp(join(tmpdir(), 'recording-status-do-'));
    cleanups.push(() => rm(persist, { recursive: true, force: true }));
    const w = await worker({ persist });
    const meeting = w.upstream.simulator.addMeeting('Restart');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await w.token({ recordingId: r.id });
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, token);
    assert.equal((await stream.recording()).status, 'INVOKED');
    const recording = await delivery(w, r.id, 'RECORDING');
    await post(w.url, recording);
    assert.equal((await stream.recording()).status, 'RECORDING');
    const seqBefore = (await w.hubStats(`recording:${r.id}`)).seq;
    await stream.reader.cancel();

    await w.restart();
    // RealtimeKit lags behind (it still says INVOKED): the stored snapshot wins.
    /** @type {any} */ (w.upstream.simulator.recordings.get(r.id)).status = 'INVOKED';
    const again = await follow(`${w.url}/events?recording_id=${r.id}`, token);
    const first = await again.next();
    assert.equal(JSON.parse(/^data: (.*)$/m.exec(first ?? '')?.[1] ?? 'null').status, 'RECORDING');
    assert.ok(Number(/^id: (\d+)$/m.exec(first ?? '')?.[1]) >= seqBefore);
    assert.deepEqual((await post(w.url, recording)).json, { success: true, duplicate: true });
    await again.reader.cancel();
  });

  it('a burst of duplicate and out-of-order deliveries changes state once per delivery and never backwards', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Storm');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, await w.token({ recordingId: r.id }));
    assert.equal((await stream.recording()).status, 'INVOKED');
    const deliveries = [];
    for (const status of ['RECORDING', 'PAUSED', 'UPLOADING', 'UPLOADED'])
      deliveries.push(await delivery(w, r.id, status));
    // Ten copies of each, shuffled (a seeded shuffle: the same storm every run).
    const storm = deliveries.flatMap((d) => Array.from({ length: 10 }, () => d));
    let seed = 7;
    for (let i = storm.length - 1; i > 0; i--) {
      seed = (seed * 48271) % 2147483647;
      const j = seed % (i + 1);
      [storm[i], storm[j]] = [/** @type {any} */ (storm[j]), /** @type {any} */ (storm[i])];
    }
    const answers = await Promise.all(storm.map((d) => post(w.url, d)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(answers.filter((a) => a.json.duplicate === true).length, 36);
    /** @type {string[]} */
    const seen = [];
    for (let r2 = await stream.recording(); r2 !== undefined; r2 = await stream.recording()) seen.push(r2.status);
    assert.equal(seen.at(-1), 'UPLOADED');
    for (let i = 1; i < seen.length; i++) {
      assert.ok(rank(/** @type {any} */ (seen[i])) >= rank(/** @type {any} */ (seen[i - 1])), seen.join(' → '));
    }
    assert.ok(seen.length <= 4, seen.join(' → '));
  });

  it('a signed delivery replayed with a new rtk-uuid is a duplicate in the recording’s hub and its meeting’s', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Replay');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const stream = await follow(`${w.url}/events?meeting_id=${meeting.id}`, await w.token({ meetingId: meeting.id }));
    assert.equal((await stream.recording()).status, 'INVOKED');
    const paused = await delivery(w, r.id, 'PAUSED');
    assert.deepEqual((await post(w.url, paused)).json, { success: true });
    assert.equal((await stream.recording()).status, 'PAUSED');
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'RECORDING'))).json, { success: true });
    assert.equal((await stream.recording()).status, 'RECORDING');
    const replay = { body: paused.body, headers: { ...paused.headers, 'rtk-uuid': 'replay-1' } };
    assert.deepEqual((await post(w.url, replay)).json, { success: true, duplicate: true });
    const read = await fetch(`${w.url}/recordings/${r.id}`, {
      headers: { Authorization: `Bearer ${await w.token({ recordingId: r.id })}` },
    });
    assert.equal(/** @type {any} */ (await read.json()).data.status, 'RECORDING');
    // The meeting's viewers saw nothing move back either: the next thing they see is the next real change.
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'UPLOADING'))).json, { success: true });
    assert.equal((await stream.recording()).status, 'UPLOADING');
    await stream.reader.cancel();
  });

  it('hole 10: a genuine repeat acknowledged while RealtimeKit fails reaches viewers once it answers again, not at reconciliation', async () => {
    const w = await worker();
    const sim = w.upstream.simulator;
    const meeting = sim.addMeeting('Faulting');
    const r = sim.startRecording(meeting.id);
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, await w.token({ recordingId: r.id }));
    assert.equal((await stream.recording()).status, 'INVOKED');
    const recording = await delivery(w, r.id, 'RECORDING');
    assert.deepEqual((await post(w.url, recording)).json, { success: true });
    assert.equal((await stream.recording()).status, 'RECORDING');
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'PAUSED'))).json, { success: true });
    assert.equal((await stream.recording()).status, 'PAUSED');
    // The recording resumes: RealtimeKit's RECORDING body is byte for byte the first one, so it needs a check, and
    // RealtimeKit fails the check.
    /** @type {any} */ (sim.recordings.get(r.id)).status = 'RECORDING';
    const handle = sim.handleUpstream.bind(sim);
    sim.handleUpstream = () => ({ status: 503, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const resumed = { body: recording.body, headers: { ...recording.headers, 'rtk-uuid': crypto.randomUUID() } };
    assert.deepEqual((await post(w.url, resumed)).json, { success: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    sim.handleUpstream = handle;
    // Reconciliation would come 30 s after the last webhook; the failed check is asked again a window (5 s) on.
    const shown = await Promise.race([
      stream.recording(),
      new Promise((resolve) => setTimeout(resolve, 12_000, 'nothing within 12 s')),
    ]);
    assert.equal(/** @type {any} */ (shown)?.status ?? shown, 'RECORDING');
    await stream.reader.cancel();
  });

  it('hole 1: a flood of the current body under fresh ids never pushes an old PAUSED out of either hub’s replay memory', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Flood');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const stream = await follow(`${w.url}/events?meeting_id=${meeting.id}`, await w.token({ meetingId: meeting.id }));
    assert.equal((await stream.recording()).status, 'INVOKED');
    const paused = await delivery(w, r.id, 'PAUSED');
    assert.deepEqual((await post(w.url, paused)).json, { success: true });
    assert.equal((await stream.recording()).status, 'PAUSED');
    const recording = await delivery(w, r.id, 'RECORDING');
    assert.deepEqual((await post(w.url, recording)).json, { success: true });
    assert.equal((await stream.recording()).status, 'RECORDING');
    for (let i = 0; i < 140; i++) {
      const flood = { body: recording.body, headers: { ...recording.headers, 'rtk-uuid': crypto.randomUUID() } };
      assert.deepEqual((await post(w.url, flood)).json, { success: true, duplicate: true });
    }
    const replay = { body: paused.body, headers: { ...paused.headers, 'rtk-uuid': crypto.randomUUID() } };
    assert.deepEqual((await post(w.url, replay)).json, { success: true, duplicate: true });
    const read = await fetch(`${w.url}/recordings/${r.id}`, {
      headers: { Authorization: `Bearer ${await w.token({ recordingId: r.id })}` },
    });
    assert.equal(/** @type {any} */ (await read.json()).data.status, 'RECORDING');
    // The meeting's viewers saw nothing move back: the next thing they see is the next real change.
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'UPLOADING'))).json, { success: true });
    assert.equal((await stream.recording()).status, 'UPLOADING');
    await stream.reader.cancel();
  });

  it('hole 8: numbers in wrangler vars are taken as numbers, not silently replaced by the defaults', async () => {
    const w = await worker({ vars: { RECORDING_STATUS_BUDGET: 300, RECORDING_STATUS_STREAMS_PER_TOKEN: 1 } });
    const health = /** @type {any} */ (await (await fetch(`${w.url}/healthz`)).json());
    assert.equal(health.budget.perMinute, 300);
    const meeting = w.upstream.simulator.addMeeting('Numbers');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await w.token({ recordingId: r.id });
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, token);
    const second = await fetch(`${w.url}/events?recording_id=${r.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(second.status, 429);
    await second.arrayBuffer();
    await stream.reader.cancel();
  });

  it("delivery ids not in RealtimeKit's shape are not stored: 130 replays under 16 KB ids leave both hubs' rows small", async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Long ids');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const stream = await follow(`${w.url}/events?meeting_id=${meeting.id}`, await w.token({ meetingId: meeting.id }));
    assert.equal((await stream.recording()).status, 'INVOKED');
    const recording = await delivery(w, r.id, 'RECORDING');
    assert.deepEqual((await post(w.url, recording)).json, { success: true });
    assert.equal((await stream.recording()).status, 'RECORDING');
    for (let i = 0; i < 130; i++) {
      const uuid = `${String(i).padStart(4, '0')}-`.padEnd(16 * 1024 - 64, 'x');
      const replay = { body: recording.body, headers: { ...recording.headers, 'rtk-uuid': uuid } };
      assert.deepEqual((await post(w.url, replay)).json, { success: true, duplicate: true });
    }
    // A genuine delivery is still applied, and its viewers told; the rows it rewrites hold no sender's ids.
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'UPLOADING'))).json, { success: true });
    assert.equal((await stream.recording()).status, 'UPLOADING');
    for (const name of [`recording:${r.id}`, `meeting:${meeting.id}`]) {
      const { bytes } = await w.hubStats(name);
      assert.ok(bytes < 200_000, `${name}: ${bytes} bytes`);
    }
    await stream.reader.cancel();
  });

  it('hole 6: a delivery signed by a just-rotated key gets 503 with Retry-After, never a 4xx RealtimeKit would not retry', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Rotation');
    const r = w.upstream.simulator.startRecording(meeting.id);
    assert.deepEqual((await post(w.url, await delivery(w, r.id, 'RECORDING'))).json, { success: true });
    // RealtimeKit rotates its key: the key document and every later delivery change.
    const next = await WebhookSigner.create();
    Object.assign(w.upstream.signer, { keys: next.keys, publicKeyPem: next.publicKeyPem });
    const rotated = await delivery(w, r.id, 'PAUSED');
    const response = await fetch(`${w.url}/webhook`, { method: 'POST', body: rotated.body, headers: rotated.headers });
    assert.equal(response.status, 503);
    const retryAfter = Number(response.headers.get('Retry-After'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal(/** @type {any} */ (await response.json()).error.code, 503);
  });

  it('hole 12: anonymous /healthz is answered from the isolate for a few seconds, not by the budget object each time', async () => {
    const w = await worker();
    assert.equal((await fetch(`${w.url}/healthz`)).status, 200);
    const before = (await w.budgetStats()).requests;
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const response = await fetch(`${w.url}/healthz`);
        return { status: response.status, json: /** @type {any} */ (await response.json()) };
      }),
    );
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${w.url}/healthz`);
      answers.push({ status: response.status, json: /** @type {any} */ (await response.json()) });
    }
    assert.ok(answers.every((a) => a.status === 200 && a.json.budget.perMinute === 900));
    // The budget object counts the /stats asked of it here too. One request answers them all (two, should the
    // checks straddle the end of a cache period).
    const spent = (await w.budgetStats()).requests - before - 1;
    assert.ok(spent <= 2, `${spent} requests to the budget object for 60 health checks`);
  });

  it('reconciliation is scheduled only while someone watches; a settled hub keeps one alarm, a week on, to forget', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Idle');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const name = `recording:${r.id}`;
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, await w.token({ recordingId: r.id }));
    await stream.recording();
    assert.notEqual((await w.hubStats(name)).alarm, null);
    // The recording ends: the Worker ends the stream, its socket to the hub closes, and reconciliation stops.
    await post(w.url, await delivery(w, r.id, 'ERRORED'));
    assert.equal((await stream.recording()).status, 'ERRORED');
    assert.equal(await stream.next(), null);
    let stats = await w.hubStats(name);
    // The close travels Worker → hub: wait for it, boundedly.
    const weekFromNow = Date.now() + 7 * 24 * 3600_000;
    for (let i = 0; i < 100 && (stats.viewers > 0 || !(stats.alarm > weekFromNow - 60_000)); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      stats = await w.hubStats(name);
    }
    assert.equal(stats.viewers, 0);
    // The one alarm left is a week away: it deletes the hub's storage, and no reconciliation wakes it before.
    assert.ok(Math.abs(stats.alarm - weekFromNow) < 60_000, `alarm at ${new Date(stats.alarm).toISOString()}`);
    assert.ok(stats.bytes > 0);
  });

  it('HEAD /events answers as GET would and opens no feed to the hub', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Head');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await w.token({ recordingId: r.id });
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${w.url}/events?recording_id=${r.id}`, {
        method: 'HEAD',
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    }
    // A feed the Worker opened would show as a follow, and as a viewer until its socket closes.
    const stats = await w.hubStats(`recording:${r.id}`);
    assert.equal(stats.follows, 0);
    assert.equal(stats.viewers, 0);
  });

  it("a stream ends at its token's expiry with a retry:, and its feed to the hub closes", async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Expiry');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await createViewerToken(SECRET, { recordingId: r.id }, { ttl: 2 });
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, token);
    assert.equal((await stream.recording()).status, 'INVOKED');
    // Within the token's two seconds the stream ends by itself; without the fix it runs on (the test times out).
    const frames = [];
    for (let frame = await stream.next(); frame !== null; frame = await stream.next()) frames.push(frame);
    assert.match(String(frames.at(-1)), /^retry: \d+$/);
    let stats = await w.hubStats(`recording:${r.id}`);
    for (let i = 0; i < 100 && stats.viewers > 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      stats = await w.hubStats(`recording:${r.id}`);
    }
    assert.equal(stats.viewers, 0);
  });

  it('EventSource: every status once; a reconnect past the terminal event gets 204 and the client stops', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('EventSource');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await w.token({ recordingId: r.id });
    await followsToTheEnd(
      `${w.url}/events?recording_id=${r.id}`,
      async () => token,
      async (status) => {
        assert.equal((await post(w.url, await delivery(w, r.id, status))).status, 200);
      },
    );
  });

  it('EventSource: a reconnect with Last-Event-ID resumes without resending what the client has seen', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Resume');
    const r = w.upstream.simulator.startRecording(meeting.id);
    let minted = 0;
    // The first token lives two seconds (its stream ends then); the widget renews it for the reconnect.
    const tokenOf = () => createViewerToken(SECRET, { recordingId: r.id }, { ttl: minted++ === 0 ? 2 : 600 });
    const viewer = watch(`${w.url}/events?recording_id=${r.id}`, tokenOf);
    try {
      await viewer.until(() => viewer.seen.length === 1);
      await viewer.until(() => viewer.requests.length === 2 && viewer.source.readyState === viewer.source.OPEN);
      assert.equal(viewer.requests[1]?.lastEventId, viewer.seen[0]?.id);
      assert.equal((await post(w.url, await delivery(w, r.id, 'RECORDING'))).status, 200);
      await viewer.until(() => viewer.statuses().includes('RECORDING'));
      assert.deepEqual(viewer.statuses(), ['INVOKED', 'RECORDING']);
    } finally {
      viewer.source.close();
    }
  });

  it("one subject's reads spend at most its share of the deployment's budget; another subject still reads", async () => {
    const w = await worker({ budget: 30 });
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tokenOf = (/** @type {string} */ sub, /** @type {string} */ rid) =>
      sign(/** @type {any} */ ({ aud: 'recording-status', exp, rid, sub }), SECRET);
    const before = w.upstream.simulator.stats.upstreamRequests;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${w.url}/recordings/invented-${i}`, {
        headers: { Authorization: `Bearer ${await tokenOf('user-1', `invented-${i}`)}` },
      });
      await res.arrayBuffer();
    }
    const spent = w.upstream.simulator.stats.upstreamRequests - before;
    assert.ok(spent <= 6, `one subject spent ${spent} of 30`);
    const meeting = w.upstream.simulator.addMeeting('Share');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const res = await fetch(`${w.url}/recordings/${r.id}`, {
      headers: { Authorization: `Bearer ${await tokenOf('user-2', r.id)}` },
    });
    assert.equal(res.status, 200);
  });

  it('deliveries about an older recording of a watched meeting cost one list read, not one each', async () => {
    const w = await worker();
    const sim = w.upstream.simulator;
    const meeting = sim.addMeeting('Replays');
    const old = sim.startRecording(meeting.id);
    /** @type {any} */ (old).invokedAt -= 60_000;
    const newer = sim.startRecording(meeting.id);
    const token = await w.token({ meetingId: meeting.id });
    const read = async () =>
      /** @type {any} */ (
        await (
          await fetch(`${w.url}/recordings?meeting_id=${meeting.id}`, { headers: { Authorization: `Bearer ${token}` } })
        ).json()
      );
    assert.equal((await read()).data[0].id, newer.id);
    const before = sim.stats.upstreamRequests;
    const payload = sim.webhookPayload(/** @type {any} */ (sim.recordings.get(old.id)));
    for (let i = 0; i < 60; i++) {
      const status = i % 2 ? 'PAUSED' : 'RECORDING';
      const d = await w.upstream.signer.delivery({
        ...payload,
        recording: { ...payload.recording, status, outputFileName: `part-${i}` },
      });
      assert.equal((await post(w.url, d)).status, 200);
    }
    const spent = sim.stats.upstreamRequests - before;
    assert.ok(spent <= 1, `${spent} upstream requests for 60 deliveries`);
    assert.equal((await read()).data[0].id, newer.id);
  });

  it('caps the streams one viewer token may hold open: 429 with Retry-After beyond 32', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Caps');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const token = await w.token({ recordingId: r.id });
    const streams = [];
    for (let i = 0; i < 32; i++) streams.push(await follow(`${w.url}/events?recording_id=${r.id}`, token));
    const over = await fetch(`${w.url}/events?recording_id=${r.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(over.status, 429);
    assert.match(over.headers.get('Retry-After') ?? '', /^\d+$/);
    await over.arrayBuffer();
    for (const s of streams) await s.reader.cancel();
  });

  it('a hub nobody watches always has its deletion scheduled: soon when unknown, about a day while unsettled', async () => {
    const w = await worker();
    const hour = 3600_000;
    const alarmOf = async (/** @type {string} */ name) => (await w.hubStats(name)).alarm;
    for (let i = 0; i < 3; i++) {
      const id = `made-up-${i}`;
      const res = await fetch(`${w.url}/recordings/${id}`, {
        headers: { Authorization: `Bearer ${await w.token({ recordingId: id })}` },
      });
      assert.equal(res.status, 404);
      const alarm = await alarmOf(`recording:${id}`);
      assert.ok(alarm !== null && alarm <= Date.now() + hour, `unknown target: alarm ${alarm}`);
    }
    // One read of a live recording, then nobody: kept for about a day, not for ever.
    const meeting = w.upstream.simulator.addMeeting('Left');
    const live = w.upstream.simulator.startRecording(meeting.id);
    const read = await fetch(`${w.url}/recordings/${live.id}`, {
      headers: { Authorization: `Bearer ${await w.token({ recordingId: live.id })}` },
    });
    assert.equal(read.status, 200);
    const day = await alarmOf(`recording:${live.id}`);
    assert.ok(day !== null && Math.abs(day - (Date.now() + 24 * hour)) < hour, `unsettled: alarm ${day}`);
    // Known only from webhooks whose terminal delivery never came: the same.
    const quiet = w.upstream.simulator.addMeeting('Lost terminal delivery');
    const fed = w.upstream.simulator.startRecording(quiet.id);
    assert.equal((await post(w.url, await delivery(w, fed.id, 'RECORDING'))).status, 200);
    for (const name of [`recording:${fed.id}`, `meeting:${quiet.id}`]) {
      const alarm = await alarmOf(name);
      assert.ok(alarm !== null && alarm <= Date.now() + 25 * hour, `${name}: alarm ${alarm}`);
    }
  });

  it('when the last viewer of an unsettled recording leaves, its alarm becomes the one that deletes it, a day on', async () => {
    const w = await worker();
    const meeting = w.upstream.simulator.addMeeting('Last viewer');
    const r = w.upstream.simulator.startRecording(meeting.id);
    const name = `recording:${r.id}`;
    // A two-second token: its stream ends by itself (a cancelled one is noticed only at the next keepalive).
    const token = await createViewerToken(SECRET, { recordingId: r.id }, { ttl: 2 });
    const stream = await follow(`${w.url}/events?recording_id=${r.id}`, token);
    await stream.recording();
    const watched = (await w.hubStats(name)).alarm;
    assert.ok(watched !== null && watched <= Date.now() + 60_000, 'reconciliation while watched');
    while ((await stream.next()) !== null);
    const dayOn = Date.now() + 24 * 3600_000;
    let stats = await w.hubStats(name);
    for (let i = 0; i < 200 && (stats.viewers > 0 || !(stats.alarm > dayOn - 3600_000)); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      stats = await w.hubStats(name);
    }
    assert.equal(stats.viewers, 0);
    assert.ok(Math.abs(stats.alarm - dayOn) < 3600_000, `alarm at ${new Date(stats.alarm).toISOString()}`);
  });

  it("upstream's 404 is remembered beyond freshFor: a made-up id read again and again costs one request", async () => {
    const w = await worker({ freshFor: 1 });
    const token = await w.token({ recordingId: 'made-up-again' });
    const before = w.upstream.simulator.stats.upstreamRequests;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${w.url}/recordings/made-up-again`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 404);
      await res.arrayBuffer();
    }
    assert.equal(w.upstream.simulator.stats.upstreamRequests - before, 1);
  });
});
