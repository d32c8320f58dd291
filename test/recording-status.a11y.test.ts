/**
 * The element passes axe in every state it can show, in light and dark colour schemes and with forced
 * colours. Real timers here: axe schedules its own work.
 */
import { expect } from '@open-wc/testing';
import type { emulateMedia } from '@web/test-runner-commands';
import '../src/define.js';
import { schemeRead } from './helpers/mount.js';
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
 * Dark is tested two ways: the user's preference (emulated where the browser speaks CDP) and a host that
 * sets `color-scheme: dark` on the element, which every engine honours. Forced colours need CDP, so
 * Firefox skips them.
 */
const schemes: [string, Parameters<typeof emulateMedia>[0] | null, string][] = [
  ['light', { colorScheme: 'light', forcedColors: 'none' }, ''],
  ['dark by preference', { colorScheme: 'dark', forcedColors: 'none' }, ''],
  ['dark set by the host', null, 'dark'],
  ['forced colours', { colorScheme: 'light' }, 'forced'],
];

describe('<recording-status> accessibility', () => {
  let originalFetch: typeof fetch;
  let answer: Answer = () => hang();
  const fake = new FakeFetch(() => answer());

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
          if (hostScheme === 'dark') el.style.colorScheme = hostScheme;
          document.body.append(el);
          el.requestUpdate();
          try {
            await settle(5);
            await schemeRead(el);
            await expect(el).to.be.accessible();
          } finally {
            el.remove();
          }
        });
      }
    });
  }
});
