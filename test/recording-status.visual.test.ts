/**
 * Screenshots of every state against committed baselines (test/screenshots/<browser>/baseline), so a visual
 * change is always a reviewed change. `npm run test:update-screenshots` rewrites the baselines.
 */
import { visualDiff } from '@web/test-runner-visual-regression';
import { emulateForcedColors } from './helpers/media.js';
import { showRecording } from './helpers/mount.js';
import { installPageClock, type PageClock } from './helpers/page-clock.js';

const states: [string, Record<string, unknown> | 'loading' | 'empty' | 'notice'][] = [
  ['loading', 'loading'],
  ['no-recording', 'empty'],
  ['invoked', { status: 'INVOKED', started_time: null }],
  ['recording', { status: 'RECORDING', started_time: '2026-11-20T09:58:00Z' }],
  ['paused', { status: 'PAUSED', started_time: '2026-11-20T09:58:00Z' }],
  [
    'uploading',
    { status: 'UPLOADING', stopped_time: '2026-11-20T09:59:30Z', file_size: 28_000_000, recording_duration: 90 },
  ],
  [
    'uploaded',
    {
      status: 'UPLOADED',
      file_size: 562954240,
      download_url: 'https://cdn.example/r.mp4',
      download_url_expiry: '2026-11-27T09:31:12.003Z',
    },
  ],
  ['errored-at-invoked', { status: 'ERRORED', started_time: null, stopped_time: null }],
  ['errored-at-recording', { status: 'ERRORED', file_size: null }],
  ['errored-at-uploading', { status: 'ERRORED', file_size: 1000 }],
  ['connection-notice', 'notice'],
];

const looks: [string, 'light' | 'dark', boolean][] = [
  ['light', 'light', false],
  ['dark', 'dark', false],
  ['forced-colors', 'light', true],
];

describe('<recording-status> looks', () => {
  let clock: PageClock;
  let realFetch: typeof fetch;
  before(() => {
    realFetch = globalThis.fetch;
  });
  beforeEach(() => {
    clock = installPageClock(Date.UTC(2026, 10, 20, 10, 0, 0));
  });
  afterEach(() => {
    clock.uninstall();
    globalThis.fetch = realFetch;
  });

  for (const [lookName, scheme, forced] of looks) {
    describe(lookName, () => {
      before(async function () {
        if (forced && !(await emulateForcedColors(true))) this.skip();
      });
      after(async () => {
        if (forced) await emulateForcedColors(false);
      });

      for (const orientation of ['horizontal', 'vertical']) {
        for (const [name, fields] of states) {
          it(`${name}, ${orientation}`, async () => {
            const box = document.createElement('div');
            box.style.width = orientation === 'horizontal' ? '640px' : '360px';
            box.style.padding = '4px';
            box.lang = 'en-US';
            document.body.append(box);
            try {
              const shown =
                typeof fields === 'object' ? fields : { status: 'RECORDING', started_time: '2026-11-20T09:58:00Z' };
              const el = await showRecording(shown, { orientation, label: 'Weekly sync' }, box);
              box.style.colorScheme = scheme;
              if (fields === 'loading' || fields === 'empty' || fields === 'notice') {
                // Re-point the element at answers for the state under test.
                const answer: () => Promise<Response> =
                  fields === 'loading'
                    ? () => new Promise(() => {})
                    : fields === 'empty'
                      ? () => Promise.resolve(new Response(JSON.stringify({ success: true, data: [] })))
                      : () => Promise.reject(new TypeError('offline'));
                globalThis.fetch = answer;
                if (fields === 'notice') {
                  await el.refresh();
                } else {
                  el.removeAttribute('recording-id');
                  el.setAttribute('meeting-id', `m-${name}-${orientation}-${lookName}`);
                  await clock.advance(0);
                  await el.updateComplete;
                  // The answer can take a while: a native body read settles after an engine-dependent number of
                  // tasks, and a page that starts hidden (Firefox, first test) polls only once it is shown.
                  const busy = () => el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy');
                  for (let i = 0; i < 2000 && fields === 'empty' && busy() === 'true'; i++) {
                    await clock.advance(0);
                    await el.updateComplete;
                  }
                }
              }
              // The recording pulse would be caught at a random frame: freeze every animation at its start.
              for (const animation of document.getAnimations()) {
                animation.pause();
                animation.currentTime = 0;
              }
              await visualDiff(box, `${lookName}-${orientation}-${name}`);
            } finally {
              box.remove();
            }
          });
        }
      }
    });
  }
});
