// @ts-check
/**
 * The server half's benchmark: 1000 SSE viewers over 100 recordings through a full lifecycle
 * (INVOKED → RECORDING → PAUSED → RECORDING → UPLOADING → UPLOADED), every change delivered as a signed
 * webhook. Counts upstream requests (the goal: O(recordings), not O(viewers)), the server process's memory
 * per viewer, and webhook → event latency on loopback. A benchmark: it measures, it asserts nothing.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { RealtimeKitSimulator } from '../src/simulator/simulator.js';
import { WebhookSigner } from '../src/simulator/webhook-signer.js';
import { createViewerToken } from '../dist/server/index.js';
import { watchLifecycle } from './lifecycle.mjs';

const RECORDINGS = 100;
const VIEWERS_PER_RECORDING = 10;
const SECRET = 'bench-viewer-token-secret-of-enough-length-0001';

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
    /** @type {any} */
    let open = null;
    const run = await watchLifecycle({
      url,
      simulator,
      signer,
      token: (recordingId) => createViewerToken(SECRET, { recordingId }),
      recordings,
      viewersPerRecording: VIEWERS_PER_RECORDING,
      opened: async () => {
        open = await ask('memory');
      },
    });
    const after = await ask('memory');
    return {
      ...run,
      webhooks: after.stats.webhooks.accepted,
      heapPerViewer: (open.memory.heapUsed - before.memory.heapUsed) / run.viewers,
      rssPerViewer: (open.memory.rss - before.memory.rss) / run.viewers,
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
