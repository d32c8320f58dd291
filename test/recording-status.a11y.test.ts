/**
 * The element passes axe in every state it can show, in light and dark colour schemes and with forced
 * colours, also when forced colours are switched on after it rendered in a dark scheme. Real timers here: axe schedules its own work.
 */
import { expect } from '@open-wc/testing';
import type { emulateMedia } from '@web/test-runner-commands';
import '../src/define.js';
import type { RecordingStatusElement } from '../src/recording-status.js';
import { FakeFetch, hang, json, settle } from './helpers/fake-env.js';
import { emulateForcedColors, launchedInForcedColors, tryEmulate } from './helpers/media.js';
import { apiRecording, failure, list, one } from './helpers/recordings.js';

type Answer = () => Response | Promise<Response>;

const cases: [string, Record<string, string>, Answer | null][] = [
  ['idle (no ID)', { 'proxy-url': '/proxy' }, null],
  ['misconfigured (no proxy-url)', { 'recording-id': 'r1' }, null],
  ['loading', { 'recording-id': 'r1', 'proxy-url': '/proxy' }, () => hang()],
  ['a meeting with no recording', { 'meeting-id': 'm1', 'proxy-url': '/proxy' }, () => json(list())],
  [
    'INVOKED',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => json(one(apiRecording({ status: 'INVOKED', started_time: null }))),
  ],
  [
    'RECORDING',
    { 'recording-id': 'r1', 'proxy-url': '/proxy', label: 'Weekly sync' },
    () => json(one(apiRecording({ status: 'RECORDING' }))),
  ],
  ['PAUSED', { 'recording-id': 'r1', 'proxy-url': '/proxy' }, () => json(one(apiRecording({ status: 'PAUSED' })))],
  [
    'UPLOADING',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => json(one(apiRecording({ status: 'UPLOADING', file_size: 1e6 }))),
  ],
  [
    'UPLOADED with a download link',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () =>
      json(
        one(
          apiRecording({
            status: 'UPLOADED',
            file_size: 562954240,
            download_url: 'https://cdn.example/r.mp4',
            download_url_expiry: '2099-01-01T00:00:00Z',
          }),
        ),
      ),
  ],
  [
    'ERRORED at INVOKED',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => json(one(apiRecording({ status: 'ERRORED', started_time: null }))),
  ],
  [
    'ERRORED at RECORDING',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => json(one(apiRecording({ status: 'ERRORED' }))),
  ],
  [
    'ERRORED at UPLOADING',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => json(one(apiRecording({ status: 'ERRORED', file_size: 5 }))),
  ],
  [
    'a connection notice',
    { 'recording-id': 'r1', 'proxy-url': '/proxy' },
    () => Promise.reject(new TypeError('offline')),
  ],
  ['a halted notice', { 'recording-id': 'r1', 'proxy-url': '/proxy' }, () => json(failure(403, 'Forbidden'), 403)],
  [
    'compact',
    { 'recording-id': 'r1', 'proxy-url': '/proxy', compact: '' },
    () => json(one(apiRecording({ status: 'RECORDING' }))),
  ],
  [
    'vertical',
    { 'recording-id': 'r1', 'proxy-url': '/proxy', orientation: 'vertical' },
    () => json(one(apiRecording({ status: 'UPLOADING' }))),
  ],
];

/**
 * Dark is tested two ways: the user's preference on a page that declares `color-scheme: light dark` (emulated
 * where the browser speaks CDP) and a host that sets `color-scheme: dark` on the element, which every engine
 * honours. Forced colours need CDP, so
 * Firefox skips them.
 */
const schemes: [string, Parameters<typeof emulateMedia>[0] | null, string][] = [
  ['light', { colorScheme: 'light', forcedColors: 'none' }, ''],
  [
    'dark by preference, on a page that declares both schemes',
    { colorScheme: 'dark', forcedColors: 'none' },
    'light dark',
  ],
  ['dark set by the host', null, 'dark'],
  ['forced colours', { colorScheme: 'light' }, 'forced'],
];

/** What forced colours make of an element: the classes of its `base`, and the colours axe would read. */
function look(el: Element): string {
  const base = el.shadowRoot!.querySelector('[part="base"]')!;
  const description = el.shadowRoot!.querySelector('[part="description"]')!;
  return [base.className, getComputedStyle(base).backgroundColor, getComputedStyle(description).color].join(' | ');
}

describe('<recording-status> accessibility', () => {
  let originalFetch: typeof fetch;
  let answer: Answer = () => hang();
  /** Answers by recording or meeting ID, for tests that show many states at once; else `answer`. */
  const answers = new Map<string, Answer>();
  const fake = new FakeFetch((url) => {
    const id = url.searchParams.get('meeting_id') ?? decodeURIComponent(url.pathname.split('/').pop() ?? '');
    return (answers.get(id) ?? answer)();
  });

  before(() => {
    originalFetch = globalThis.fetch;
    globalThis.fetch = fake.asGlobal;
  });
  after(async () => {
    globalThis.fetch = originalFetch;
    await tryEmulate({ colorScheme: 'light' });
  });

  for (const [schemeName, media, hostScheme] of schemes) {
    describe(schemeName, () => {
      before(async function () {
        // A browser started in forced colours checks only that look.
        if (launchedInForcedColors && hostScheme !== 'forced') this.skip();
        if (media && !(await tryEmulate(media)) && media.colorScheme === 'dark') this.skip();
        if (hostScheme === 'forced' && !(await emulateForcedColors(true))) this.skip();
      });
      after(async () => {
        if (hostScheme === 'forced') await emulateForcedColors(false);
      });
      for (const [name, attributes, respond] of cases) {
        it(`${name} passes axe`, async () => {
          answer = respond ?? (() => hang());
          const el = document.createElement('recording-status');
          for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
          if (hostScheme !== '' && hostScheme !== 'forced') el.style.colorScheme = hostScheme;
          document.body.append(el);
          try {
            await settle(5);
            await el.updateComplete;
            await expect(el).to.be.accessible();
          } finally {
            el.remove();
          }
        });
      }
    });
  }

  /**
   * Where a dark scheme meets forced colours switched on after rendering, Chromium has reported
   * `-webkit-text-fill-color`, which axe reads first, as the unforced dark-scheme text colour while painting the
   * forced one: axe then measured light text on the forced light canvas. Every text must read as it is painted.
   */
  const darkWays: [string, Parameters<typeof emulateMedia>[0] | null, string][] = [
    ['dark set by the host', null, 'dark'],
    ['dark by preference, on a page that declares both schemes', { colorScheme: 'dark' }, 'light dark'],
  ];
  for (const [way, media, hostScheme] of darkWays) {
    it(`${way}, then forced colours: every text reads as it is painted, and passes axe`, async function () {
      this.timeout(60_000);
      if (media && !(await tryEmulate(media))) this.skip();
      const elements: RecordingStatusElement[] = [];
      try {
        for (const [index, [name, attributes, respond]] of cases.entries()) {
          const el = document.createElement('recording-status');
          for (const [k, v] of Object.entries(attributes)) {
            const id = k === 'recording-id' || k === 'meeting-id' ? `${v}-dark-${index}` : v;
            if (id !== v) answers.set(id, respond ?? (() => hang()));
            el.setAttribute(k, id);
          }
          el.dataset.case = name;
          el.style.colorScheme = hostScheme;
          document.body.append(el);
          elements.push(el);
          await settle(5);
          await el.updateComplete;
        }
        if (!(await emulateForcedColors(true))) this.skip();
        for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
        const misread: string[] = [];
        for (const el of elements) {
          for (const node of el.shadowRoot!.querySelectorAll('*')) {
            const text = [...node.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
            if (!text) continue;
            const style = getComputedStyle(node);
            const read = style.getPropertyValue('-webkit-text-fill-color') || style.color;
            if (read !== style.color)
              misread.push(`${el.dataset.case} <${node.localName}>: ${read}, painted ${style.color}`);
          }
        }
        expect(misread, misread.join('\n')).to.deep.equal([]);
        for (const el of elements) await expect(el, el.dataset.case).to.be.accessible();
      } finally {
        for (const el of elements) el.remove();
        answers.clear();
        await emulateForcedColors(false);
        await tryEmulate({ colorScheme: 'light' });
      }
    });
  }

  for (const preference of ['light', 'dark'] as const) {
    it(`in forced colours (${preference} preference), every state looks the same whenever it rendered, and passes axe`, async function () {
      this.timeout(60_000);
      if (launchedInForcedColors || !(await tryEmulate({ colorScheme: preference }))) this.skip();
      let round = 0;
      /** One element per case, each on its own ID and answer, so each keeps its state; appended one by one. */
      const mount = async () => {
        round++;
        const set: RecordingStatusElement[] = [];
        for (const [index, [name, attributes, respond]] of cases.entries()) {
          const el = document.createElement('recording-status');
          for (const [k, v] of Object.entries(attributes)) {
            const id = k === 'recording-id' || k === 'meeting-id' ? `${v}-${round}-${index}` : v;
            if (id !== v) answers.set(id, respond ?? (() => hang()));
            el.setAttribute(k, id);
          }
          el.dataset.case = name;
          document.body.append(el);
          set.push(el);
          elements.push(el);
          await settle(5);
          await el.updateComplete;
        }
        return set;
      };
      const elements: RecordingStatusElement[] = [];
      try {
        const before = await mount();
        if (!(await emulateForcedColors(true))) this.skip();
        const after = await mount();
        // Whatever renders next (a tick, a poll) or not at all, the first set must look as the second does.
        await settle(5);
        for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
        await Promise.all(elements.map((el) => el.updateComplete));
        const looks = elements.map((el) => `${el.dataset.case}: ${look(el)}`);
        const classes = new Set(elements.map((el) => el.shadowRoot!.querySelector('[part="base"]')!.className));
        expect([...classes], `one class for every element on the page:\n${looks.join('\n')}`).to.have.length(1);
        for (let i = 0; i < before.length; i++) {
          expect(look(after[i]!), `${before[i]!.dataset.case}: rendered before and after forced colours`).to.equal(
            look(before[i]!),
          );
        }
        for (const el of elements) await expect(el, el.dataset.case).to.be.accessible();
      } finally {
        for (const el of elements) el.remove();
        answers.clear();
        await emulateForcedColors(false);
        await tryEmulate({ colorScheme: 'light' });
      }
    });
  }
});
