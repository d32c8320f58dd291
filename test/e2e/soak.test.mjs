// @ts-check
/**
 * A churn soak on an injected clock, with an upstream that faults 20 s of every 30 s: viewers come and go on
 * recording and meeting streams with short-lived tokens, recordings move through their lifecycle (a resume can
 * repeat an earlier body byte for byte), and genuine deliveries are re-sent under new ids and forged. Every stream
 * the server ends itself must have been sent what the server acknowledged, once RealtimeKit could confirm it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sign } from 'hono/jwt';
import { SECRET, setup } from '../server/helpers.mjs';

/** Upstream faults for the first 20 s of every 30 s. */
const down = (/** @type {number} */ elapsed) => elapsed % 30_000 < 20_000;
/**
 * By when a status acknowledged at `at` must have reached viewers: a read may be needed first (a repeated body's
 * check, a meeting's new recording to place), and a check waits up to a window (5 s) and for RealtimeKit to
 * answer. So: 6 s into the first stretch of 6 s in which upstream answers throughout.
 */
const owedBy = (/** @type {number} */ at) => {
  let from = at;
  for (let t = at; t < from + 6_000; t += 100) if (down(t)) from = t + 100;
  return from + 6_000;
};

describe('server soak', () => {
  it('hole 10: with upstream faulting, every stream the server ends was sent each status it acknowledged', async () => {
    let seed = 17;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const t = await setup({ streams: { perToken: 100, perTarget: 5000, total: 10_000 } });
    // Tokens are checked against the real clock and end on the server's: start the server's clock after now.
    t.clock.now_ = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const start = t.clock.now();
    const sim = t.simulator;
    const meetings = Array.from({ length: 4 }, (_, i) => sim.addMeeting(`Soak ${i}`));
    /** @type {{ id: string, meetingId: string, status: string, at: number }[]} */
    const acks = [];
    /** @type {{ body: string, headers: Record<string, string> }[]} */
    const sent = [];
    /** @type {{ kind: string, id: string, shown: any[], endedAt: number | null, cancelled: boolean, reader: ReadableStreamDefaultReader<Uint8Array> }[]} */
    const streams = [];
    let jti = 0;

    const post = async (/** @type {any} */ r) => {
      const d = await t.delivery(r);
      sent.push(d);
      if ((await t.post(d)).status === 200) {
        acks.push({ id: r.id, meetingId: r.meetingId, status: r.status, at: t.clock.now() - start });
      }
    };
    const open = async (/** @type {'recording' | 'meeting'} */ kind, /** @type {string} */ id) => {
      const exp = Math.floor(t.clock.now() / 1000) + 5 + Math.floor(random() * 15);
      const claim = kind === 'recording' ? { rid: id } : { mid: id };
      const token = await sign(/** @type {any} */ ({ aud: 'recording-status', exp, jti: ++jti, ...claim }), SECRET);
      const res = await t.get(`/events?${kind}_id=${id}`, token);
      if (res.status !== 200) return void (await res.arrayBuffer());
      const reader = /** @type {ReadableStream<Uint8Array>} */ (res.body).getReader();
      const stream = {
        kind,
        id,
        shown: /** @type {any[]} */ ([]),
        endedAt: /** @type {number | null} */ (null),
        cancelled: false,
        reader,
      };
      streams.push(stream);
      void (async () => {
        const decoder = new TextDecoder();
        let text = '';
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          text += decoder.decode(read.value, { stream: true });
          for (const data of text.matchAll(/^data: (.*)$/gm)) stream.shown.push(JSON.parse(data[1] ?? 'null'));
          text = text.slice(text.lastIndexOf('\n\n') + 2);
        }
        stream.endedAt = t.clock.now() - start;
      })().catch(() => {
        stream.cancelled = true;
      });
    };

    /** @type {Map<string, any>} */
    const live = new Map();
    const next = /** @type {Record<string, string[]>} */ ({
      INVOKED: ['RECORDING'],
      RECORDING: ['PAUSED', 'UPLOADING'],
      PAUSED: ['RECORDING'],
      UPLOADING: ['UPLOADED'],
    });
    for (let elapsed = 0; elapsed < 150_000; elapsed += 100) {
      t.world.upstreamDown = down(elapsed);
      for (const m of meetings) {
        const r = live.get(m.id);
        if (r === undefined || r.status === 'UPLOADED') {
          if (random() < 0.02) {
            const started = sim.startRecording(m.id);
            started.next = null;
            live.set(m.id, started);
            await post(started);
          }
        } else if (random() < 0.03) {
          const options = next[r.status] ?? [];
          const to = options[Math.floor(random() * options.length)];
          if (r.status === 'INVOKED')
            Object.assign(r, { status: 'RECORDING', startedAt: t.clock.now(), lastResumedAt: t.clock.now() });
          else if (to === 'PAUSED') sim.control(r.id, 'pause');
          else if (to === 'RECORDING') sim.control(r.id, 'resume');
          else if (to === 'UPLOADING') Object.assign(r, (sim.control(r.id, 'stop'), { next: null }));
          else r.status = 'UPLOADED';
          await post(r);
        }
      }
      const old = sent[Math.floor(random() * sent.length)];
      if (old !== undefined && random() < 0.2) {
        await t.post({ body: old.body, headers: { ...old.headers, 'rtk-uuid': crypto.randomUUID() } });
      }
      if (old !== undefined && random() < 0.1) {
        await t.post({ body: old.body, headers: { ...old.headers, 'rtk-signature': btoa('forged'.padEnd(256)) } });
      }
      if (random() < 0.5) {
        const m = /** @type {any} */ (meetings[Math.floor(random() * meetings.length)]);
        const r = live.get(m.id);
        if (r === undefined || random() < 0.5) await open('meeting', m.id);
        else await open('recording', r.id);
      }
      for (const s of streams) {
        if (s.endedAt === null && !s.cancelled && random() < 0.002) {
          s.cancelled = true;
          void s.reader.cancel().catch(() => undefined);
        }
      }
      await t.clock.advance(100);
    }

    const missed = [];
    let checked = 0;
    for (const s of streams) {
      if (s.endedAt === null || s.cancelled) continue;
      const ended = s.endedAt;
      const mine = acks.filter((a) => (s.kind === 'recording' ? a.id === s.id : a.meetingId === s.id));
      // The newest status acknowledged long enough before the end, and what came after it.
      const owed = mine.filter((a) => owedBy(a.at) <= ended).at(-1);
      if (owed === undefined) continue;
      checked++;
      const last = s.shown.at(-1);
      const since = mine.slice(mine.indexOf(owed));
      if (!since.some((a) => a.id === last?.id && a.status === last?.status)) {
        missed.push(
          `${s.kind} stream ended at ${ended} ms showing ${last?.status}; ${owed.status} acknowledged at ${owed.at} ms`,
        );
      }
    }
    assert.ok(checked > 100, `only ${checked} streams ended by the server after a status was owed`);
    assert.deepEqual(missed, []);
  });
});
