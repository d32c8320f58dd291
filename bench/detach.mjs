// @ts-check
/**
 * Removed elements must not stay alive: rounds of 1000 append-and-remove cycles, the heap read after forced
 * garbage collection (CDP's HeapProfiler.collectGarbage) before the first round and after each. The first
 * round may fill caches (styles, templates, the stream registry's structures); growth after it is a leak.
 * Beside it, the same cycles of a plain element that stamps the same shadow DOM.
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} origin where bench/render.html is served
 * @returns {Promise<string>} the table
 */
export async function detachBench(browser, origin) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${origin}/bench/render.html`);
  await page.waitForFunction(() => 'renderReady' in window);
  const cdp = await page.createCDPSession();
  const heap = async () => {
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const ROUNDS = 4;
  const CYCLES = 1000;
  /** @param {'element' | 'static'} kind */
  const growth = async (kind) => {
    const sizes = [await heap()];
    for (let round = 0; round < ROUNDS; round++) {
      await page.evaluate((k, n) => /** @type {any} */ (window).detachRun(k, n), kind, CYCLES);
      sizes.push(await heap());
    }
    return sizes.slice(1).map((size, i) => size - /** @type {number} */ (sizes[i]));
  };
  const kib = (/** @type {number} */ bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} KiB`;
  // The stamp first, on a page nothing has leaked into yet.
  const stamp = await growth('static');
  const element = await growth('element');
  const after = (/** @type {number[]} */ xs) => Math.max(...xs.slice(1));
  await page.close();
  return [
    `| ${CYCLES} append-and-remove cycles per round, heap after forced GC | round 1 | rounds 2–${ROUNDS} | worst after round 1 | static stamp, rounds 1–${ROUNDS} | under 100 KiB per round |`,
    '|---|---:|---:|---:|---:|:---:|',
    `| <recording-status> watching RECORDING | ${kib(element[0] ?? 0)} | ${element.slice(1).map(kib).join(', ')} | ${kib(after(element))} | ${stamp.map(kib).join(', ')} | ${after(element) < 100 * 1024 ? 'yes' : 'no'} |`,
  ].join('\n');
}
