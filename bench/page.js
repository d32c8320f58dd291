// @ts-check
/**
 * The benchmark's browser half. The real, built element runs against the demo's RealtimeKit simulator inside
 * the page, on a fake clock: ten simulated minutes take well under a second, and every count is exact.
 * Each scenario is measured for the element and for a naive baseline (one setInterval poller per element).
 */
import { RealtimeKitSimulator } from '../src/simulator/simulator.js';

/** @typedef {[number, (sim: RealtimeKitSimulator, id: string) => void][]} Script */

const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const PROXY = '/bench/proxy';

/** Yields a whole task through a message port, which background throttling does not touch. */
const turn = () =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(undefined);
    };
    channel.port2.postMessage(null);
  });
const settle = async () => {
  for (let i = 0; i < 3; i++) await turn();
};

/** A fake clock installed over the page's timers, Date.now and Math.random. */
function installClock() {
  let now = START;
  let nextId = 1;
  /** @type {Map<number, { at: number, fn: () => void, every: number | null }>} */
  const timers = new Map();
  const saved = { setTimeout, clearTimeout, setInterval, clearInterval, now: Date.now, random: Math.random };
  /** @type {any} */ (globalThis).setTimeout = (/** @type {() => void} */ fn, /** @type {number} */ ms = 0) => {
    timers.set(nextId, { at: now + ms, fn, every: null });
    return nextId++;
  };
  /** @type {any} */ (globalThis).setInterval = (/** @type {() => void} */ fn, /** @type {number} */ ms = 0) => {
    timers.set(nextId, { at: now + ms, fn, every: ms });
    return nextId++;
  };
  globalThis.clearTimeout = globalThis.clearInterval = (/** @type {any} */ id) => void timers.delete(id);
  Date.now = () => now;
  Math.random = () => 0.5;
  return {
    now: () => now,
    /** Runs every timer up to `to`, in order, letting the work each starts settle. */
    async runUntil(/** @type {number} */ to) {
      await settle();
      for (;;) {
        let next;
        for (const entry of timers) if (entry[1].at <= to && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        const [id, timer] = next;
        now = Math.max(now, timer.at);
        if (timer.every === null) timers.delete(id);
        else timer.at += Math.max(1, timer.every);
        timer.fn();
        await settle();
      }
      now = to;
      await settle();
    },
    uninstall() {
      Object.assign(globalThis, {
        setTimeout: saved.setTimeout,
        clearTimeout: saved.clearTimeout,
        setInterval: saved.setInterval,
        clearInterval: saved.clearInterval,
      });
      Date.now = saved.now;
      Math.random = saved.random;
    },
  };
}

/** A real Response with its body already in hand, so the fake clock never waits on a native body read. */
class InstantResponse extends Response {
  /** @param {string} body @param {ResponseInit} init */
  constructor(body, init) {
    super(init.status === 304 ? null : body, init);
    this.body_ = body;
  }
  /** @override */
  text() {
    return Promise.resolve(this.body_);
  }
}

let hidden = false;
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
function setHidden(/** @type {boolean} */ value) {
  hidden = value;
  document.dispatchEvent(new Event('visibilitychange'));
}

/**
 * One scenario: a recording walked through a script of simulator actions over `durationMs`, watched by
 * `elements` widgets (or naive pollers), counting requests and body bytes inside [from, to).
 * @param {{ mode: 'element' | 'naive', elements: number, durationMs: number, etag?: boolean,
 *   script?: Script, window?: [number, number] }} scenario
 */
async function measure(scenario) {
  const clock = installClock();
  const sim = new RealtimeKitSimulator({
    now: clock.now,
    requireToken: false,
    uploadMs: 60_000,
    etag: scenario.etag ?? true,
  });
  const meeting = sim.addMeeting('Benchmark');
  const recording = sim.startRecording(meeting.id);
  const [from, to] = scenario.window ?? [0, scenario.durationMs];
  let requests = 0;
  let bytes = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(String(input), location.href);
    /** @type {Record<string, string>} */
    const headers = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const answer = sim.handleProxy({
      method: 'GET',
      path: url.pathname.slice(PROXY.length),
      query: url.searchParams,
      headers,
    });
    const inWindow = clock.now() - START >= from && clock.now() - START < to;
    if (answer === 'hang') return new Promise(() => undefined);
    if (inWindow) {
      requests++;
      bytes += answer.body.length;
    }
    return new InstantResponse(answer.body, { status: answer.status, headers: answer.headers });
  };
  /** @type {HTMLElement[]} */
  const els = [];
  /** @type {ReturnType<typeof setInterval>[]} */
  const intervals = [];
  const url = `${PROXY}/recordings/${encodeURIComponent(recording.id)}`;
  for (let i = 0; i < scenario.elements; i++) {
    if (scenario.mode === 'element') {
      const el = document.createElement('recording-status');
      el.setAttribute('recording-id', recording.id);
      el.setAttribute('proxy-url', PROXY);
      el.setAttribute('poll-interval', '5000');
      // Polling against polling: with push (the default) the first element would first probe /events, in real
      // time while the fake clock runs the lifecycle, and miss it. Push has its own bench (push.mjs).
      el.setAttribute('transport', 'poll');
      document.body.append(el);
      els.push(el);
    } else {
      // The naive baseline: poll on a fixed interval, forever, whatever happens.
      const poll = () =>
        void fetch(url, { headers: { Accept: 'application/json' } })
          .then((r) => r.text())
          .catch(() => undefined);
      poll();
      intervals.push(setInterval(poll, 5000));
    }
  }
  for (const [at, action] of scenario.script ?? []) {
    setTimeout(() => action(sim, recording.id), at);
  }
  await clock.runUntil(START + scenario.durationMs);
  for (const el of els) el.remove();
  for (const id of intervals) clearInterval(id);
  await settle();
  globalThis.fetch = realFetch;
  clock.uninstall();
  if (hidden) setHidden(false);
  return { requests, bytes };
}

const MIN = 60_000;
/** A ten-minute life: recording at 3 s, paused at 2 min, resumed at 3 min, stopped at 8 min, uploaded at 9 min. */
/** @type {Script} */
const lifecycle = [
  [2 * MIN, (sim, id) => void sim.control(id, 'pause')],
  [3 * MIN, (sim, id) => void sim.control(id, 'resume')],
  [8 * MIN, (sim, id) => void sim.control(id, 'stop')],
];
/** @type {Script} */
const hide = [
  [10_000, () => setHidden(true)],
  [10_000 + 5 * MIN, () => setHidden(false)],
];
/** @type {Script} */
const outage = [
  [MIN, (sim) => void (sim.fault = 'outage')],
  [3 * MIN, (sim) => void (sim.fault = 'none')],
];

/** @type {any} */ (window).runBenchmark = async () => {
  await customElements.whenDefined('recording-status');
  /** @type {Record<string, unknown>[]} */
  const rows = [];
  const both = async (/** @type {string} */ name, /** @type {any} */ scenario) => {
    const element = await measure({ ...scenario, mode: 'element' });
    const naive = await measure({ ...scenario, mode: 'naive' });
    rows.push({
      name,
      element: element.requests,
      naive: naive.requests,
      elementBytes: element.bytes,
      naiveBytes: naive.bytes,
    });
  };
  for (const n of [1, 10, 100]) {
    await both(`10-minute lifecycle, ${n} element${n > 1 ? 's' : ''}`, {
      elements: n,
      durationMs: 10 * MIN,
      script: lifecycle,
    });
  }
  await both('5 minutes hidden, 1 element (requests while hidden)', {
    elements: 1,
    durationMs: 6 * MIN,
    script: hide,
    window: [10_000, 10_000 + 5 * MIN],
  });
  for (const n of [1, 10]) {
    await both(`2-minute outage, ${n} element${n > 1 ? 's' : ''} (requests during it)`, {
      elements: n,
      durationMs: 4 * MIN,
      script: outage,
      window: [MIN, 3 * MIN],
    });
  }
  const withEtag = await measure({ mode: 'element', elements: 1, durationMs: 10 * MIN, script: lifecycle, etag: true });
  const withoutEtag = await measure({
    mode: 'element',
    elements: 1,
    durationMs: 10 * MIN,
    script: lifecycle,
    etag: false,
  });
  rows.push({
    name: 'bytes over the lifecycle, 1 element: with ETag / without',
    element: withEtag.bytes,
    naive: withoutEtag.bytes,
    etag: true,
  });
  return rows;
};
