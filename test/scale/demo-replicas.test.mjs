// @ts-check
/**
 * `npm run demo:replicas` in Chromium: the page's widgets follow replica B while RealtimeKit's webhooks reach
 * replica A only. A recording walked through its lifecycle with the page's buttons shows every status on both of
 * its widgets by push (connection="push" at every step, the network seeing stream opens and token fetches, not
 * one poll), so each change signed to A reached B's viewers through Redis. Ctrl-C (SIGTERM here) stops everything
 * the demo started: its redis-server and both replicas are gone.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { freePort } from '../../scripts/free-port.mjs';
import { redisServerInstalled } from './redis-server.mjs';

const skip = redisServerInstalled() ? false : 'redis-server is not installed: the scale-out tests were not run';
const root = new URL('../..', import.meta.url);
const STEP_MS = 30_000;

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Whether a process of that id still runs. */
const running = (/** @type {number} */ pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts the demo; what it printed once it is up (bounded: one minute), and how to stop it as Ctrl-C would.
 * @returns {Promise<{ url: string, redisPid: number, a: string, b: string, stop: () => Promise<number | null> }>}
 */
async function startDemo() {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/replicas-demo.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    return /** @type {Promise<number | null>} */ (exited);
  };
  cleanups.push(async () => {
    await stop();
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no demo URL within a minute:\n${output}`)), 60_000);
    const read = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      const url = /Demo \(two Node replicas through Redis\): (http:\/\/\S+)/.exec(output)?.[1];
      const redisPid = /redis-server, pid (\d+)/.exec(output)?.[1];
      const a = /Replica A: +(http:\/\/\S+)/.exec(output)?.[1];
      const b = /Replica B: +(http:\/\/\S+)/.exec(output)?.[1];
      if (url && redisPid && a && b && output.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve({ url, redisPid: Number(redisPid), a, b, stop });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });
}

/** Page-side: every live widget (one with a `connection`) and how it is connected. */
const liveWidgets = () =>
  [...document.querySelectorAll('recording-status[connection]')].map((el) => ({
    target: el.getAttribute('recording-id') ?? el.getAttribute('meeting-id') ?? '',
    connection: el.getAttribute('connection'),
  }));

describe('npm run demo:replicas', { skip }, () => {
  it('shows a recording walked by the simulator on replica B by push, from webhooks signed to replica A only; Ctrl-C stops Redis and both replicas', async (t) => {
    const demo = await startDemo();
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
    page.on('request', (request) => {
      const { pathname, search } = new URL(request.url());
      if (pathname.startsWith('/api/') && !/^\/api\/(control|stats)(\/|$)/.test(pathname))
        requests.push(pathname + search);
    });
    const polls = () => requests.filter((path) => !/^\/api\/(events|token)(\?|$)/.test(path));

    await page.goto(demo.url);
    const meetingWidget = '.meeting > .widget > recording-status';
    const newest = '.meeting li:first-child';
    // Loaded and settled: the meeting's widget holds a stream; the seeded recordings are final and rest.
    await page.waitForFunction(
      (selector) =>
        document.querySelectorAll('recording-status[status]').length >= 3 &&
        document.querySelector(selector)?.getAttribute('connection') === 'push' &&
        document.querySelectorAll('recording-status[connection]').length === 1,
      { timeout: STEP_MS },
      meetingWidget,
    );
    const rowsBefore = await page.$$eval('.meeting li recording-status', (els) => els.length);
    const backend = await page.$eval('#stat-backend', (el) => el.textContent);

    /** @type {{ target: string, connection: string | null }[]} */
    const notPushed = [];
    /** Every status both widgets showed, in order. @type {string[]} */
    const shown = [];
    const sample = async () => {
      notPushed.push(...(await page.evaluate(liveWidgets)).filter((w) => w.connection !== 'push'));
    };
    /** Both the meeting's widget and the new recording's show `want`. */
    const status = async (/** @type {string} */ want) => {
      await page.waitForFunction(
        (selector, meeting, value, count) =>
          document.querySelectorAll('.meeting li recording-status').length > count &&
          document.querySelector(`${selector} recording-status`)?.getAttribute('status') === value &&
          document.querySelector(meeting)?.getAttribute('status') === value,
        { timeout: STEP_MS },
        newest,
        meetingWidget,
        want,
        rowsBefore,
      );
      shown.push(want);
      await sample();
    };
    const press = async (/** @type {string} */ action) => {
      await page.waitForSelector(`${newest} button[data-action="${action}"]:not([disabled])`, { timeout: STEP_MS });
      await page.click(`${newest} button[data-action="${action}"]`);
    };

    requests.length = 0;
    await page.click('.meeting > button');
    await status('RECORDING');
    await page.waitForFunction(
      (selector) => document.querySelector(`${selector} recording-status`)?.getAttribute('connection') === 'push',
      { timeout: STEP_MS },
      newest,
    );
    await sample();
    await press('pause');
    await status('PAUSED');
    await press('resume');
    await status('RECORDING');
    await press('stop');
    await status('UPLOADING');
    await status('UPLOADED');
    const walked = { polls: polls(), streams: requests.filter((path) => path.startsWith('/api/events')).length };
    // The page's counters: every webhook went to replica A (the simulator's only webhook URL).
    const stats = await page.evaluate(async () => (await fetch('/api/stats')).json());

    const code = await demo.stop();
    const replicaAnswers = async (/** @type {string} */ url) =>
      fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      );
    const left = {
      redis: running(demo.redisPid),
      a: await replicaAnswers(demo.a),
      b: await replicaAnswers(demo.b),
    };
    t.diagnostic(JSON.stringify({ backend, shown, notPushed, walked, stats, code, left }));

    assert.match(backend ?? '', /replica A.*replica B/);
    assert.deepEqual(shown, ['RECORDING', 'PAUSED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
    // Every live widget on push at every step, and not one poll: B's viewers heard each change through Redis.
    assert.deepEqual(notPushed, []);
    assert.deepEqual(walked.polls, []);
    assert.ok(walked.streams >= 1, 'the walked recording opened its stream');
    assert.ok(stats.webhooksDelivered >= 5, `webhooks delivered to replica A: ${stats.webhooksDelivered}`);
    // Ctrl-C: the demo ends cleanly and leaves nothing of its own running.
    assert.equal(code, 0);
    assert.deepEqual(left, { redis: false, a: false, b: false });
  });
});
