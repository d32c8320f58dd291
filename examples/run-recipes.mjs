// @ts-check
/**
 * The seven projects a new user makes from the installed package's docs alone: for each recipe, an empty folder,
 * the recipe's own `npm install` lines (with `recording-status` from `npm pack` of the working tree), its files
 * copied word for word from `node_modules/recording-status/` (README.md or a page of docs/: every block headed by a
 * file path is a file), its build lines (`npx tsc`, `npx vite build`, `npx next build`, `cp …`), then its start
 * command in front of the RealtimeKit simulator. Headless Chromium opens the page the recipe says and must see a
 * whole lifecycle by push: INVOKED or RECORDING → PAUSED → RECORDING → UPLOADED, the widget's connection `push` at
 * every step before the last, and no read of the proxy other than the event stream.
 *
 * What the runner supplies, as a reader would: the simulator (its variables in the server's environment, or in
 * `.dev.vars` for the Worker) and a free port in place of the printed one. `node examples/run-recipes.mjs
 * [name …]`; needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { endGroup, runExamples, scratch, sh, simulatorFor, walkLifecycle, widgetShows } from './harness.mjs';
import { recipeOf, sectionOf } from './recipe.mjs';

/**
 * @typedef {{ name: string, page: string, section: string, start: string, base: string }} Recipe
 * `page` and `section`: where the recipe is in the installed package; `start`: its start command, as printed;
 * `base`: the recording server's path on the recipe's origin.
 */

/** @type {Recipe[]} */
export const RECIPES = [
  {
    name: 'plain-page',
    page: 'README.md',
    section: 'In a project of your own: a page and a server, with no account',
    start: 'node quickstart.mjs',
    base: '/api',
  },
  { name: 'express', page: 'docs/server.md', section: 'Express 5', start: 'node server.mjs', base: '/api/recordings' },
  { name: 'fastify', page: 'docs/server.md', section: 'Fastify 5', start: 'node server.mjs', base: '/api/recordings' },
  {
    name: 'nextjs',
    page: 'docs/server.md',
    section: 'Next.js 16',
    start: 'npx next start --hostname 127.0.0.1 --port 3000',
    base: '/api/recordings',
  },
  { name: 'hono', page: 'docs/server.md', section: 'Hono 4', start: 'node server.mjs', base: '/api/recordings' },
  {
    name: 'worker',
    page: 'docs/cloudflare.md',
    section: 'Deploy on Cloudflare',
    start: 'npx wrangler dev --ip 127.0.0.1 --port 8787',
    base: '/api',
  },
  {
    name: 'react-vite',
    page: 'docs/frameworks.md',
    section: 'React 19 with Vite, end to end',
    start: 'node server.mjs',
    base: '/api/proxy',
  },
];

/** The lines a reader runs before starting the project; any other printed line (exports, deploys) is not run. */
const BUILD = /^(npx tsc\b|npx vite build\b|npx next build\b|cp )/;

/**
 * `.dev.vars` filled in, as the recipe asks the reader to: each `NAME=` the example leaves empty gets its value, and
 * every other variable is added.
 * @param {string} text @param {Record<string, string>} values
 */
function filledIn(text, values) {
  const left = new Map(Object.entries(values));
  const lines = text.split('\n').map((line) => {
    const name = /^([A-Z_]+)=$/.exec(line)?.[1];
    const value = name === undefined ? undefined : left.get(name);
    if (name === undefined || value === undefined) return line;
    left.delete(name);
    return `${name}=${value}`;
  });
  return [...lines, ...[...left].map(([name, value]) => `${name}=${value}`), ''].join('\n');
}

/** @param {Recipe} recipe @param {string} tarball @param {import('puppeteer-core').Browser} browser */
async function check(recipe, tarball, browser) {
  const dir = scratch(`rs-recipe-${recipe.name}-`);
  // The reader's first step: the package, installed from the tarball, with its docs inside.
  sh(dir, `npm install --no-package-lock ${tarball}`);
  const installed = join(dir, 'node_modules/recording-status');
  const { files, commands } = recipeOf(sectionOf(readFileSync(join(installed, recipe.page), 'utf8'), recipe.section));
  if (files.length === 0) throw new Error(`${recipe.page} "${recipe.section}" prints no file`);
  if (!commands.includes(recipe.start)) {
    throw new Error(`${recipe.page} "${recipe.section}" never prints its start command, ${recipe.start}`);
  }
  const installs = commands.filter((line) => line.startsWith('npm install'));
  if (installs.length === 0) throw new Error(`${recipe.page} "${recipe.section}" prints no npm install line`);
  for (const line of installs) {
    sh(dir, `${line.replace(/(^|\s)recording-status(?=\s|$)/, `$1${tarball}`)} --no-package-lock`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }

  const { upstream, port, url, variables } = await simulatorFor(recipe.base);
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let said = '';
  const page = await browser.newPage();
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} */
  const reads = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith(`${recipe.base}/`) && !pathname.endsWith('/events')) reads.push(pathname);
  });
  try {
    for (const line of commands.filter((command) => BUILD.test(command))) sh(dir, line);
    if (existsSync(join(dir, '.dev.vars'))) {
      // "Then fill in": the secrets, and the simulator in place of RealtimeKit (the wrangler.jsonc ids stay).
      writeFileSync(join(dir, '.dev.vars'), filledIn(readFileSync(join(dir, '.dev.vars'), 'utf8'), variables));
    }
    const start = recipe.start.replace(/--port \d+/, `--port ${port}`);
    child = spawn('sh', ['-c', `exec ${start}`], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...(existsSync(join(dir, '.dev.vars')) ? {} : variables),
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
        WRANGLER_SEND_METRICS: 'false',
      },
    });
    const take = (/** @type {Buffer} */ chunk) => {
      said = (said + chunk.toString()).slice(-6000);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    await until(async () => {
      if (child?.exitCode !== null) throw new Error(`${recipe.start} exited ${child?.exitCode}`);
      return fetch(`${url}/`).then(
        (answer) => answer.ok,
        () => false,
      );
    }, 90_000);

    const meeting = upstream.simulator.addMeeting('Recipe');
    await page.goto(`${url}/?meeting=${encodeURIComponent(meeting.id)}`);
    const shows = widgetShows(page, 'recording-status', { byPush: true });
    await walkLifecycle(upstream, meeting.id, shows);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const polled = reads.filter((path) => !path.endsWith('/token'));
    if (polled.length > 0) throw new Error(`the widget read the proxy besides its event stream: ${polled.join(', ')}`);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${recipe.start} said:\n${said}`, {
      cause: error,
    });
  } finally {
    await page.close();
    endGroup(child);
    await upstream.close();
  }
}

/** Polls `ready` every 250 ms until it is true; throws after `ms`. */
async function until(/** @type {() => Promise<boolean>} */ ready, /** @type {number} */ ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not up after ${ms / 1000} s`);
}

const wanted = process.argv.slice(2);
const recipes = wanted.length > 0 ? RECIPES.filter((recipe) => wanted.includes(recipe.name)) : RECIPES;
await runExamples(
  'recipes',
  recipes.map((recipe) => recipe.name),
  (name, tarball, browser) =>
    check(/** @type {Recipe} */ (recipes.find((recipe) => recipe.name === name)), tarball, browser),
);
