// @ts-check
/**
 * The Worker's row: the same lifecycle as bench/server.mjs (1000 SSE viewers over 100 recordings, every change
 * a signed webhook), served by the Worker and its Durable Objects in workerd (miniflare, over real HTTP on
 * 127.0.0.1). Counts what the deployment pays for: upstream requests, and requests to the hubs and to the
 * budget object, as those objects count them. Measures; asserts nothing.
 */
import { createViewerToken } from '../dist/server/index.js';
import { SECRET, startWorker } from '../test/e2e/backends.mjs';
import { watchLifecycle } from './lifecycle.mjs';

const RECORDINGS = 100;
const VIEWERS_PER_RECORDING = 10;

export async function workerBench() {
  const worker = await startWorker({ startDelayMs: 3_600_000, uploadMs: 3_600_000 });
  try {
    const { simulator, signer } = worker.upstream;
    // The benchmark delivers every webhook itself, to time it.
    worker.upstream.webhookUrl = null;
    const meeting = simulator.addMeeting('Bench');
    const recordings = Array.from({ length: RECORDINGS }, () => simulator.startRecording(meeting.id));
    const before = simulator.stats.upstreamRequests;
    const run = await watchLifecycle({
      url: worker.url,
      simulator,
      signer,
      token: (recordingId) => createViewerToken(SECRET, { recordingId }),
      recordings,
      viewersPerRecording: VIEWERS_PER_RECORDING,
    });
    let hubRequests = 0;
    let follows = 0;
    let messages = 0;
    let alarms = 0;
    let rowsWritten = 0;
    let rowsRead = 0;
    let bytes = 0;
    for (const r of recordings) {
      const stats = await worker.hubStats(`recording:${r.id}`);
      // A hub counts its reads (a follow's included) as `requests` and its deliveries as `webhooks`: together, the
      // calls the Worker made to it here. Neither counts `stats()`, nor `inMeeting()` (only a meeting token's read
      // of a recording calls it, and this bench has none).
      hubRequests += stats.requests + stats.webhooks;
      follows += stats.follows;
      messages += stats.messages;
      alarms += stats.alarms;
      rowsWritten += stats.rowsWritten;
      rowsRead += stats.rowsRead;
      bytes += stats.bytes;
    }
    const meetingHub = await worker.hubStats(`meeting:${meeting.id}`);
    hubRequests += meetingHub.requests + meetingHub.webhooks;
    rowsWritten += meetingHub.rowsWritten;
    rowsRead += meetingHub.rowsRead;
    const budget = await worker.budgetStats();
    return {
      ...run,
      upstreamRequests: simulator.stats.upstreamRequests - before,
      hubRequests,
      follows,
      messages,
      alarms,
      rowsWritten,
      rowsRead,
      bytesPerHub: bytes / recordings.length,
      budgetRequests: budget.requests - 1,
    };
  } finally {
    await worker.close();
  }
}

/** The README's table rows. @param {Awaited<ReturnType<typeof workerBench>>} r */
export function workerRows(r) {
  return [
    `| Worker + Durable Objects (workerd): ${r.viewers} SSE viewers over ${r.recordings} recordings, full lifecycle by signed webhooks | result |`,
    '|---|---:|',
    `| upstream requests for the whole run | ${r.upstreamRequests} (${(r.upstreamRequests / r.recordings).toFixed(1)} per recording) |`,
    `| requests to the recording hubs (${r.follows} follows + 2 per webhook: its recording's hub and its meeting's) | ${r.hubRequests} (${(r.hubRequests / r.recordings).toFixed(1)} per recording) |`,
    `| requests to the budget object (a grant and a reachability report per upstream request) | ${r.budgetRequests} |`,
    `| WebSocket messages from hubs to the Worker (one per viewer per change) | ${r.messages} |`,
    `| SQLite rows written / read by the hubs (snapshot, de-duplication, placement) | ${r.rowsWritten} / ${r.rowsRead} (${(r.rowsWritten / r.webhooks).toFixed(1)} written per webhook) |`,
    `| storage per recording hub after its lifecycle (kept a week after it settles, then deleted) | ${(r.bytesPerHub / 1024).toFixed(1)} KiB |`,
    `| alarms fired (reconciliation while watched and quiet for 30 s) | ${r.alarms} |`,
    `| webhooks accepted / events delivered | ${r.webhooks} / ${r.events} |`,
    `| streams ended by themselves after UPLOADED | ${r.ended} of ${r.viewers} |`,
    `| webhook → event at the viewer, loopback, p50 / p95 | ${r.p50.toFixed(1)} ms / ${r.p95.toFixed(1)} ms |`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(workerRows(await workerBench()).join('\n'));
}
