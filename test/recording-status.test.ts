import { expect } from '@open-wc/testing';
import '../src/define.js';
import type { RecordingStatusElement } from '../src/recording-status.js';
import type { RecordingStatusChangeEvent, RecordingStatusErrorEvent } from '../src/events.js';
import { FakeFetch, hang, json, settle, text, type Call } from './helpers/fake-env.js';
import { spyOnPageListeners } from './helpers/listener-spy.js';
import { installPageClock, type PageClock } from './helpers/page-clock.js';
import { apiRecording, failure, list, one, type ApiRecording } from './helpers/recordings.js';

const SECRET = 'sEcReT-t0ken-value';

/** The fake host backend: a proxy answering through `answer`, and a token endpoint. */
class FakeHost {
  answer: (url: URL, call: Call) => Response | Promise<Response> = () => json(one(apiRecording()));
  tokenAnswer: () => Response | Promise<Response> = () => json({ token: SECRET, expires_in: 600 });
  readonly fake = new FakeFetch((url, call) =>
    url.pathname.endsWith('/token') ? this.tokenAnswer() : this.answer(url, call),
  );
  get proxyCalls(): Call[] {
    return this.fake.calls.filter((c) => c.url.includes('/proxy/'));
  }
  show(recording: ApiRecording): void {
    this.answer = () => json(one(recording));
  }
}

let host: FakeHost;
let clock: PageClock;
let originalFetch: typeof fetch;
const mounted: HTMLElement[] = [];

/** Polling, unless a test says otherwise: push has its own tests (recording-status.push.test.ts, test/push/). */
function mount(attributes: Record<string, string>, parent: HTMLElement = document.body): RecordingStatusElement {
  const el = document.createElement('recording-status');
  for (const [name, value] of Object.entries({ transport: 'poll', ...attributes })) el.setAttribute(name, value);
  parent.append(el);
  mounted.push(el);
  return el;
}

/** Lets requests answer and the element render, at the current fake time. */
async function flush(el: RecordingStatusElement): Promise<void> {
  await clock.advance(0);
  await el.updateComplete;
}

function record<T extends Event>(el: HTMLElement, type: string): T[] {
  const events: T[] = [];
  el.addEventListener(type, (e) => events.push(e as T));
  return events;
}

const shadow = (el: RecordingStatusElement) => el.shadowRoot!;
const steps = (el: RecordingStatusElement) => [...shadow(el).querySelectorAll('li')];
const currentSteps = (el: RecordingStatusElement) =>
  steps(el).filter((li) => li.getAttribute('aria-current') === 'step');
const hiddenStates = (el: RecordingStatusElement) =>
  steps(el).map((li) => li.querySelector('.visually-hidden')!.textContent.replace(/^,\s*/, '').trim());
const description = (el: RecordingStatusElement) =>
  shadow(el).querySelector('[part="description"]')!.textContent.trim();
const notice = (el: RecordingStatusElement) => shadow(el).querySelector('[part="notice"]');

describe('<recording-status>', () => {
  beforeEach(() => {
    host = new FakeHost();
    originalFetch = globalThis.fetch;
    globalThis.fetch = host.fake.asGlobal;
    clock = installPageClock();
  });

  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    await settle();
    clock.uninstall();
    globalThis.fetch = originalFetch;
  });

  describe('configuration', () => {
    it('with no ID is idle: no request, no error, no status', async () => {
      const el = mount({ 'proxy-url': '/proxy' });
      const errors = record(el, 'recording-status-error');
      await flush(el);
      await clock.advance(60_000);
      expect(host.fake.calls).to.have.length(0);
      expect(errors).to.have.length(0);
      expect(el.status).to.equal(null);
      expect(el.hasAttribute('status')).to.equal(false);
      expect(description(el)).to.equal('No recording selected.');
    });

    it('an ID without proxy-url is a config error, with no request', async () => {
      const el = mount({ 'recording-id': 'r1' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      expect(host.fake.calls).to.have.length(0);
      expect(errors.map((e) => [e.detail.kind, e.detail.willRetry])).to.deep.equal([['config', false]]);
      expect(el.error?.kind).to.equal('config');
      expect(notice(el)!.textContent).to.include('not set up correctly');
    });

    it('a javascript: proxy-url is refused as config, never fetched', async () => {
      const el = mount({ 'recording-id': 'r1', 'proxy-url': 'javascript:alert(1)' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      expect(host.fake.calls).to.have.length(0);
      expect(errors[0]!.detail.kind).to.equal('config');
    });

    it('polls {proxy-url}/recordings/{id} with the ID path-encoded', async () => {
      const el = mount({ 'recording-id': 'a/b c', 'proxy-url': '/api/proxy/' });
      await flush(el);
      expect(new URL(host.proxyCalls[0]!.url).pathname).to.equal('/api/proxy/recordings/a%2Fb%20c');
    });

    it('meeting-id polls the newest recording of the meeting; recording-id wins when both are set', async () => {
      const el = mount({ 'meeting-id': 'm 1', 'proxy-url': '/api/proxy' });
      host.answer = () => json(list(apiRecording()));
      await flush(el);
      const url = new URL(host.proxyCalls[0]!.url);
      expect(url.pathname).to.equal('/api/proxy/recordings');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        meeting_id: 'm 1',
        sort_by: 'invokedTime',
        sort_order: 'DESC',
        per_page: '1',
      });
      el.recordingId = 'r9';
      await flush(el);
      expect(new URL(host.proxyCalls.at(-1)!.url).pathname).to.equal('/api/proxy/recordings/r9');
    });

    const intervals: [string | null, number][] = [
      [null, 5000],
      ['2000', 2000],
      ['200', 1000],
      ['soon', 5000],
    ];
    for (const [attribute, expected] of intervals) {
      it(`poll-interval ${attribute ?? '(absent)'} polls every ${expected} ms`, async () => {
        const el = mount({
          'recording-id': 'r1',
          'proxy-url': '/proxy',
          ...(attribute ? { 'poll-interval': attribute } : {}),
        });
        await flush(el);
        await clock.advance(expected - 1);
        expect(host.proxyCalls).to.have.length(1);
        await clock.advance(1);
        expect(host.proxyCalls).to.have.length(2);
      });
    }

    it('request-timeout aborts a hung request as timeout (clamped to 1000 ms)', async () => {
      host.answer = () => hang();
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'request-timeout': '10' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      await clock.advance(999);
      expect(errors).to.have.length(0);
      await clock.advance(1);
      await el.updateComplete;
      expect(errors.map((e) => e.detail.kind)).to.deep.equal(['timeout']);
    });
  });

  describe('state and events', () => {
    it('shows a busy loading state before the first answer', async () => {
      host.answer = () => hang();
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
      expect(description(el)).to.equal('Checking the recording status…');
      expect(el.status).to.equal(null);
    });

    it('reflects the first known status and fires a change with previousStatus null', async () => {
      host.show(apiRecording({ id: 'r1', status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const changes = record<RecordingStatusChangeEvent>(el, 'recording-status-change');
      await flush(el);
      expect(el.status).to.equal('RECORDING');
      expect(el.getAttribute('status')).to.equal('RECORDING');
      expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('false');
      expect(changes).to.have.length(1);
      expect(changes[0]!.detail).to.deep.include({ status: 'RECORDING', previousStatus: null });
      expect(changes[0]!.bubbles && changes[0]!.composed).to.equal(true);
      expect(changes[0]!.detail.recording).to.equal(el.recording);
    });

    it('exposes the recording normalised to camelCase', async () => {
      host.show(
        apiRecording({
          id: 'r1',
          status: 'UPLOADED',
          file_size: 2_000_000,
          recording_duration: 61,
          download_url: 'https://cdn.example/r1.mp4',
          download_url_expiry: '2026-11-27T10:00:00Z',
        }),
      );
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(el.recording).to.deep.include({
        id: 'r1',
        status: 'UPLOADED',
        fileSize: 2_000_000,
        durationSeconds: 61,
        downloadUrl: 'https://cdn.example/r1.mp4',
        outputFileName: 'weekly-sync.mp4',
      });
      expect(el.recording!.invokedAt).to.be.instanceOf(Date);
      expect(el.recording!.downloadUrlExpiresAt!.toISOString()).to.equal('2026-11-27T10:00:00.000Z');
    });

    it('fires once per change of status, never for a poll that changed nothing', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const changes = record<RecordingStatusChangeEvent>(el, 'recording-status-change');
      await flush(el);
      await el.refresh();
      host.show(apiRecording({ status: 'PAUSED' }));
      await el.refresh();
      await el.refresh();
      host.show(apiRecording({ status: 'RECORDING' }));
      await el.refresh();
      host.show(apiRecording({ status: 'UPLOADING' }));
      await el.refresh();
      expect(changes.map((e) => [e.detail.previousStatus, e.detail.status])).to.deep.equal([
        [null, 'RECORDING'],
        ['RECORDING', 'PAUSED'],
        ['PAUSED', 'RECORDING'],
        ['RECORDING', 'UPLOADING'],
      ]);
    });

    it('never shows the status going backwards', async () => {
      host.show(apiRecording({ status: 'UPLOADING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      host.show(apiRecording({ status: 'RECORDING' }));
      await el.refresh();
      expect(el.status).to.equal('UPLOADING');
    });

    it('stops polling at UPLOADED; refresh() polls again', async () => {
      host.show(apiRecording({ status: 'UPLOADED' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      await clock.advance(600_000);
      expect(host.proxyCalls).to.have.length(1);
      await el.refresh();
      expect(host.proxyCalls).to.have.length(2);
    });

    it('a meeting with no recording says so and keeps polling', async () => {
      host.answer = () => json(list());
      const el = mount({ 'meeting-id': 'm1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(description(el)).to.equal('No recording yet.');
      expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('false');
      await clock.advance(10_000);
      expect(host.proxyCalls).to.have.length(3);
      host.answer = () => json(list(apiRecording({ status: 'INVOKED' })));
      await clock.advance(5000);
      await el.updateComplete;
      expect(el.status).to.equal('INVOKED');
    });
  });

  describe('failures', () => {
    it('keeps the last good state and says updates are failing; recovery clears the notice', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      host.answer = () => Promise.reject(new TypeError('Failed to fetch'));
      await clock.advance(5000);
      await el.updateComplete;
      expect(el.status).to.equal('RECORDING');
      expect(currentSteps(el).map((li) => li.querySelector('[part="label"]')!.textContent.trim())).to.deep.equal([
        'Recording',
      ]);
      expect(errors.map((e) => e.detail)).to.deep.equal([
        { kind: 'network', message: 'The proxy could not be reached.', willRetry: true, retryIn: 5000 },
      ]);
      expect(el.error?.kind).to.equal('network');
      expect(notice(el)!.textContent).to.match(/Connection lost, retrying in 5\s*s/);
      host.show(apiRecording({ status: 'RECORDING' }));
      await clock.advance(5000);
      await el.updateComplete;
      expect(notice(el)).to.equal(null);
      expect(el.error).to.equal(null);
    });

    it('fires one error per failed attempt, with the envelope message', async () => {
      host.answer = () => json(failure(500, 'Upstream exploded'), 500);
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      await clock.advance(5000);
      await clock.advance(10_000);
      await el.updateComplete;
      expect(errors.map((e) => [e.detail.kind, e.detail.httpStatus, e.detail.retryIn])).to.deep.equal([
        ['http', 500, 5000],
        ['http', 500, 10_000],
        ['http', 500, 20_000],
      ]);
      expect(errors[0]!.detail.message).to.include('Upstream exploded');
    });

    it('403 halts with a plain notice; the Retry now button restarts', async () => {
      host.answer = () => json(failure(403, 'Forbidden'), 403);
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      expect(errors.map((e) => [e.detail.kind, e.detail.willRetry])).to.deep.equal([['forbidden', false]]);
      expect(notice(el)!.textContent).to.include('Not allowed to see this recording');
      await clock.advance(600_000);
      expect(host.proxyCalls).to.have.length(1);
      host.show(apiRecording({ status: 'RECORDING' }));
      shadow(el).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
      await flush(el);
      expect(el.status).to.equal('RECORDING');
      expect(notice(el)).to.equal(null);
    });

    const hostile: [string, () => Response][] = [
      ['HTML instead of JSON', () => text('<html><script>alert(1)</script></html>')],
      ['an unknown status', () => json(one(apiRecording({ status: 'HACKED' })))],
      ['a wrong shape', () => json({ success: true, data: [1, 2, 3] })],
    ];
    for (const [name, answer] of hostile) {
      it(`${name} is invalid-response and loses nothing`, async () => {
        host.show(apiRecording({ status: 'UPLOADING' }));
        const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
        const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
        await flush(el);
        host.answer = answer;
        await el.refresh();
        expect(errors.map((e) => e.detail.kind)).to.deep.equal(['invalid-response']);
        expect(el.status).to.equal('UPLOADING');
        expect(shadow(el).querySelector('script')).to.equal(null);
      });
    }

    it('renders server strings as text, never as markup', async () => {
      host.show(apiRecording({ status: 'RECORDING', output_file_name: '<img src=x onerror="window.__pwned=1">.mp4' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(shadow(el).querySelector('img')).to.equal(null);
      expect(shadow(el).querySelector('[part="details"]')!.textContent).to.include('<img src=x');
    });
  });

  describe('the stepper', () => {
    it('is an ordered list with a name and exactly four steps', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', label: 'Weekly sync' });
      await flush(el);
      const ol = shadow(el).querySelector('ol')!;
      expect(ol.getAttribute('aria-label')).to.equal('Weekly sync: recording progress');
      expect(ol.getAttribute('part')).to.equal('steps');
      expect(steps(el).map((li) => li.getAttribute('part')!.split(' ')[0])).to.deep.equal([
        'step',
        'step',
        'step',
        'step',
      ]);
      expect(steps(el).map((li) => li.querySelector('[part="label"]')!.textContent.trim())).to.deep.equal([
        'Requested',
        'Recording',
        'Uploading',
        'Ready',
      ]);
    });

    const table: [string, Record<string, unknown>, string[], number, string][] = [
      [
        'INVOKED',
        {},
        ['current', 'not started', 'not started', 'not started'],
        0,
        'The recording was requested and is starting.',
      ],
      ['RECORDING', {}, ['completed', 'current', 'not started', 'not started'], 1, 'The meeting is being recorded.'],
      ['PAUSED', {}, ['completed', 'current', 'not started', 'not started'], 1, 'Recording is paused and can resume.'],
      [
        'UPLOADING',
        {},
        ['completed', 'completed', 'current', 'not started'],
        2,
        'Recording has stopped; the file is being uploaded.',
      ],
      ['UPLOADED', {}, ['completed', 'completed', 'completed', 'completed'], 3, 'The recording is ready.'],
      [
        'ERRORED',
        { started_time: null, stopped_time: null },
        ['failed', 'not started', 'not started', 'not started'],
        0,
        'The recording failed; no file will be available.',
      ],
      [
        'ERRORED',
        { file_size: null },
        ['completed', 'failed', 'not started', 'not started'],
        1,
        'The recording failed; no file will be available.',
      ],
    ];
    for (const [status, fields, states, current, text] of table) {
      it(`${status}${status === 'ERRORED' ? ` (${states.indexOf('failed')})` : ''}: states in words, one aria-current step`, async () => {
        host.show(apiRecording({ status, ...fields }));
        const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
        await flush(el);
        expect(hiddenStates(el)).to.deep.equal(states);
        expect(currentSteps(el)).to.deep.equal([steps(el)[current]]);
        expect(description(el)).to.equal(text);
      });
    }

    it('shows PAUSED on the RECORDING step, with no fifth step', async () => {
      host.show(apiRecording({ status: 'PAUSED' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(steps(el)).to.have.length(4);
      expect(steps(el)[1]!.textContent).to.include('Paused');
    });

    it('marks where it failed after watching it upload', async () => {
      host.show(apiRecording({ status: 'UPLOADING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      host.show(apiRecording({ status: 'ERRORED', file_size: null }));
      await el.refresh();
      expect(hiddenStates(el)).to.deep.equal(['completed', 'completed', 'failed', 'not started']);
      expect(steps(el)[2]!.getAttribute('part')).to.equal('step step-failed step-current');
    });

    const links: [string, string | null, string | null, boolean][] = [
      ['an https URL', 'https://cdn.example/r.mp4?sig=1', '2026-11-27T10:00:00Z', true],
      ['an http URL on localhost', 'http://localhost:8080/r.mp4', null, true],
      ['a javascript: URL', 'javascript:alert(document.domain)', null, false],
      ['an http URL elsewhere', 'http://cdn.example/r.mp4', null, false],
      ['an expired URL', 'https://cdn.example/r.mp4', '2026-11-19T10:00:00Z', false],
    ];
    for (const [name, url, expiry, shown] of links) {
      it(`${shown ? 'offers' : 'offers no'} a download link for ${name}`, async () => {
        host.show(apiRecording({ status: 'UPLOADED', download_url: url, download_url_expiry: expiry }));
        const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
        await flush(el);
        const link = shadow(el).querySelector<HTMLAnchorElement>('a[part="download"]');
        expect(link !== null).to.equal(shown);
        if (link) {
          expect(link.href).to.equal(new URL(url!).href);
          expect(link.rel).to.equal('noopener noreferrer');
        }
      });
    }

    it('offers no link before UPLOADED', async () => {
      host.show(apiRecording({ status: 'UPLOADING', download_url: 'https://cdn.example/r.mp4' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      expect(shadow(el).querySelector('a')).to.equal(null);
    });

    it('adds no tab stop of its own', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      const focusable = shadow(el).querySelectorAll('a, button, [tabindex], input, select, textarea');
      expect(focusable).to.have.length(0);
    });
  });

  describe('details', () => {
    const details = (el: RecordingStatusElement) => shadow(el).querySelector('[part="details"]')!;
    const row = (el: RecordingStatusElement, term: string) =>
      [...details(el).querySelectorAll('.row')]
        .find((r) => r.querySelector('dt')!.textContent === term)
        ?.querySelector('dd');

    it('shows invoked, started and stopped times as <time datetime>, absolute and relative', async () => {
      host.show(
        apiRecording({
          status: 'UPLOADED',
          invoked_time: '2026-11-20T09:00:01.250Z',
          started_time: '2026-11-20T09:00:04.900Z',
          stopped_time: '2026-11-20T09:31:12.003Z',
        }),
      );
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', lang: 'en' });
      await flush(el);
      const times = [...details(el).querySelectorAll('time[datetime]')].map((t) => t.getAttribute('datetime'));
      expect(times.slice(0, 3)).to.deep.equal([
        '2026-11-20T09:00:01.250Z',
        '2026-11-20T09:00:04.900Z',
        '2026-11-20T09:31:12.003Z',
      ]);
      expect(row(el, 'Stopped')!.textContent).to.include('29 minutes ago');
      expect(row(el, 'Stopped')!.textContent).to.match(/Nov 20, 2026/);
    });

    it('counts the duration up live, once per second, while recording', async () => {
      host.show(apiRecording({ status: 'RECORDING', started_time: '2026-11-20T09:59:00Z', recording_duration: 0 }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', lang: 'en' });
      await flush(el);
      const duration = () => row(el, 'Duration')!.querySelector('time')!;
      expect(duration().getAttribute('datetime')).to.equal('PT1M');
      await clock.advance(1000);
      await el.updateComplete;
      expect(duration().getAttribute('datetime')).to.equal('PT1M1S');
      expect(duration().textContent).to.match(/1\s*min.*1\s*sec?/);
    });

    it("uses recording_duration once stopped, and the file size in SI units in the element's language", async () => {
      host.show(apiRecording({ status: 'UPLOADED', recording_duration: 1867, file_size: 562954240 }));
      const wrapper = document.createElement('div');
      wrapper.lang = 'de';
      document.body.append(wrapper);
      mounted.push(wrapper);
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' }, wrapper);
      await flush(el);
      expect(row(el, 'Duration')!.querySelector('time')!.getAttribute('datetime')).to.equal('PT31M7S');
      expect(row(el, 'File size')!.textContent.replace(/\s/g, ' ')).to.equal('563,0 MB');
      expect(row(el, 'File')!.textContent).to.equal('weekly-sync.mp4');
    });

    it('shows the download link with its expiry once uploaded', async () => {
      host.show(
        apiRecording({
          status: 'UPLOADED',
          download_url: 'https://cdn.example/r.mp4',
          download_url_expiry: '2026-11-27T10:00:00Z',
        }),
      );
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', lang: 'en' });
      await flush(el);
      const download = shadow(el).querySelector('.download')!;
      expect(download.textContent).to.include('Link expires in 7 days');
      expect(download.querySelector('time')!.getAttribute('datetime')).to.equal('2026-11-27T10:00:00.000Z');
    });

    it('compact hides the details', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', compact: '' });
      await flush(el);
      expect(shadow(el).querySelector('[part="details"]')).to.equal(null);
    });
  });

  describe('language', () => {
    it('strings overrides change what is shown and announced; reading returns the whole table', async () => {
      host.show(apiRecording({ status: 'UPLOADED' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', label: 'Hebdo' });
      el.strings = { stepUploaded: 'Prêt', statusUploaded: 'prêt', announceNamed: 'Enregistrement {label} : {status}' };
      await flush(el);
      expect(steps(el)[3]!.querySelector('[part="label"]')!.textContent.trim()).to.equal('Prêt');
      expect(el.strings.stepUploaded).to.equal('Prêt');
      expect(el.strings.stepInvoked).to.equal('Requested');
      expect(Object.keys(el.strings).length).to.be.greaterThan(40);
      await clock.advance(400);
      const region = document.querySelector('[data-recording-status-announcer="polite"]')!;
      expect(region.textContent).to.include('Enregistrement Hebdo : prêt');
    });

    it('announces changes politely, and failures assertively, through one light-DOM region pair', async () => {
      host.show(apiRecording({ status: 'UPLOADING' }));
      const a = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', label: 'Weekly sync' });
      await flush(a);
      await clock.advance(400);
      expect(document.querySelector('[data-recording-status-announcer="polite"]')!.textContent).to.equal(
        'Weekly sync recording: uploading',
      );
      host.show(apiRecording({ status: 'ERRORED' }));
      await a.refresh();
      await clock.advance(400);
      expect(document.querySelector('[data-recording-status-announcer="assertive"]')!.textContent).to.equal(
        'Weekly sync recording: failed',
      );
      expect(document.querySelectorAll('[data-recording-status-announcer]')).to.have.length(2);
    });
  });

  describe('tokens', () => {
    it('sends the token as a bearer token and keeps it out of the DOM, attributes, events and console', async () => {
      const logged: string[] = [];
      const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
      const originals = methods.map((m) => console[m].bind(console));
      for (const m of methods) console[m] = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
      try {
        host.show(apiRecording({ status: 'RECORDING' }));
        const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'token-endpoint': '/auth/token' });
        const seen: Event[] = [...record(el, 'recording-status-change'), ...record(el, 'recording-status-error')];
        const all = record(el, 'recording-status-change');
        const errs = record(el, 'recording-status-error');
        await flush(el);
        host.answer = () => json(failure(500, 'x'), 500);
        await clock.advance(5000);
        await el.updateComplete;
        const tokenCall = host.fake.calls[0]!;
        expect(new URL(tokenCall.url).searchParams.get('recording_id')).to.equal('r1');
        expect(host.proxyCalls[0]!.headers.authorization).to.equal(`Bearer ${SECRET}`);
        expect(el.outerHTML + shadow(el).innerHTML + document.body.innerHTML).to.not.include(SECRET);
        expect([...el.attributes].map((a) => a.value).join(' ')).to.not.include(SECRET);
        expect(
          JSON.stringify([...all, ...errs, ...seen].map((e) => (e as CustomEvent<unknown>).detail)),
        ).to.not.include(SECRET);
        expect(JSON.stringify(el.recording) + JSON.stringify(el.error)).to.not.include(SECRET);
        expect(logged.join('\n')).to.not.include(SECRET);
      } finally {
        methods.forEach((m, i) => (console[m] = originals[i]!));
      }
    });

    it('a dead token endpoint is a token error and no proxy request goes out', async () => {
      host.tokenAnswer = () => json({ error: 'nope' }, 500);
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'token-endpoint': '/auth/token' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      await clock.advance(5000);
      await el.updateComplete;
      expect(host.proxyCalls).to.have.length(0);
      expect(errors.map((e) => [e.detail.kind, e.detail.willRetry])).to.deep.equal([
        ['token', true],
        ['token', true],
      ]);
    });
  });

  describe('lifecycle in the DOM', () => {
    it('disconnecting aborts the request in flight and leaves no timer; reconnecting resumes', async () => {
      host.answer = () => hang();
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      el.remove();
      await settle();
      expect(host.proxyCalls[0]!.signal!.aborted).to.equal(true);
      expect(clock.pending).to.equal(0);
      host.show(apiRecording({ status: 'RECORDING' }));
      document.body.append(el);
      await flush(el);
      expect(host.proxyCalls).to.have.length(2);
      expect(el.status).to.equal('RECORDING');
    });

    it('a thousand connect/disconnect cycles leave no timer, request or document/window listener', async () => {
      // Count the listeners the element's engine adds to the document and the window, and removes again.
      const { live, restore } = spyOnPageListeners();
      try {
        host.answer = () => hang();
        const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
        await flush(el);
        expect(live.get('document:visibilitychange')).to.equal(1);
        expect(live.get('window:online')).to.equal(1);
        expect(live.get('window:offline')).to.equal(1);
        for (let i = 0; i < 1000; i++) {
          el.remove();
          await settle(1);
          document.body.append(el);
        }
        el.remove();
        await settle();
        expect(clock.pending).to.equal(0);
        expect(host.proxyCalls.every((c) => c.signal!.aborted)).to.equal(true);
        expect(live.get('document:visibilitychange')).to.equal(0);
        expect(live.get('window:online')).to.equal(0);
        expect(live.get('window:offline')).to.equal(0);
      } finally {
        restore();
      }
    });

    it('moving the element in the DOM keeps one stream and sends no extra request', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const a = document.createElement('div');
      const b = document.createElement('div');
      document.body.append(a, b);
      mounted.push(a, b);
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' }, a);
      const changes = record(el, 'recording-status-change');
      await flush(el);
      b.append(el);
      await flush(el);
      expect(host.proxyCalls).to.have.length(1);
      expect(changes).to.have.length(1);
    });

    it('changing the ID restarts cleanly and drops a late answer for the old one', async () => {
      let releaseOld!: () => void;
      host.answer = (url) =>
        url.pathname.endsWith('/old')
          ? new Promise(
              (resolve) =>
                (releaseOld = () => {
                  resolve(json(one(apiRecording({ id: 'old', status: 'UPLOADED' }))));
                }),
            )
          : json(one(apiRecording({ id: 'new', status: 'INVOKED' })));
      const el = mount({ 'recording-id': 'old', 'proxy-url': '/proxy' });
      const changes = record<RecordingStatusChangeEvent>(el, 'recording-status-change');
      await flush(el);
      el.recordingId = 'new';
      await flush(el);
      releaseOld();
      await flush(el);
      expect(el.recording?.id).to.equal('new');
      expect(el.status).to.equal('INVOKED');
      expect(changes.map((e) => [e.detail.recording.id, e.detail.status])).to.deep.equal([['new', 'INVOKED']]);
    });

    it('a new ID starts from loading, not from the old recording', async () => {
      host.answer = (url) => (url.pathname.endsWith('/one') ? json(one(apiRecording({ id: 'one' }))) : hang());
      const el = mount({ 'recording-id': 'one', 'proxy-url': '/proxy' });
      await flush(el);
      el.recordingId = 'two';
      await flush(el);
      expect(el.status).to.equal(null);
      expect(el.hasAttribute('status')).to.equal(false);
      expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    });

    it('elements watching the same recording share one request, and each fires its own events', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const els = Array.from({ length: 5 }, () => mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' }));
      const changes = els.map((el) => record(el, 'recording-status-change'));
      await flush(els[0]!);
      await Promise.all(els.map((el) => el.updateComplete));
      expect(host.proxyCalls).to.have.length(1);
      expect(changes.map((c) => c.length)).to.deep.equal([1, 1, 1, 1, 1]);
    });
  });

  describe('at the edges: other origins, timer limits, reconnects, foreign aborts, expiry, dates, ticks', () => {
    it('a proxy on another origin that cannot be reached says to check its CORS headers', async () => {
      host.answer = () => Promise.reject(new TypeError('Failed to fetch'));
      const elsewhere = mount({ 'recording-id': 'r1', 'proxy-url': 'https://proxy.example/api' });
      const errors = record<RecordingStatusErrorEvent>(elsewhere, 'recording-status-error');
      await flush(elsewhere);
      expect(errors[0]!.detail.kind).to.equal('network');
      expect(errors[0]!.detail.message).to.equal(
        'The proxy could not be reached. Another origin: check its CORS headers.',
      );
    });

    it('a huge poll-interval is clamped to an hour, never a tight loop', async () => {
      // UPLOADING: nothing ticks every second, so an hour of fake time passes quickly in every engine.
      host.show(apiRecording({ status: 'UPLOADING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'poll-interval': '3000000000' });
      await flush(el);
      await clock.advance(60_000);
      expect(el.pollInterval).to.equal(3_600_000);
      expect(host.proxyCalls).to.have.length(1);
      await clock.advance(3_600_000 - 60_000);
      expect(host.proxyCalls).to.have.length(2);
    });

    it('a huge request-timeout is clamped to five minutes, not a timeout at once', async () => {
      host.answer = () => hang();
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'request-timeout': '3000000000' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      await clock.advance(299_999);
      expect(errors).to.have.length(0);
      await clock.advance(1);
      await el.updateComplete;
      expect(errors.map((e) => e.detail.kind)).to.deep.equal(['timeout']);
    });

    it('never goes backwards across a disconnect: a lagging answer after reconnecting is ignored', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const changes = record<RecordingStatusChangeEvent>(el, 'recording-status-change');
      await flush(el);
      el.remove();
      await settle();
      host.show(apiRecording({ status: 'INVOKED' }));
      document.body.append(el);
      await flush(el);
      expect(host.proxyCalls).to.have.length(2);
      expect(el.status).to.equal('RECORDING');
      expect(el.getAttribute('status')).to.equal('RECORDING');
      expect(changes.map((e) => [e.detail.previousStatus, e.detail.status])).to.deep.equal([[null, 'RECORDING']]);
    });

    it('the failed step stays put when a refresh adds stopped_time', async () => {
      host.show(apiRecording({ status: 'UPLOADING', started_time: '2026-11-20T09:50:00Z' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      host.show(apiRecording({ status: 'ERRORED', started_time: '2026-11-20T09:50:00Z' }));
      await clock.advance(5000);
      await el.updateComplete;
      expect(hiddenStates(el)).to.deep.equal(['completed', 'completed', 'failed', 'not started']);
      host.show(
        apiRecording({ status: 'ERRORED', started_time: '2026-11-20T09:50:00Z', stopped_time: '2026-11-20T09:59:00Z' }),
      );
      await el.refresh();
      expect(el.recording!.stoppedAt).to.not.equal(null);
      expect(hiddenStates(el)).to.deep.equal(['completed', 'completed', 'failed', 'not started']);
    });

    it('an abort it did not cause (a fetch wrapper) is reported and retried, and loading ends', async () => {
      let calls = 0;
      host.answer = () =>
        ++calls === 1
          ? Promise.reject(new DOMException('aborted by a wrapper', 'AbortError'))
          : json(one(apiRecording({ status: 'RECORDING' })));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const errors = record<RecordingStatusErrorEvent>(el, 'recording-status-error');
      await flush(el);
      expect(errors.map((e) => [e.detail.kind, e.detail.willRetry])).to.deep.equal([['network', true]]);
      await clock.advance(5000);
      await el.updateComplete;
      expect(el.status).to.equal('RECORDING');
      expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('false');
    });

    it('lowering poll-interval applies at once, not after the old interval', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy', 'poll-interval': '60000' });
      await flush(el);
      await clock.advance(1000);
      el.pollInterval = 5000;
      await el.updateComplete;
      await clock.advance(4000);
      expect(host.proxyCalls).to.have.length(2);
    });

    it('hides an expired download link at the moment it expires, not up to a minute later', async () => {
      host.show(
        apiRecording({
          status: 'UPLOADED',
          download_url: 'https://cdn.example/r1.mp4',
          download_url_expiry: '2026-11-20T10:00:30Z',
        }),
      );
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      await flush(el);
      // What the link says, not the node: a failed assertion on a node makes the runner serialise the whole
      // page into its report, which hangs until the run's timeout instead of failing with this message.
      const link = () => shadow(el).querySelector('a[part="download"]')?.textContent.trim() ?? null;
      expect(link(), 'the link is offered until it expires').to.not.equal(null);
      await clock.advance(29_999);
      await el.updateComplete;
      expect(link(), 'the link is still offered 1 ms before it expires').to.not.equal(null);
      await clock.advance(1);
      await el.updateComplete;
      expect(link(), 'the link is gone at the moment it expires, not at the next minute').to.equal(null);
    });

    it('a configuration error superseded in the same task is never reported', async () => {
      host.show(apiRecording({ status: 'RECORDING' }));
      const el = document.createElement('recording-status');
      const errors = record(el, 'recording-status-error');
      // As frameworks do: connect first, then set attributes one by one.
      el.setAttribute('transport', 'poll');
      el.setAttribute('recording-id', 'r1');
      document.body.append(el);
      mounted.push(el);
      el.setAttribute('proxy-url', '/proxy');
      await flush(el);
      expect(errors).to.have.length(0);
      expect(el.status).to.equal('RECORDING');
    });

    it('reads dates with a lowercase t and z, as RFC 3339 allows', async () => {
      host.show(apiRecording({ status: 'RECORDING', started_time: '2026-11-20t09:59:00z' }));
      const el = mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' });
      const errors = record(el, 'recording-status-error');
      await flush(el);
      expect(errors).to.have.length(0);
      expect(el.recording!.startedAt!.toISOString()).to.equal('2026-11-20T09:59:00.000Z');
    });

    it('one page-wide timer ticks live durations for every element, at whole seconds', async () => {
      host.show(apiRecording({ status: 'RECORDING', started_time: '2026-11-20T09:59:00Z' }));
      const els = Array.from({ length: 20 }, () => mount({ 'recording-id': 'r1', 'proxy-url': '/proxy' }));
      await flush(els[0]!);
      await clock.advance(500);
      // The ticker's and the stream's poll timer: not one per element.
      expect(clock.delays).to.deep.equal([500, 4500]);
    });
  });
});
