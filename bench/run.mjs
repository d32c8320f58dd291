// @ts-check
/**
 * `npm run bench`: drives the built element in headless Chromium (Debian's, never a downloaded one) against
 * the demo's RealtimeKit simulator on a fake clock, and prints requests and bytes beside a naive baseline;
 * then the render cost beside a static stamp, and the server half under 1000 live viewers, in Node
 * (bench/server.mjs) and as the Worker with its Durable Objects in workerd (bench/worker.mjs); push beside polling
 * through the real server (bench/push.mjs); the server's fast paths as ratios to a bare node:http server doing
 * the same work (bench/fast-paths.mjs); last, two Node replicas through Redis beside one process (bench/replicas.mjs,
 * skipped with the reason when redis-server is not installed).
 * A benchmark, not a test: it asserts nothing, it measures.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { listenOnLoopback, staticFiles } from '../scripts/static-files.mjs';
import { fastPathRows, fastPathsBench } from './fast-paths.mjs';
import { pushPageBench, pushRows, reconnectBench } from './push.mjs';
import { replicaRows, replicasBench } from './replicas.mjs';
import { serverBench, serverRows } from './server.mjs';
import { workerBench, workerRows } from './worker.mjs';
import { detachBench } from './detach.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = createServer(staticFiles(root));
const origin = await listenOnLoopback(server);

const executablePath = chromiumPath ?? '/usr/bin/chromium';
const browser = await puppeteer.launch({ executablePath, headless: true, args: chromiumArgs });
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error('page console:', message.text());
  });
  page.on('requestfailed', (request) => console.error('request failed:', request.url()));
  await page.goto(`${origin}/bench/page.html`);
  await page.waitForFunction(() => 'runBenchmark' in window);
  const started = Date.now();
  /** @type {{ name: string, element: number, naive: number, elementBytes?: number, naiveBytes?: number, etag?: boolean }[]} */
  const rows = await page.evaluate(() => /** @type {any} */ (window).runBenchmark());
  const ratio = (/** @type {number} */ a, /** @type {number} */ b) =>
    a === 0 ? (b === 0 ? '=' : '∞') : `${(b / a).toFixed(1)}×`;
  const lines = [
    '| scenario (poll-interval 5 s) | recording-status | naive baseline | fewer |',
    '|---|---:|---:|---:|',
    ...rows.map((r) =>
      r.etag
        ? `| ${r.name} | ${r.element.toLocaleString('en')} B | ${r.naive.toLocaleString('en')} B | ${ratio(r.element, r.naive)} |`
        : `| ${r.name} | ${r.element} requests | ${r.naive} requests | ${ratio(r.element, r.naive)} |`,
    ),
  ];
  console.log(lines.join('\n'));
  console.log(
    `\n(${(Date.now() - started) / 1000} s of wall time for ${rows.length} scenarios on a fake clock, ${executablePath})`,
  );
  await renderBench(browser);
  console.log(`\n${await detachBench(browser, origin)}`);
  const push = await pushPageBench(browser);
  console.log(`\n${pushRows(push, await reconnectBench()).join('\n')}`);
} finally {
  await browser.close();
  server.close();
}

console.log(`\n${serverRows(await serverBench()).join('\n')}`);
console.log(`\n${workerRows(await workerBench()).join('\n')}`);
console.log(`\n${replicaRows(await replicasBench()).join('\n')}`);
console.log(`\n${fastPathRows(await fastPathsBench()).join('\n')}`);

/**
 * Render cost: N elements showing RECORDING with details, appended in one task, beside a plain element that
 * stamps the same shadow DOM. Chromium's own counters say how many style recalculations and layouts ran.
 * @param {import('puppeteer-core').Browser} browser
 */
async function renderBench(browser) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${origin}/bench/render.html`);
  await page.waitForFunction(() => 'renderReady' in window);
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  const counters = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (/** @type {string} */ name) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { recalcs: get('RecalcStyleCount'), layouts: get('LayoutCount') };
  };
  const RUNS = 5;
  /** @param {'element' | 'static'} kind @param {number} n */
  const measure = async (kind, n) => {
    /** @type {{ ms: number, recalcs: number, layouts: number }[]} */
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const before = await counters();
      const ms = await page.evaluate((k, count) => /** @type {any} */ (window).renderRun(k, count), kind, n);
      const after = await counters();
      runs.push({ ms, recalcs: after.recalcs - before.recalcs, layouts: after.layouts - before.layouts });
      await page.evaluate(() => /** @type {any} */ (window).clearRender());
    }
    const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    return {
      ms: median(runs.map((r) => r.ms)),
      recalcs: median(runs.map((r) => r.recalcs)),
      layouts: median(runs.map((r) => r.layouts)),
    };
  };
  const lines = [
    `| elements (RECORDING, details; median of ${RUNS}) | time to all shown | style recalcs | layouts | static stamp of the same shadow DOM | within 1.5× |`,
    '|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const n of [100, 400]) {
    const element = await measure('element', n);
    const stamp = await measure('static', n);
    const ratio = element.ms / stamp.ms;
    lines.push(
      `| ${n} | ${element.ms.toFixed(0)} ms | ${element.recalcs} | ${element.layouts} | ${stamp.ms.toFixed(0)} ms (${stamp.recalcs} recalcs, ${stamp.layouts} layouts) | ${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'yes' : 'no'} |`,
    );
  }
  console.log(`\n${lines.join('\n')}`);
  await page.close();
}
