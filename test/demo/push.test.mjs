// @ts-check
/**
 * The demo in a real browser, on both servers: `npm start` (Node) and `npm run worker` (the Worker and its
 * Durable Objects in workerd). A recording is walked through its lifecycle with the page's buttons; every
 * widget must follow it from the server's pushes, reading once per change and never on a timer. Heavier than
 * the unit suites (it starts wrangler): CI runs it as its own step, `npm run test:demo`.
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
  /** @type {string[]} */
  const requests = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/recordings') || path.startsWith('/api/events')) requests.push(path);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('recording-status[status]').length >= 3, {
    timeout: 30_000,
  });
  const rowsBefore = await page.$$eval('.meeting:first-of-type li recording-status', (els) => els.length);
  const readsBefore = requests.filter((p) => p.startsWith('/api/recordings')).length;

  const newest = '.meeting:first-of-type li:first-child';
  const status = (/** @type {string} */ want) =>
    page.waitForFunction(
      (selector, value, count) =>
        document.querySelectorAll('.meeting:first-of-type li recording-status').length > count &&
        document.querySelector(`${selector} recording-status`)?.getAttribute('status') === value &&
        document.querySelector('.meeting:first-of-type > recording-status')?.getAttribute('status') === value,
      { timeout: 30_000 },
      newest,
      want,
      rowsBefore,
    );
  const press = async (/** @type {string} */ action) => {
    await page.waitForSelector(`${newest} button[data-action="${action}"]:not([disabled])`, { timeout: 30_000 });
    await page.click(`${newest} button[data-action="${action}"]`);
  };
  await page.click('.meeting:first-of-type > button');
  await status('RECORDING');
  await press('pause');
  await status('PAUSED');
  await press('resume');
  await status('RECORDING');
  await press('stop');
  await status('UPLOADED');
  const pushed = Number(await page.$eval('#stat-pushed', (el) => el.textContent));
  const backend = await page.$eval('#stat-backend', (el) => el.textContent);
  return {
    reads: requests.filter((p) => p.startsWith('/api/recordings')).length - readsBefore,
    streams: requests.filter((p) => p.startsWith('/api/events')).length,
    pushed,
    backend,
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
    it('walks a recording through its lifecycle: every widget follows the pushes and reads only per change', async (t) => {
      const url = await startDemo([...command], ready);
      const seen = await walk(url);
      t.diagnostic(`${seen.reads} reads, ${seen.pushed} pushes, ${seen.streams} event streams opened`);
      assert.match(seen.backend ?? '', name.includes('worker') ? /workerd/ : /Node/);
      // Five changes (INVOKED, RECORDING, PAUSED, RECORDING, UPLOADING, UPLOADED) pushed to a meeting widget
      // and the new recording's widget, and reads only in answer to them: no timer adds any.
      assert.ok(seen.pushed >= 10, `${seen.pushed} pushes`);
      assert.ok(seen.reads <= seen.pushed + 2, `${seen.reads} reads for ${seen.pushed} pushes`);
      assert.ok(seen.streams >= 3);
      await cleanups.pop()?.();
      await cleanups.pop()?.();
    });
  });
}
