// @ts-check
/**
 * One full lifecycle watched live, for the server benchmarks: `viewersPerRecording` SSE viewers on each
 * recording, then INVOKED → RECORDING → PAUSED → RECORDING → UPLOADING → UPLOADED, every change delivered as
 * a signed webhook, recording by recording, timing webhook → event at every viewer. Whatever serves `url`
 * (Node or the Worker) is measured the same way; `webhookUrl` sends the webhooks elsewhere (another replica).
 */
import { Frames } from '../test/server/frames.mjs';

/** @param {number[]} xs @param {number} q */
export const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/**
 * @param {{
 *   url: string,
 *   webhookUrl?: string,
 *   simulator: import('../src/simulator/simulator.js').RealtimeKitSimulator,
 *   signer: import('../src/simulator/webhook-signer.js').WebhookSigner,
 *   token: (recordingId: string) => Promise<string>,
 *   recordings: { id: string }[],
 *   viewersPerRecording: number,
 *   opened?: () => Promise<void>,
 * }} options
 */
export async function watchLifecycle(options) {
  const { url, simulator, signer, recordings } = options;
  /** Per viewer: the statuses it saw, and when each arrived. @type {{ recording: string, seen: [string, number][], done: boolean }[]} */
  const viewers = [];
  const abort = new AbortController();
  for (const r of recordings) {
    const token = await options.token(r.id);
    for (let i = 0; i < options.viewersPerRecording; i++) {
      const viewer = { recording: r.id, seen: /** @type {[string, number][]} */ ([]), done: false };
      viewers.push(viewer);
      const response = await fetch(`${url}/events?recording_id=${r.id}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: abort.signal,
      });
      void (async () => {
        const frames = new Frames(response);
        try {
          for (let frame = await frames.next(); frame !== null; frame = await frames.next()) {
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (data) viewer.seen.push([JSON.parse(data).status, performance.now()]);
          }
        } catch {
          // aborted at the end
        }
        viewer.done = true;
      })();
    }
  }
  await options.opened?.();
  const initialRequests = simulator.stats.upstreamRequests;

  let webhooks = 0;
  /** Sends the recording's current state as a signed webhook; returns when it was sent. */
  const deliver = async (/** @type {any} */ r) => {
    const { body, headers } = await signer.delivery(simulator.webhookPayload(r));
    const sentAt = performance.now();
    const res = await fetch(`${options.webhookUrl ?? url}/webhook`, { method: 'POST', body, headers });
    if (!res.ok) throw new Error(`webhook ${res.status}`);
    webhooks++;
    return sentAt;
  };
  const waitFor = async (/** @type {string} */ id, /** @type {string} */ status) => {
    // Bounded: ten seconds at most, by millisecond turns.
    for (let i = 0; i < 10_000; i++) {
      if (viewers.filter((v) => v.recording === id).every((v) => v.seen.some(([s]) => s === status))) return;
      await new Promise((resolve) => (i < 1000 ? setImmediate(resolve) : setTimeout(resolve, 1)));
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
    now += simulator.startDelayMs + 1000;
    simulator.tick();
  });
  await step('PAUSED', (r) => simulator.control(r.id, 'pause'));
  await step('RECORDING', (r) => simulator.control(r.id, 'resume'));
  await step('UPLOADING', (r) => simulator.control(r.id, 'stop'));
  await step('UPLOADED', () => {
    now += simulator.uploadMs + 1000;
    simulator.tick();
  });
  for (let i = 0; i < 10_000 && viewers.some((v) => !v.done); i++)
    await new Promise((resolve) => setImmediate(resolve));
  abort.abort();
  return {
    viewers: viewers.length,
    recordings: recordings.length,
    upstreamRequests: simulator.stats.upstreamRequests,
    initialRequests,
    webhooks,
    ended: viewers.filter((v) => v.done).length,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    events: latencies.length,
  };
}
