/**
 * The element's side of push: the `transport` attribute, the read-only `connection` property and its reflected
 * attribute, and disconnects that leave nothing open. The rules themselves are tested on the stream
 * (test/push/transport.test.ts) and against the real server (test/e2e/push-server.test.ts).
 */
import { expect } from '@open-wc/testing';
import '../src/define.js';
import type { RecordingStatusElement } from '../src/recording-status.js';
import { FakeEventStream, FakeFetch, json, settle } from './helpers/fake-env.js';
import { spyOnPageListeners } from './helpers/listener-spy.js';
import { installPageClock, type PageClock } from './helpers/page-clock.js';
import { apiRecording, one } from './helpers/recordings.js';

const SECRET = 'sEcReT-t0ken-value';

let clock: PageClock;
let originalFetch: typeof fetch;
let streams: FakeEventStream[];
let fake: FakeFetch;
const mounted: HTMLElement[] = [];

/** Each test its own proxy path: the page remembers a proxy that answered "no push". */
let proxy = '';
let n = 0;

function mount(attributes: Record<string, string>): RecordingStatusElement {
  const el = document.createElement('recording-status');
  for (const [name, value] of Object.entries({ 'proxy-url': proxy, 'token-endpoint': '/token', ...attributes }))
    el.setAttribute(name, value);
  document.body.append(el);
  mounted.push(el);
  return el;
}

/**
 * Lets requests answer and the element render. A stream slot is a Web Lock, granted by the browser's lock
 * manager in its own time: a query() round trip comes back after the grants asked for before it.
 */
async function flush(el: RecordingStatusElement): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await clock.advance(0);
    await navigator.locks.query();
  }
  await clock.advance(0);
  await el.updateComplete;
}

const eventCalls = () => fake.calls.filter((c) => c.url.includes('/events?'));
const polls = () => fake.calls.filter((c) => c.url.includes('/recordings')).length;

describe('<recording-status> push', () => {
  beforeEach(() => {
    proxy = `/push-proxy-${++n}`;
    streams = [];
    fake = new FakeFetch((url) => {
      if (url.pathname === '/token') return json({ token: SECRET, expires_in: 600 });
      if (url.pathname.endsWith('/events')) {
        const stream = new FakeEventStream();
        streams.push(stream);
        return stream.response;
      }
      return json(one(apiRecording({ status: 'RECORDING' })));
    });
    originalFetch = globalThis.fetch;
    globalThis.fetch = fake.asGlobal;
    clock = installPageClock();
  });

  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    await settle();
    clock.uninstall();
    globalThis.fetch = originalFetch;
  });

  it('by default follows {proxy-url}/events, and reflects connection="push" once events flow', async () => {
    const el = mount({ 'recording-id': 'r1' });
    await flush(el);
    expect(eventCalls()).to.have.length(1);
    expect(new URL(eventCalls()[0]!.url).search).to.equal('?recording_id=r1');
    expect(el.connection).to.equal(null);
    expect(el.hasAttribute('connection')).to.equal(false);
    streams[0]!.recording(apiRecording({ status: 'PAUSED' }), 1);
    await flush(el);
    expect(el.status).to.equal('PAUSED');
    expect(el.connection).to.equal('push');
    expect(el.getAttribute('connection')).to.equal('push');
    await clock.advance(60_000);
    expect(polls()).to.equal(0);
    // The token travels in a header only: never in an attribute or the URL.
    expect(el.outerHTML).to.not.include(SECRET);
    expect(eventCalls()[0]!.url).to.not.include(SECRET);
  });

  it('a refresh() answered after a newer push (a host refreshing after its own action) never takes the view back', async () => {
    // The host pauses, then refreshes; the pause is pushed while the read is still out, and the read, which
    // left the server before the pause, comes back last with RECORDING.
    let answerRead: (response: Response) => void = () => {};
    const read = fake.handler;
    fake.handler = (url, call) =>
      url.pathname.endsWith('/recordings/r1')
        ? new Promise<Response>((resolve) => {
            answerRead = resolve;
          })
        : read(url, call);
    const el = mount({ 'recording-id': 'r1' });
    await flush(el);
    streams[0]!.recording(apiRecording({ status: 'RECORDING' }), 1);
    await flush(el);
    expect(el.status).to.equal('RECORDING');
    const refreshed = el.refresh();
    await flush(el);
    streams[0]!.recording(apiRecording({ status: 'PAUSED' }), 2);
    await flush(el);
    expect(el.status).to.equal('PAUSED');
    answerRead(json(one(apiRecording({ status: 'RECORDING' }))));
    await refreshed;
    await flush(el);
    expect(el.status).to.equal('PAUSED');
    // A read that no push overtook still counts: resumed upstream, the next refresh shows it.
    fake.handler = read;
    await el.refresh();
    await flush(el);
    expect(el.status).to.equal('RECORDING');
  });

  it('transport="poll" never opens an event stream', async () => {
    const el = mount({ 'recording-id': 'r1', transport: 'poll' });
    await flush(el);
    expect(eventCalls()).to.have.length(0);
    expect(polls()).to.equal(1);
    expect(el.connection).to.equal('poll');
    expect(el.getAttribute('connection')).to.equal('poll');
  });

  it('a junk transport is auto', async () => {
    const el = mount({ 'recording-id': 'r1', transport: 'carrier-pigeon' });
    await flush(el);
    expect(eventCalls()).to.have.length(1);
  });

  it('switching transport to poll closes the stream and polls', async () => {
    const el = mount({ 'recording-id': 'r1' });
    await flush(el);
    streams[0]!.recording(apiRecording({ status: 'RECORDING' }), 1);
    await flush(el);
    el.transport = 'poll';
    await flush(el);
    expect(streams[0]!.cancelled).to.equal(true);
    expect(el.connection).to.equal('poll');
    expect(polls()).to.equal(1);
  });

  it('connection is read-only', async () => {
    const el = mount({ 'recording-id': 'r1' });
    await flush(el);
    expect(Reflect.set(el, 'connection', 'push')).to.equal(false);
    expect(el.connection).to.equal(null);
  });

  it('disconnecting closes the stream and clears connection; reconnecting reopens it', async () => {
    const el = mount({ 'recording-id': 'r1' });
    await flush(el);
    streams[0]!.recording(apiRecording({ status: 'RECORDING' }), 1);
    await flush(el);
    el.remove();
    await flush(el);
    expect(streams[0]!.cancelled).to.equal(true);
    expect(el.connection).to.equal(null);
    expect(el.hasAttribute('connection')).to.equal(false);
    document.body.append(el);
    await flush(el);
    expect(eventCalls()).to.have.length(2);
  });

  it('a thousand connect/disconnect cycles leave no open stream, timer or listener', async function () {
    this.timeout(60_000);
    const { live, restore } = spyOnPageListeners();
    try {
      const el = mount({ 'recording-id': 'r1' });
      await flush(el);
      for (let i = 0; i < 1000; i++) {
        if (i % 3 === 0) streams.at(-1)?.recording(apiRecording({ status: 'RECORDING' }), i);
        await settle(2);
        el.remove();
        await settle(2);
        document.body.append(el);
      }
      // Rendered once more before it goes (an element removed before its pending update starts the page
      // ticker for a disconnected element: an element lifecycle matter, reported apart from push).
      await el.updateComplete;
      el.remove();
      await flush(el);
      await settle(10);
      // Streams were opened (as many as the lock manager granted slots in time), and every one was closed.
      expect(streams.length).to.be.greaterThan(10);
      expect(streams.every((s) => s.cancelled)).to.equal(true);
      expect(eventCalls().every((c) => c.signal!.aborted)).to.equal(true);
      expect(clock.delays).to.deep.equal([]);
      expect([...live].filter(([, count]) => count !== 0)).to.deep.equal([]);
      // Every stream slot is free again: this page (and every other tab) may open its two.
      const held = (await navigator.locks.query()).held!.filter((l) => l.name!.startsWith('recording-status:push:'));
      expect(held).to.deep.equal([]);
    } finally {
      restore();
    }
  });
});
