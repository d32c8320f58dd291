// @ts-check
/**
 * What both example runners share: npm in a folder, the working tree packed once as a new user would install
 * it, and one headless Chromium for every example, each timed and reported as `ok` or `FAILED` with a summary
 * line that CI adds up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs npm in `cwd`, quietly; a failure throws with its output. */
export const npm = (/** @type {string} */ cwd, /** @type {string[]} */ args) =>
  execFileSync('npm', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', NEXT_TELEMETRY_DISABLED: '1' },
  });

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
