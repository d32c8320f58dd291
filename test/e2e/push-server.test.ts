/**
 * Push against the real server: `createRecordingServer` (built, in dist/) in front of the signing simulator,
 * served under /srv by the test runner (web-test-runner.config.mjs). Every change comes from a signed webhook
 * through the server's /events. These wait for what a viewer would see, with a bound; nothing is timed.
 */
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import type { RecordingStatusElement } from '../../src/recording-status.js';

interface SimState {
  meetings: { id: string; title: string; recordings: { id: string; status: string }[] }[];
}

const mounted: HTMLElement[] = [];
const requests: string[] = [];
let originalFetch: typeof fetch;

async function control(path: string, method = 'POST'): Promise<unknown> {
  const response = await originalFetch(`/srv/control${path}`, { method });
  return response.json() as Promise<unknown>;
}

async function meetingId(): Promise<string> {
  const state = (await control('/state', 'GET')) as SimState;
  return state.meetings[1]!.id;
}

async function startRecording(meeting: string): Promise<string> {
  const recording = (await control(`/meetings/${encodeURIComponent(meeting)}/recordings`)) as { id: string };
  return recording.id;
}

/** Waits for `condition`, checking every 20 ms; fails after `ms`. */
async function until(condition: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function widget(attributes: Record<string, string>): RecordingStatusElement {
  const el = document.createElement('recording-status');
  for (const [name, value] of Object.entries({
    'proxy-url': '/srv',
    'token-endpoint': '/srv/token',
    'poll-interval': '1000',
    ...attributes,
  }))
    el.setAttribute(name, value);
  document.body.append(el);
  mounted.push(el);
  return el;
}

const count = (path: string) => requests.filter((url) => new URL(url, location.href).pathname.startsWith(path)).length;

describe('push against the real server', () => {
  beforeEach(() => {
    requests.length = 0;
    originalFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      requests.push(input instanceof Request ? input.url : String(input));
      return originalFetch(input, init);
    };
  });

  afterEach(() => {
    globalThis.fetch = originalFetch;
    for (const el of mounted.splice(0)) el.remove();
  });

  it('a recording followed through its lifecycle: one stream and one token, no poll', async function () {
    this.timeout(20_000);
    const id = await startRecording(await meetingId());
    const el = widget({ 'recording-id': id });
    const statuses: string[] = [];
    const errors: Event[] = [];
    el.addEventListener('recording-status-change', (e) => statuses.push(e.detail.status));
    el.addEventListener('recording-status-error', (e) => errors.push(e));
    await until(() => el.connection === 'push', 'connection push');
    expect(el.getAttribute('connection')).to.equal('push');
    await until(() => el.status === 'RECORDING', 'RECORDING');
    await control(`/recordings/${id}/pause`);
    await until(() => el.status === 'PAUSED', 'PAUSED');
    await control(`/recordings/${id}/resume`);
    await until(() => statuses.at(-1) === 'RECORDING' && statuses.length > 2, 'RECORDING again');
    await control(`/recordings/${id}/stop`);
    await until(() => el.status === 'UPLOADED', 'UPLOADED');
    expect(statuses.slice(-4)).to.deep.equal(['PAUSED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
    expect(count('/srv/recordings')).to.equal(0);
    expect(count('/srv/events')).to.equal(1);
    expect(count('/srv/token')).to.equal(1);
    expect(errors).to.have.length(0);
    // A recording's stream ends with it.
    await until(() => el.connection === null, 'connection idle');
    expect(el.hasAttribute('connection')).to.equal(false);
  });

  it("a meeting's stream follows the meeting's next recording", async function () {
    this.timeout(20_000);
    const meeting = await meetingId();
    const el = widget({ 'meeting-id': meeting });
    await until(() => el.connection === 'push', 'connection push');
    const first = await startRecording(meeting);
    await until(() => el.recording?.id === first && el.status === 'RECORDING', 'the first recording');
    await control(`/recordings/${first}/stop`);
    await until(() => el.status === 'UPLOADED', 'the first recording uploaded');
    const second = await startRecording(meeting);
    await until(() => el.recording?.id === second, 'the next recording');
    expect(el.connection).to.equal('push');
    await control(`/recordings/${second}/stop`);
    expect(count('/srv/recordings')).to.equal(0);
    expect(count('/srv/events')).to.equal(1);
  });

  it('two tabs with 20 recordings each over HTTP/1.1: at most two streams, all 40 update, the page is answered', async function () {
    this.timeout(45_000);
    const meeting = await meetingId();
    const ids = await Promise.all(Array.from({ length: 40 }, () => startRecording(meeting)));
    // Streams of earlier tests close in the server's own time: count from a quiet server.
    const streamsNow = async () => ((await (await originalFetch('/srv-streams')).json()) as { open: number }).open;
    for (let i = 0; i < 100 && (await streamsNow()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await originalFetch('/srv-streams', { method: 'POST' });
    // What the two tabs hold: each counts the event streams it has open (test/fixtures/push-tab.js).
    const held = { open: 0, peak: 0 };
    Object.assign(window, { pushStreams: held });
    // Two documents of one origin: separate module instances, like two tabs, sharing the browser's
    // connections and its Web Locks.
    const frames = [ids.slice(0, 20), ids.slice(20)].map((tab) => {
      const frame = document.createElement('iframe');
      frame.src = `/test/fixtures/push-tab.html?ids=${tab.join(',')}`;
      document.body.append(frame);
      mounted.push(frame);
      return frame;
    });
    const widgets = () => frames.flatMap((f) => [...(f.contentDocument?.querySelectorAll('recording-status') ?? [])]);
    const statuses = () => widgets().map((w) => w.getAttribute('status'));
    const pushing = () => widgets().filter((w) => w.getAttribute('connection') === 'push').length;
    await until(() => statuses().filter((s) => s === 'RECORDING').length === 40, 'all 40 recording', 20_000);
    await until(() => pushing() === 2, 'two widgets on push');
    // The page's own request to the same origin is answered while the widgets hold their streams.
    const health = await originalFetch('/srv/healthz', { signal: AbortSignal.timeout(5000) });
    expect(health.ok).to.equal(true);
    await Promise.all(ids.map((id) => control(`/recordings/${id}/stop`)));
    await until(() => statuses().filter((s) => s === 'UPLOADED').length === 40, 'all 40 uploaded', 20_000);
    // Never more than two streams held by the pages together; the server saw them (it sees a stream the page
    // has dropped go a moment late, so its own count is no measure of what the browser holds).
    expect(held.peak).to.equal(2);
    // A widget shows UPLOADED from the terminal event, a moment before its reader sees the server end the body.
    await until(() => held.open === 0, 'every stream the pages held closed');
    expect(held.open).to.equal(0);
    const streams = (await (await originalFetch('/srv-streams')).json()) as { open: number; peak: number };
    expect(streams.peak).to.be.at.least(1);
    expect(pushing()).to.be.at.most(2);
  });

  // Last: the page remembers a proxy without push for as long as it lives.
  it("with the server's /events switched off (404) the widget polls, with no error shown", async function () {
    this.timeout(20_000);
    await control('/push/off');
    try {
      const id = await startRecording(await meetingId());
      const el = widget({ 'recording-id': id });
      const errors: Event[] = [];
      el.addEventListener('recording-status-error', (e) => errors.push(e));
      await until(() => el.connection === 'poll', 'connection poll');
      await until(() => el.status === 'RECORDING', 'RECORDING, polled');
      expect(el.getAttribute('connection')).to.equal('poll');
      expect(count('/srv/events')).to.equal(1);
      expect(count('/srv/recordings')).to.be.at.least(1);
      expect(errors).to.have.length(0);
      expect(el.error).to.equal(null);
      await control(`/recordings/${id}/stop`);
    } finally {
      await control('/push/on');
    }
  });
});
