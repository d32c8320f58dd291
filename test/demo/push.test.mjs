// @ts-check
/**
 * The demo in a real browser, on both servers: `npm start` (Node) and `npm run worker` (the Worker and its
 * Durable Objects in workerd). Over HTTP/1.1 (both demos) the widgets hold at most two event streams per proxy
 * origin, so the page shows one meeting at a time: its widget and the recording being walked hold the two. A
 * recording is walked through its lifecycle with the page's buttons; every live widget reads `connection="push"`
 * and the network sees stream opens and token fetches, not one poll. Switching meetings removes the first one's
 * widgets, whose streams end, and the second meeting and its recording get push. Then the server's /events is
 * switched off: the page polls, and shows no error. The page passes axe. Heavier than the unit suites (it starts
 * wrangler): CI runs it as its own step, `npm run test:demo`.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const root = new URL('../..', import.meta.url);
const require = createRequire(import.meta.url);
/** Terminal colour codes, which vite prints around its URL. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Starts a demo and returns its URL once it prints it (bounded: three minutes).
 * @param {string[]} command @param {RegExp} ready
 */
async function startDemo(command, ready) {
  const child = spawn(command[0] ?? 'npm', command.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: '5199', WRANGLER_SEND_METRICS: 'false', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-(child.pid ?? 0), 'SIGTERM');
    await exited;
  });
  let output = '';
  return /** @type {Promise<string>} */ (
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no demo URL within 3 minutes:\n${output}`)), 180_000);
      const read = (/** @type {Buffer} */ chunk) => {
        output += chunk.toString();
        const url = ready.exec(output.replace(ANSI, ''))?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
    })
  );
}

/** Page-side: every widget that is live (has a `connection`), by target, with how it is connected. */
const liveWidgets = () =>
  [...document.querySelectorAll('recording-status[connection]')].map((el) => ({
    target: el.getAttribute('recording-id') ?? el.getAttribute('meeting-id') ?? '',
    connection: el.getAttribute('connection'),
  }));

/**
 * Walks a recording through its lifecycle on the page, switches meetings, then switches push off, and reports
 * what the widgets showed and the network saw.
 */
async function walk(/** @type {string} */ url) {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  /** Every request the widgets send to the proxy (the page's own /api/control and /api/stats left out). */
  /** @type {string[]} */
  const requests = [];
  /** Event streams still open, by puppeteer's request. @type {Map<import('puppeteer-core').HTTPRequest, string>} */
  const openStreams = new Map();
  page.on('request', (request) => {
    const { pathname, search } = new URL(request.url());
    if (!pathname.startsWith('/api/') || /^\/api\/(control|stats)(\/|$)/.test(pathname)) return;
    requests.push(pathname + search);
    if (pathname.startsWith('/api/events')) openStreams.set(request, search);
  });
  const ended = (/** @type {import('puppeteer-core').HTTPRequest} */ request) => openStreams.delete(request);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  /** Anything but a stream open or a token fetch: a poll of /api/recordings…. */
  const polls = () => requests.filter((path) => !/^\/api\/(events|token)(\?|$)/.test(path));
  const axe = async () => {
    await page.addScriptTag({ path: require.resolve('axe-core') });
    return page.evaluate(async () => {
      // @ts-expect-error axe-core's global, injected above
      const { violations } = await window.axe.run(document);
      return /** @type {{ id: string }[]} */ (violations).map((v) => v.id);
    });
  };

  await page.goto(url);
  // The first meeting on show, and only it: its widget and one per recording (two seeded, both final).
  await page.waitForFunction(() => document.querySelectorAll('recording-status[status]').length >= 3, {
    timeout: 30_000,
  });
  const firstMeeting = await page.$eval('#meeting-picker', (el) => /** @type {HTMLSelectElement} */ (el).value);
  const meetingsShown = await page.$$eval('.meeting', (els) => els.length);
  const rowsBefore = await page.$$eval('.meeting li recording-status', (els) => els.length);
  const meetingWidget = '.meeting > .widget > recording-status';
  const newest = '.meeting li:first-child';
  // Settled after loading: the meeting holds a stream, the final recordings rest; from here on, count.
  await page.waitForFunction(
    (selector) =>
      document.querySelector(selector)?.getAttribute('connection') === 'push' &&
      document.querySelectorAll('recording-status[connection]').length === 1,
    { timeout: 30_000 },
    meetingWidget,
  );
  const axeLoaded = await axe();

  /** Every live widget at every sample; any that is not on push is kept. */
  /** @type {{ target: string, connection: string | null }[]} */
  const notPushed = [];
  let samples = 0;
  const sample = async () => {
    samples += 1;
    notPushed.push(...(await page.evaluate(liveWidgets)).filter((w) => w.connection !== 'push'));
  };
  const status = (/** @type {string} */ want, /** @type {number} */ rows) =>
    page.waitForFunction(
      (selector, meeting, value, count) =>
        document.querySelectorAll('.meeting li recording-status').length > count &&
        document.querySelector(`${selector} recording-status`)?.getAttribute('status') === value &&
        document.querySelector(meeting)?.getAttribute('status') === value,
      { timeout: 30_000 },
      newest,
      meetingWidget,
      want,
      rows,
    );
  /** Waits until both the meeting and its newest recording are on push. */
  const bothPushed = () =>
    page.waitForFunction(
      (selector, meeting) =>
        document.querySelector(`${selector} recording-status`)?.getAttribute('connection') === 'push' &&
        document.querySelector(meeting)?.getAttribute('connection') === 'push',
      { timeout: 30_000 },
      newest,
      meetingWidget,
    );
  const press = async (/** @type {string} */ action) => {
    await page.waitForSelector(`${newest} button[data-action="${action}"]:not([disabled])`, { timeout: 30_000 });
    await page.click(`${newest} button[data-action="${action}"]`);
  };

  requests.length = 0;
  await sample();
  await page.click('.meeting > button');
  await status('RECORDING', rowsBefore);
  await bothPushed();
  await sample();
  await press('pause');
  await status('PAUSED', rowsBefore);
  await sample();
  await press('stop');
  await status('UPLOADING', rowsBefore);
  await sample();
  await status('UPLOADED', rowsBefore);
  await sample();
  const walked = {
    polls: polls(),
    streams: requests.filter((path) => path.startsWith('/api/events')).length,
  };
  const meetingConnection = await page.$eval(meetingWidget, (el) => el.getAttribute('connection'));
  const backend = await page.$eval('#stat-backend', (el) => el.textContent);

  // Both slots taken (the meeting and a live recording), then the other meeting: the first one's widgets leave
  // the DOM and give their streams back, so the second meeting and its recording both get push.
  const rowsAgain = await page.$$eval('.meeting li recording-status', (els) => els.length);
  await page.click('.meeting > button');
  await status('RECORDING', rowsAgain);
  await bothPushed();
  const firstTargets = await page.$$eval('recording-status', (els) =>
    els.map((el) => el.getAttribute('recording-id') ?? el.getAttribute('meeting-id') ?? ''),
  );
  const secondMeeting = await page.$eval(
    '#meeting-picker',
    (el) => /** @type {HTMLSelectElement} */ (el).options[1]?.value ?? '',
  );
  requests.length = 0;
  await page.select('#meeting-picker', secondMeeting);
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('connection') === 'push',
    { timeout: 30_000 },
    meetingWidget,
  );
  await page.click('.meeting > button');
  await status('RECORDING', 0);
  await bothPushed();
  await sample();
  // Paused and resumed: RECORDING again, on both widgets (bounded; what they show is asserted below).
  await press('pause');
  await status('PAUSED', 0);
  await sample();
  await press('resume');
  const resumed = await status('RECORDING', 0).then(
    () => 'RECORDING',
    () => page.$eval(meetingWidget, (el) => el.getAttribute('status')),
  );
  await sample();
  const switched = {
    url: new URL(page.url()).searchParams.get('meeting'),
    heading: await page.$eval('.meeting h3', (el) => el.textContent),
    leftInDom: await page.$$eval(
      'recording-status',
      (els, targets) =>
        els.filter((el) => targets.includes(el.getAttribute('recording-id') ?? el.getAttribute('meeting-id') ?? ''))
          .length,
      firstTargets,
    ),
    streamsLeftOpen: [...openStreams.values()].filter((search) => firstTargets.some((id) => search.includes(id))),
    locksHeld: await page.evaluate(async () => (await navigator.locks.query()).held?.length ?? 0),
    polls: polls(),
  };
  const axeSwitched = await axe();

  // The server's push switched off: the page falls back to polling with no error shown.
  const errorsBefore = await page.$$eval(
    '#log li',
    (els) => els.filter((li) => li.textContent?.includes('error')).length,
  );
  const readsBefore = polls().length;
  await page.click('#push-switch');
  // Every stream ends and is not reopened: the widgets poll (or rest, a polled meeting at a final status).
  await page.waitForFunction(
    () =>
      document.querySelectorAll('recording-status[connection="push"]').length === 0 &&
      document.querySelectorAll('recording-status[connection="poll"]').length > 0,
    { timeout: 30_000 },
  );
  const rows = await page.$$eval('.meeting li recording-status', (els) => els.length);
  await press('stop');
  await page.waitForFunction(
    (selector, count) =>
      document.querySelectorAll('.meeting li recording-status').length === count &&
      document.querySelector(`${selector} recording-status`)?.getAttribute('status') === 'UPLOADED',
    { timeout: 30_000 },
    newest,
    rows,
  );
  const errorsAfter = await page.$$eval(
    '#log li',
    (els) => els.filter((li) => li.textContent?.includes('error')).length,
  );
  const notices = await page.$$eval(
    'recording-status',
    (els) => els.filter((el) => el.shadowRoot?.querySelector('[part="notice"]')).length,
  );
  const readsAfter = polls().length;

  // The meeting is remembered in the URL beside ?transport=poll.
  await page.goto(new URL(`?meeting=${secondMeeting}&transport=poll`, url).href);
  await page.waitForFunction(() => document.querySelector('.meeting h3')?.textContent === 'Design review', {
    timeout: 30_000,
  });
  const reloaded = {
    picked: await page.$eval('#meeting-picker', (el) => /** @type {HTMLSelectElement} */ (el).value),
    transports: await page.$$eval('recording-status', (els) => [
      ...new Set(els.map((el) => el.getAttribute('transport'))),
    ]),
  };
  return {
    meetingsShown,
    firstMeeting,
    secondMeeting,
    axe: { loaded: axeLoaded, switched: axeSwitched },
    samples,
    notPushed,
    walked,
    meetingConnection,
    backend,
    switched,
    fallback: { errors: errorsAfter - errorsBefore, notices, reads: readsAfter - readsBefore },
    reloaded,
    resumed,
  };
}

for (const [name, command, ready] of /** @type {const} */ ([
  [
    'npm start (Node)',
    ['npx', 'vite', '--config', 'vite.config.ts', '--host', '127.0.0.1', '--port', '5199', '--strictPort'],
    /Local:\s+(http:\/\/\S+)/,
  ],
  [
    'npm run worker (workerd)',
    ['node', 'scripts/worker-demo.mjs'],
    /Demo \(widgets served by the Worker in workerd\): (http:\/\/\S+)/,
  ],
])) {
  describe(`the demo, ${name}`, () => {
    it('walks a recording through its lifecycle with every live widget on push and no poll; switching meetings frees the streams; with /events off the page polls, with no error', async (t) => {
      const url = await startDemo([...command], ready);
      const seen = await walk(url);
      t.diagnostic(JSON.stringify(seen));
      assert.match(seen.backend ?? '', name.includes('worker') ? /workerd/ : /Node/);
      // One meeting on show; the page passes axe before and after switching.
      assert.equal(seen.meetingsShown, 1);
      assert.deepEqual(seen.axe, { loaded: [], switched: [] });
      // The walk: every live widget (the meeting and the walked recording) reads push at every step, and the
      // network saw stream opens and token fetches only: not one poll.
      assert.ok(seen.samples >= 5);
      assert.deepEqual(seen.notPushed, []);
      assert.deepEqual(seen.walked.polls, []);
      assert.ok(seen.walked.streams >= 1, 'the walked recording opened its stream');
      assert.equal(seen.meetingConnection, 'push');
      // Switching meetings with both streams held: the first meeting's widgets leave the DOM and end their
      // streams, and the second meeting and its new recording both get push, still with no poll.
      assert.notEqual(seen.secondMeeting, seen.firstMeeting);
      assert.equal(seen.switched.url, seen.secondMeeting);
      assert.equal(seen.switched.heading, 'Design review');
      assert.equal(seen.switched.leftInDom, 0);
      assert.deepEqual(seen.switched.streamsLeftOpen, []);
      assert.equal(seen.switched.locksHeld, 2);
      assert.deepEqual(seen.switched.polls, []);
      // Push off: the widgets poll, and nobody sees an error.
      assert.ok(seen.fallback.reads > 0);
      assert.equal(seen.fallback.errors, 0);
      assert.equal(seen.fallback.notices, 0);
      // ?meeting= and ?transport=poll together.
      assert.deepEqual(seen.reloaded, { picked: seen.secondMeeting, transports: ['poll'] });
      // Last, so that everything above is checked even while this fails: a resumed recording shows RECORDING.
      assert.equal(
        seen.resumed,
        'RECORDING',
        'Resume: the server drops the second RECORDING webhook, byte-identical to the first, as a duplicate delivery',
      );
      await cleanups.pop()?.();
      await cleanups.pop()?.();
    });
  });
}
