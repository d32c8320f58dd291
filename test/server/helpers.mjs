// @ts-check
/**
 * A fake RealtimeKit for the server's tests: the demo's simulator in upstream mode (API token, REST shapes,
 * storage_config included) behind a fetch, signed webhooks from a key pair made here, and a fake clock.
 */
import { RealtimeKitSimulator } from '../../src/simulator/simulator.js';
import { WebhookSigner } from '../../src/simulator/webhook-signer.js';
import { createRecordingServer, createViewerToken } from '../../dist/server/index.js';
import { listen } from '../../dist/server/node.js';

export const API_TOKEN = 'rtk-API-token-that-must-never-leak-0001';
export const SECRET = 'viewer-token-secret-that-is-long-enough-0123456789';
export const API_BASE = 'https://rtk.example/client/v4';
export const KEY_URL = 'https://rtk.example/.well-known/webhooks.json';
const PREFIX = `${API_BASE}/accounts/acc/realtime/kit/app`;

export class FakeClock {
  now_ = Date.UTC(2026, 10, 20, 10, 0, 0);
  nextId = 1;
  /** @type {Map<number, { at: number, fn: () => void }>} */
  timers = new Map();
  now = () => this.now_;
  setTimeout = (/** @type {() => void} */ fn, /** @type {number} */ ms) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now_ + ms, fn });
    return /** @type {any} */ (id);
  };
  clearTimeout = (/** @type {any} */ id) => {
    this.timers.delete(id);
  };
  /** Moves time on, running timers at their moments and letting promise chains settle. */
  async advance(/** @type {number} */ ms) {
    const end = this.now_ + ms;
    await settle();
    for (let fired = 0; fired < 10_000; fired++) {
      let next;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.now_ = Math.max(this.now_, next[1].at);
      next[1].fn();
      await settle();
    }
    this.now_ = end;
    await settle();
  }
}

/** Lets promise chains and stream reads settle: a few turns of the real event loop, never a timed sleep. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A server in front of the simulator. `calls` counts upstream requests by path; `keyAnswers` can be swapped to
 * make the key unobtainable; `upstreamDown` makes RealtimeKit unreachable.
 * @param {Partial<import('../../dist/server/index.js').RecordingServerOptions>} [options]
 */
export async function setup(options = {}) {
  const clock = new FakeClock();
  const simulator = new RealtimeKitSimulator({
    now: clock.now,
    // The same ids in every run, as the clock is the same.
    idSeed: 0,
    apiToken: API_TOKEN,
    startDelayMs: 3000,
    uploadMs: 8000,
  });
  const signer = await WebhookSigner.create();
  const world = {
    clock,
    simulator,
    signer,
    /** @type {string[]} */
    calls: [],
    keyFetches: 0,
    keyAvailable: true,
    upstreamDown: false,
    /** @type {((url: URL) => Response | undefined) | null} */
    override: null,
    /** @type {string[]} */
    logs: [],
  };
  /** @type {import('../../dist/platform.js').FetchLike} */
  const fetch = async (input, init) => {
    const url = new URL(input);
    if (url.href === KEY_URL) {
      world.keyFetches++;
      if (!world.keyAvailable) throw new TypeError('key host unreachable');
      return new Response(signer.keyDocument(), { headers: { 'Content-Type': 'application/json' } });
    }
    if (!url.href.startsWith(PREFIX)) throw new TypeError(`unexpected fetch ${url.href}`);
    const path = url.href.slice(PREFIX.length);
    world.calls.push(path);
    if (world.upstreamDown) throw new TypeError('fetch failed');
    const overridden = world.override?.(url);
    if (overridden) return overridden;
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const answer = simulator.handleUpstream({
      method: 'GET',
      path: url.pathname.slice(new URL(PREFIX).pathname.length),
      query: url.searchParams,
      headers,
    });
    // A hung RealtimeKit: the answer never comes (the server's own timeout ends the wait).
    if (answer === 'hang') return new Promise(() => undefined);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  const server = createRecordingServer({
    accountId: 'acc',
    appId: 'app',
    apiToken: API_TOKEN,
    apiBase: API_BASE,
    tokenSecret: SECRET,
    webhookKeyUrl: KEY_URL,
    fetch,
    clock,
    log: (line) => world.logs.push(line),
    ...options,
  });
  const meeting = simulator.addMeeting('Weekly sync');
  return {
    ...world,
    world,
    server,
    meeting,
    /** Starts a recording in the meeting, at the current fake time. */
    start: () => simulator.startRecording(meeting.id),
    /** A viewer token for a recording or a meeting. */
    token: (/** @type {any} */ target, download = true) => createViewerToken(SECRET, target, { download }),
    /** GET through server.fetch, with a bearer token when given. */
    get: async (
      /** @type {string} */ path,
      /** @type {string | null} */ token = null,
      /** @type {Record<string, string>} */ headers = {},
    ) =>
      server.fetch(
        new Request(`http://host.test${path}`, {
          headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        }),
      ),
    /** A signed delivery of the recording's current state, as RealtimeKit sends it. */
    delivery: async (/** @type {any} */ recording, /** @type {Record<string, unknown>} */ patch = {}) => {
      const payload = simulator.webhookPayload(recording);
      Object.assign(payload.recording, patch);
      return signer.delivery(payload);
    },
    /** POSTs a delivery to /webhook. */
    post: (/** @type {{ body: string, headers: Record<string, string> }} */ delivery) =>
      server.fetch(
        new Request('http://host.test/webhook', { method: 'POST', body: delivery.body, headers: delivery.headers }),
      ),
  };
}

/**
 * `setup()` served over real HTTP on 127.0.0.1 (an ephemeral port); `cleanups` gets the way to close it.
 * @param {Parameters<typeof setup>[0]} options
 * @param {(() => Promise<void>)[]} cleanups
 */
export async function serve(options, cleanups) {
  const t = await setup(options);
  const listening = await listen(t.server, { port: 0 });
  cleanups.push(() => listening.close());
  return { ...t, url: listening.url };
}
