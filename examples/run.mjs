// @ts-check
/**
 * Builds and runs every framework example as a new user would: from `npm pack` of the working tree, in a fresh
 * copy of the example, with its own pinned dependencies. Each is type-checked with its own checker, built with
 * Vite (plain HTML needs neither), served on 127.0.0.1 beside the RealtimeKit simulator, and driven once in
 * headless Chromium: the status must show, and the framework's own handler must see a change event (it logs
 * the status). `node examples/run.mjs [name …]`; needs `npm run build` first.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSimulator } from '../demo/simulator/middleware.mjs';
import { RealtimeKitSimulator } from '../src/simulator/simulator.js';
import { listenOnLoopback, staticFiles } from '../scripts/static-files.mjs';
import { npm, root, runExamples } from './harness.mjs';

export const EXAMPLES = [
  'plain-html',
  'vite-ts',
  'react-19',
  'react-18',
  'preact',
  'solid',
  'vue',
  'svelte',
  'angular',
];

/** Serves `dir` and the simulator (proxy, tokens) on 127.0.0.1. */
async function serve(/** @type {string} */ dir, /** @type {RealtimeKitSimulator} */ simulator) {
  const { middleware } = connectSimulator({ prefix: '/api', simulator });
  const files = staticFiles(dir);
  const server = createServer((req, res) => {
    middleware(req, res, () => {
      files(req, res);
    });
  });
  return { server, url: await listenOnLoopback(server) };
}

/** @param {string} name @param {string} tarball @param {import('puppeteer-core').Browser} browser */
async function check(name, tarball, browser) {
  const dir = mkdtempSync(join(tmpdir(), `rs-example-${name}-`));
  cpSync(join(root, 'examples', name), dir, { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, 'recording-status': `file:${tarball}` };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  npm(dir, ['install', '--no-package-lock']);
  if (manifest.scripts?.check) npm(dir, ['run', 'check']);
  if (manifest.scripts?.build) npm(dir, ['run', 'build']);
  const served = manifest.scripts?.build ? join(dir, 'dist') : dir;

  const simulator = new RealtimeKitSimulator({ seed: true, startDelayMs: 300, uploadMs: 300, tokenTtlSeconds: 60 });
  const meeting = [...simulator.meetings.values()][0];
  if (!meeting) throw new Error('no meeting');
  const recording = simulator.startRecording(meeting.id);
  const { server, url } = await serve(served, simulator);
  const page = await browser.newPage();
  /** @type {string[]} */
  const logged = [];
  /** @type {string[]} */
  const errors = [];
  /** The widget's push probe: this simulator-only proxy has no `/events`, so it answers 404 and the widget polls. */
  let pushProbes = 0;
  page.on('console', (message) => {
    if (message.type() === 'log') logged.push(message.text());
    if (message.type() !== 'error') return;
    // The browser itself logs every failed load, the expected 404 of a proxy without push included.
    if (/\/events\?/.test(message.location().url ?? '') && message.text().includes('404')) pushProbes++;
    else errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  try {
    await page.goto(`${url}/?recording=${encodeURIComponent(recording.id)}&meeting=${encodeURIComponent(meeting.id)}`);
    try {
      await page.waitForFunction(
        () => document.querySelector('recording-status')?.getAttribute('status') === 'RECORDING',
        { timeout: 15_000 },
      );
    } catch (error) {
      throw new Error(
        `the status never showed (${String(error)}); page errors: ${errors.join('; ')}; logged: ${logged.join('; ')}`,
      );
    }
    const statuses = ['INVOKED', 'RECORDING'];
    if (!statuses.some((s) => logged.some((line) => line.includes(s)))) {
      throw new Error(`the framework's handler logged no change (logged: ${JSON.stringify(logged)})`);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    // "No push here" is remembered per proxy: asked once, not on every poll.
    if (pushProbes > 1) throw new Error(`the widget asked for push ${pushProbes} times`);
  } finally {
    await page.close();
    server.close();
  }
}

await runExamples('examples', process.argv.slice(2).length > 0 ? process.argv.slice(2) : EXAMPLES, check);
