// @ts-check
/**
 * The demo in a real browser, on both servers: `npm start` (Node) and `npm run worker` (the Worker and its
 * Durable Objects in workerd). A recording is walked through its lifecycle with the page's buttons; every
 * widget must follow it, the ones holding an event stream (`connection="push"`) without a single poll. Over
 * HTTP/1.1 (both demos) the widgets hold at most two streams per proxy origin: the others poll until a stream
 * frees. Then the server's /events is switched off: the page polls, and shows no error. Heavier than the unit
 * suites (it starts wrangler): CI runs it as its own step, `npm run test:demo`.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const root = new URL('../..', import.meta.url);
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

/** Walks a recording through its lifecycle on the page and reports what the network saw. */
async function walk(/** @type {string} */ url) {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  /** Every request the page sends to the proxy, and which widget target it is for. @type {string[]} */
  const requests = [];
  page.on('request', (request) => {
    const { pathname, search } = new URL(request.url());
    if (pathname.startsWith('/api/recordings') || pathname.startsWith('/api/events')) requests.push(pathname + search);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('recording-status[status]').length >= 3, {
    timeout: 30_000,
  });
  const rowsBefore = await page.$$eval('.meeting:first-of-type li recording-status', (els) => els.length);

  const newest = '.meeting:first-of-type li:first-child';
  const meetingWidget = '.meeting:first-of-type > .widget > recording-status';
  const status = (/** @type {string} */ want) =>
    page.waitForFunction(
      (selector, meeting, value, count) =>
        document.querySelectorAll('.meeting:first-of-type li recording-status').length > count &&
        document.querySelector(`${selector} recording-status`)?.getAttribute('status') === value &&
        document.querySelector(meeting)?.getAttribute('status') === value,
      { timeout: 30_000 },
      newest,
      meetingWidget,
      want,
      rowsBefore,
    );
  const press = async (/** @type {string} */ action) => {
    await page.waitForSelector(`${newest} button[data-action="${action}"]:not([disabled])`, { timeout: 30_000 });
    await page.click(`${newest} button[data-action="${action}"]`);
  };
  const connections = () =>
    page.$$eval('recording-status', (els) =>
      els.map((el) => ({
        target: el.getAttribute('recording-id') ?? el.getAttribute('meeting-id') ?? '',
        connection: el.getAttribute('connection'),
      })),
    );
  /** Targets on push at every sample: none of them may be polled in between. */
  /** @type {Set<string> | null} */
  let pushed = null;
  const sample = async () => {
    const now = new Set((await connections()).filter((w) => w.connection === 'push').map((w) => w.target));
    pushed = pushed === null ? now : new Set([...pushed].filter((target) => now.has(target)));
  };
  // Settled after loading (the widgets found their slots): from here on, count.
  await page.waitForFunction(() => document.querySelectorAll('recording-status[connection="push"]').length >= 2, {
    timeout: 30_000,
  });
  await sample();
  requests.length = 0;
  await page.click('.meeting:first-of-type > button');
  await status('RECORDING');
  await sample();
  await press('pause');
  await status('PAUSED');
  await sample();
  await press('resume');
  await status('RECORDING');
  await press('stop');
  await status('UPLOADED');
  await sample();
  const meetingConnection = await page.$eval(meetingWidget, (el) => el.getAttribute('connection'));
  const backend = await page.$eval('#stat-backend', (el) => el.textContent);
  /** @type {string[]} */
  const steady = [...(pushed ?? [])];
  const polledWhilePushed = requests.filter(
    (path) => path.startsWith('/api/recordings') && steady.some((target) => path.includes(target)),
  );
  const streams = requests.filter((path) => path.startsWith('/api/events'));

  // The server's push switched off: the page falls back to polling with no error shown.
  const errorsBefore = await page.$$eval(
    '#log li',
    (els) => els.filter((li) => li.textContent?.includes('error')).length,
  );
  const readsBefore = requests.filter((path) => path.startsWith('/api/recordings')).length;
  await page.click('#push-switch');
  // Every stream ends and is not reopened: the widgets poll (or rest, a polled meeting at a final status).
  await page.waitForFunction(
    () =>
      document.querySelectorAll('recording-status[connection="push"]').length === 0 &&
      document.querySelectorAll('recording-status[connection="poll"]').length > 0,
    { timeout: 30_000 },
  );
  const rows = await page.$$eval('.meeting:first-of-type li recording-status', (els) => els.length);
  await page.click('.meeting:first-of-type > button');
  await page.waitForFunction(
    (selector, count) =>
      document.querySelectorAll('.meeting:first-of-type li recording-status').length > count &&
      document.querySelector(`${selector} recording-status`)?.getAttribute('status') === 'RECORDING',
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
  const readsAfter = requests.filter((path) => path.startsWith('/api/recordings')).length;
  return {
    pushed: steady.length,
    polledWhilePushed,
    streams: streams.length,
    meetingConnection,
    backend,
    fallback: { errors: errorsAfter - errorsBefore, notices, reads: readsAfter - readsBefore },
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
    it('walks a recording through its lifecycle: widgets on push are never polled; with /events off the page polls, with no error', async (t) => {
      const url = await startDemo([...command], ready);
      const seen = await walk(url);
      t.diagnostic(JSON.stringify(seen));
      assert.match(seen.backend ?? '', name.includes('worker') ? /workerd/ : /Node/);
      // Over HTTP/1.1 two widgets hold the page's two streams (the two meetings); the walked recording's own
      // widget polls until one frees. A target on push is never polled.
      assert.ok(seen.pushed >= 2, `${seen.pushed} widgets on push`);
      assert.deepEqual(seen.polledWhilePushed, []);
      assert.equal(seen.meetingConnection, 'push');
      // Push off: the widgets poll, and nobody sees an error.
      assert.ok(seen.fallback.reads > 0);
      assert.equal(seen.fallback.errors, 0);
      assert.equal(seen.fallback.notices, 0);
      await cleanups.pop()?.();
      await cleanups.pop()?.();
    });
  });
}
