// @ts-check
/**
 * What the example runners share: npm (or a printed shell line) in a folder, the working tree packed once as a
 * new user would install it, one headless Chromium for every example, each timed and reported as `ok` or `FAILED`
 * with a summary line that CI adds up; and, for the servers, the simulator in front of which each runs (with the
 * variables it is given), the simulated lifecycle they are driven through, and the end of the process group each
 * was started in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { freePort } from '../scripts/free-port.mjs';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `file` with `args` in `cwd`, quietly; a failure throws with its output. */
const run = (/** @type {string} */ cwd, /** @type {string} */ file, /** @type {string[]} */ args) =>
  execFileSync(file, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', NEXT_TELEMETRY_DISABLED: '1' },
  });

/** Runs npm in `cwd`, quietly; a failure throws with its output. */
export const npm = (/** @type {string} */ cwd, /** @type {string[]} */ args) => run(cwd, 'npm', args);

/** Runs one printed line in `cwd`, as its shell would; a failure throws with what it said. */
export const sh = (/** @type {string} */ cwd, /** @type {string} */ line) => run(cwd, 'sh', ['-c', line]);

/** A fresh folder for one example's install, removed when the run ends (a Next.js install is hundreds of MB). */
export function scratch(/** @type {string} */ prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Packs the working tree, then checks each of `names` with `check(name, tarball, browser)`; prints
 * `{label}: N passed, M failed, 0 skipped` and sets the exit code.
 * @param {string} label
 * @param {string[]} names
 * @param {(name: string, tarball: string, browser: import('puppeteer-core').Browser) => Promise<void>} check
 */
export async function runExamples(label, names, check) {
  const packDir = mkdtempSync(join(tmpdir(), 'rs-pack-'));
  const packed = npm(root, ['pack', '--pack-destination', packDir, '--silent']).trim().split('\n').pop() ?? '';
  const tarball = join(packDir, packed);
  const browser = await puppeteer.launch({
    executablePath: chromiumPath ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  let passed = 0;
  let failed = 0;
  try {
    for (const name of names) {
      const started = Date.now();
      try {
        await check(name, tarball, browser);
        passed++;
        console.log(`ok ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed++;
        const detail = /** @type {{ stdout?: string, stderr?: string, message?: string }} */ (error);
        console.log(`FAILED ${name}: ${detail.message ?? String(error)}\n${detail.stdout ?? ''}${detail.stderr ?? ''}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${label}: ${passed} passed, ${failed} failed, 0 skipped`);
  process.exitCode = failed > 0 ? 1 : 0;
}

/**
 * The simulator as RealtimeKit for a server about to start on a free port with its routes under `base`: webhooks go
 * to `{url}{base}/webhook`, and `variables` are what the server needs to read the simulator and mint tokens.
 * @param {string} base
 */
export async function simulatorFor(base) {
  const upstream = await startSimulatorUpstream({ port: 0, seed: false, startDelayMs: 1500, uploadMs: 1500 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  upstream.webhookUrl = `${url}${base}/webhook`;
  const variables = {
    REALTIMEKIT_ACCOUNT_ID: 'acc',
    REALTIMEKIT_APP_ID: 'app',
    REALTIMEKIT_API_TOKEN: upstream.simulator.apiToken,
    RECORDING_STATUS_TOKEN_SECRET: 'example-secret-of-at-least-thirty-two-bytes-00',
    REALTIMEKIT_API_BASE: `${upstream.url}/client/v4`,
    REALTIMEKIT_WEBHOOK_KEY_URL: `${upstream.url}/.well-known/webhooks.json`,
  };
  return { upstream, port, url, variables };
}

/**
 * Walks a new recording of `meetingId` through its whole lifecycle with the simulator's controls, waiting at each
 * step until `shows` sees it on the page (`final` for UPLOADED, whose stream has ended), then checks that every
 * webhook was signed and accepted: INVOKED, RECORDING, PAUSED, RECORDING, UPLOADING, UPLOADED.
 * @param {Awaited<ReturnType<typeof import('../src/simulator/upstream.js').startSimulatorUpstream>>} upstream
 * @param {string} meetingId
 * @param {(statuses: string[], final?: boolean) => Promise<void>} shows
 */
export async function walkLifecycle(upstream, meetingId, shows) {
  const recording = upstream.simulator.startRecording(meetingId);
  await shows(['INVOKED', 'RECORDING']);
  await shows(['RECORDING']);
  const control = async (/** @type {string} */ action) => {
    const answer = await fetch(`${upstream.url}/control/recordings/${recording.id}/${action}`, { method: 'POST' });
    if (!answer.ok) throw new Error(`${action}: ${answer.status} ${await answer.text()}`);
  };
  await control('pause');
  await shows(['PAUSED']);
  await control('resume');
  await shows(['RECORDING']);
  await control('stop');
  await shows(['UPLOADED'], true);
  const { delivered, failed } = upstream.state;
  if (delivered < 6 || failed > 0) throw new Error(`webhooks: ${delivered} accepted, ${failed} refused`);
}

/** Ends the process group a server was started in (detached), if it is still there. */
export function endGroup(/** @type {import('node:child_process').ChildProcess | undefined} */ child) {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/**
 * Waits (20 s at most) until the widget `selector` finds shows one of `statuses` (with `byPush`, over an open event
 * stream, but for a final status, whose stream has ended); else says what it shows, and by what.
 * @param {import('puppeteer-core').Page} page @param {string} selector @param {{ byPush?: boolean }} [options]
 */
export const widgetShows =
  (page, selector, { byPush = false } = {}) =>
  async (/** @type {string[]} */ statuses, final = false) => {
    try {
      await page.waitForFunction(
        (/** @type {string} */ css, /** @type {string[]} */ wanted, /** @type {boolean} */ pushed) => {
          const widget = document.querySelector(css);
          return (
            wanted.includes(widget?.getAttribute('status') ?? '') &&
            (!pushed || widget?.getAttribute('connection') === 'push')
          );
        },
        { timeout: 20_000 },
        selector,
        statuses,
        byPush && !final,
      );
    } catch (error) {
      const [shown, connection] = await page.evaluate((css) => {
        const widget = document.querySelector(css);
        return [widget?.getAttribute('status'), widget?.getAttribute('connection')];
      }, selector);
      throw new Error(
        `the widget never showed ${statuses.join(' or ')}${byPush ? ' by push' : ''} (it shows ${shown}, by ${connection ?? 'no connection'}); ${String(error)}`,
      );
    }
  };
