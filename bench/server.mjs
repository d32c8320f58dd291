// @ts-check
/**
 * The server half's benchmark: 1000 SSE viewers over 100 recordings through a full lifecycle
 * (INVOKED → RECORDING → PAUSED → RECORDING → UPLOADING → UPLOADED), every change delivered as a signed
 * webhook. Counts upstream requests (the goal: O(recordings), not O(viewers)), the server process's memory
 * per viewer, and webhook → event latency on loopback. A benchmark: it measures, it asserts nothing.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { RealtimeKitSimulator } from '../demo/simulator/simulator.js';
import { WebhookSigner } from '../demo/simulator/webhook-signer.js';
import { createViewerToken } from '../dist/server/index.js';

const RECORDINGS = 100;
const VIEWERS_PER_RECORDING = 10;
const SECRET = 'bench-viewer-token-secret-of-enough-length-0001';

/** @param {number[]} xs @param {number} q */
const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

export async function serverBench() {
  const simulator = new RealtimeKitSimulator({ apiToken: 'bench-api-token' });
  const signer = await WebhookSigner.create();
  const prefix = '/client/v4/accounts/bench/realtime/kit/bench';
  const upstream = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/.well-known/webhooks.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(signer.keyDocument());
      return;
    }
    const headers = /** @type {Record<string, string | undefined>} */ ({ authorization: req.headers.authorization });
    const answer = simulator.handleUpstream({
      method: 'GET',
      path: url.pathname.slice(prefix.length),
      query: url.searchParams,
      headers,
    });
    if (answer === 'hang') return;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = upstream.address();
  const upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const child = fork(new URL('./server-child.mjs', import.meta.url), {
    env: { ...process.env, BENCH_UPSTREAM: upstreamUrl, BENCH_SECRET: SECRET },
    execArgv: ['--expose-gc'],
  });
  /** @type {(message: string) => Promise<any>} */
  const ask = (message) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(message);
    });
  const { url } = /** @type {{ url: string }} */ (await new Promise((resolve) => child.once('message', resolve)));

  try {
    const meeting = simulator.addMeeting('Bench');
    const recordings = Array.from({ length: RECORDINGS }, () => simulator.startRecording(meeting.id));
    const before = await ask('memory');

    /** Per viewer: the statuses it saw, and when each arrived. @type {{ recording: string, seen: [string, number][], done: boolean }[]} */
    const viewers = [];
    const abort = new AbortController();
    for (const r of recordings) {
      const token = await createViewerToken(SECRET, { recordingId: r.id });
      for (let i = 0; i < VIEWERS_PER_RECORDING; i++) {
        const viewer = { recording: r.id, seen: /** @type {[string, number][]} */ ([]), done: false };
        viewers.push(viewer);
        const response = await fetch(`${url}/events?recording_id=${r.id}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: abort.signal,
        });
        void (async () => {
          const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              buffer += decoder.decode(value, { stream: true });
              let end;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const frame = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const data = /^data: (.*)$/m.exec(frame)?.[1];
                if (data) viewer.seen.push([JSON.parse(data).status, performance.now()]);
              }
            }
          } catch {
            // aborted at the end
          }
          viewer.done = true;
        })();
      }
    }
    const open = await ask('memory');
    const initialRequests = simulator.stats.upstreamRequests;

    /** Sends the recording's current state as a signed webhook; returns when it was sent. */
    const deliver = async (/** @type {any} */ r) => {
      const { body, headers } = await signer.delivery(simulator.webhookPayload(r));
      const sentAt = performance.now();
      const res = await fetch(`${url}/webhook`, { method: 'POST', body, headers });
      if (!res.ok) throw new Error(`webhook ${res.status}`);
      return sentAt;
    };
    const waitFor = async (/** @type {string} */ id, /** @type {string} */ status) => {
      for (let i = 0; i < 2000; i++) {
        if (viewers.filter((v) => v.recording === id).every((v) => v.seen.some(([s]) => s === status))) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`viewers of ${id} never saw ${status}`);
    };
    /** @type {number[]} */
    const latencies = [];
    const step = async (/** @type {string} */ status, /** @type {(r: any) => void} */ act) => {
      for (const r of recordings) {
        act(r);
        const sentAt = await deliver(r);
        await waitFor(r.id, status);
        for (const v of viewers) {
          if (v.recording !== r.id) continue;
          const arrived = v.seen.find(([s]) => s === status)?.[1];
          if (arrived !== undefined) latencies.push(arrived - sentAt);
        }
      }
    };
    // Time moves by the simulator's clock: each step applies the transition it names.
    let now = Date.now();
    simulator.now = () => now;
    await step('RECORDING', () => {
      now += 5000;
      simulator.tick();
    });
    await step('PAUSED', (r) => simulator.control(r.id, 'pause'));
    await step('RECORDING', (r) => simulator.control(r.id, 'resume'));
    await step('UPLOADING', (r) => simulator.control(r.id, 'stop'));
    await step('UPLOADED', () => {
      now += 60_000;
      simulator.tick();
    });
    for (let i = 0; i < 1000 && viewers.some((v) => !v.done); i++)
      await new Promise((resolve) => setImmediate(resolve));
    const after = await ask('memory');
    abort.abort();
    const viewerCount = viewers.length;
    const perViewer = (open.memory.heapUsed - before.memory.heapUsed) / viewerCount;
    return {
      viewers: viewerCount,
      recordings: RECORDINGS,
      upstreamRequests: simulator.stats.upstreamRequests,
      initialRequests,
      webhooks: after.stats.webhooks.accepted,
      ended: viewers.filter((v) => v.done).length,
      heapPerViewer: perViewer,
      rssPerViewer: (open.memory.rss - before.memory.rss) / viewerCount,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      events: latencies.length,
    };
  } finally {
    child.send('stop');
    upstream.close();
  }
}

/** The README's table rows. @param {Awaited<ReturnType<typeof serverBench>>} r */
export function serverRows(r) {
  return [
    `| server: ${r.viewers} SSE viewers over ${r.recordings} recordings, full lifecycle by signed webhooks | result |`,
    '|---|---:|',
    `| upstream requests for the whole run (goal: O(recordings)) | ${r.upstreamRequests} (${r.initialRequests} to open the streams) |`,
    `| webhooks accepted / events delivered | ${r.webhooks} / ${r.events} |`,
    `| streams ended by themselves after UPLOADED | ${r.ended} of ${r.viewers} |`,
    `| server heap per open viewer (its own process) | ${(r.heapPerViewer / 1024).toFixed(1)} KiB (RSS ${(r.rssPerViewer / 1024).toFixed(1)} KiB) |`,
    `| webhook → event at the viewer, loopback, p50 / p95 | ${r.p50.toFixed(1)} ms / ${r.p95.toFixed(1)} ms |`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(serverRows(await serverBench()).join('\n'));
}
