// @ts-check
/**
 * Runs every server example as a new user would: from `npm pack` of the working tree, in a fresh copy with its
 * own pinned dependencies, type-checked (and built, for Next.js), started on 127.0.0.1 in front of the
 * RealtimeKit simulator, then driven through a whole lifecycle by the simulator's signed webhooks while headless
 * Chromium watches the widget on the example's own page (same origin) follow INVOKED or RECORDING → PAUSED →
 * RECORDING → UPLOADING/UPLOADED. The quick start is the plain node:http example, checked as JavaScript and as
 * strict TypeScript. `node examples/run-server.mjs [name …]`; needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port.mjs';
import { endGroup, npm, root, runExamples, scratch, simulatorFor, walkLifecycle, widgetShows } from './harness.mjs';

/** @typedef {{ name: string, dir: string, base: string, files?: Record<string, string> }} Example */

const STRICT = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

/** @type {Example[]} */
export const SERVER_EXAMPLES = [
  {
    // The README's quick start, verbatim: plain node:http. Checked as JavaScript and, renamed, as TypeScript.
    name: 'node-http',
    dir: 'examples/server/quickstart',
    base: '/api',
    files: {
      'package.json': JSON.stringify({
        type: 'module',
        scripts: { check: 'tsc --noEmit && tsc --noEmit -p tsconfig.ts.json', start: 'node quickstart.mjs' },
        dependencies: { 'recording-status': '^0.1.0' },
        devDependencies: { '@types/node': '20.19.25', typescript: '5.9.3' },
      }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { ...STRICT, allowJs: true, checkJs: true },
        include: ['quickstart.mjs'],
      }),
      'tsconfig.ts.json': JSON.stringify({ compilerOptions: STRICT, include: ['quickstart.ts'] }),
    },
  },
  { name: 'express', dir: 'examples/server/express', base: '/api/recordings' },
  { name: 'fastify', dir: 'examples/server/fastify', base: '/api/recordings' },
  { name: 'hono', dir: 'examples/server/hono', base: '/api/recordings' },
  { name: 'nextjs', dir: 'examples/server/nextjs', base: '/api/recordings' },
];

/** Resolves with the child's output once it prints `pattern`; rejects if it exits first or takes 60 s. */
function waitForLine(/** @type {import('node:child_process').ChildProcess} */ child, /** @type {RegExp} */ pattern) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`never printed ${pattern}: ${out}`)), 60_000);
    const take = (/** @type {Buffer} */ chunk) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

/** @param {Example} example @param {string} tarball @param {import('puppeteer-core').Browser} browser */
async function check(example, tarball, browser) {
  const dir = scratch(`rs-server-${example.name}-`);
  cpSync(join(root, example.dir), dir, {
    recursive: true,
    filter: (src) =>
      !/node_modules|\.next|[/\\](express|fastify|hono|nextjs)$/.test(src) || src === join(root, example.dir),
  });
  for (const [name, text] of Object.entries(example.files ?? {})) writeFileSync(join(dir, name), text);
  if (example.name === 'node-http') cpSync(join(dir, 'quickstart.mjs'), join(dir, 'quickstart.ts'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, 'recording-status': `file:${tarball}` };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  npm(dir, ['install', '--no-package-lock']);
  npm(dir, ['run', 'check']);
  if (manifest.scripts?.build) npm(dir, ['run', 'build']);

  const { upstream, port, url, variables } = await simulatorFor(example.base);
  const meeting = upstream.simulator.addMeeting('Example');
  const child = spawn(
    'npm',
    ['start', '--silent', '--', ...(example.name === 'nextjs' ? ['--port', String(port)] : [])],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...variables,
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
  const page = await browser.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  try {
    await waitForLine(child, new RegExp(`127\\.0\\.0\\.1:${port}|Ready in`));
    await page.goto(`${url}/?meeting=${encodeURIComponent(meeting.id)}`);
    const shows = widgetShows(page, 'recording-status');
    await walkLifecycle(upstream, meeting.id, shows);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  } finally {
    await page.close();
    endGroup(child);
    await upstream.close();
  }
}

/**
 * The no-account path as the README prints it: the two commands of the installed package, side by side, and the
 * simulator's page (the host app's stand-in), where the buttons drive a recording that the widget follows.
 * @param {string} tarball @param {import('puppeteer-core').Browser} browser
 */
async function checkCommands(tarball, browser) {
  const dir = scratch('rs-server-cli-');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, dependencies: { 'recording-status': `file:${tarball}` } }),
  );
  npm(dir, ['install', '--no-package-lock']);
  const [simPort, port] = [await freePort(), await freePort()];
  const simulatorUrl = `http://127.0.0.1:${simPort}`;
  const env = { ...process.env, RECORDING_STATUS_TOKEN_SECRET: 'commands-secret-of-at-least-thirty-two-bytes' };
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  /** @type {(() => string)[]} */
  const logs = [];
  const start = (/** @type {string} */ bin, /** @type {Record<string, string>} */ vars) => {
    const child = spawn('npx', ['--no-install', bin], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, ...vars },
    });
    children.push(child);
    // What each said, for the failure message.
    let said = '';
    const take = (/** @type {Buffer} */ chunk) => {
      said = (said + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    logs.push(() => `${bin} said:\n${said}`);
    return child;
  };
  const page = await browser.newPage();
  try {
    const simulator = start('recording-status-simulator', {
      PORT: String(simPort),
      WEBHOOK_URL: `http://127.0.0.1:${port}/webhook`,
      SERVER_URL: `http://127.0.0.1:${port}`,
    });
    await waitForLine(simulator, /Then open/);
    const server = start('recording-status-server', {
      PORT: String(port),
      REALTIMEKIT_ACCOUNT_ID: 'acc',
      REALTIMEKIT_APP_ID: 'app',
      REALTIMEKIT_API_TOKEN: 'sim-api-token',
      REALTIMEKIT_API_BASE: `${simulatorUrl}/client/v4`,
      REALTIMEKIT_WEBHOOK_KEY_URL: `${simulatorUrl}/.well-known/webhooks.json`,
      RECORDING_STATUS_CORS_ORIGIN: simulatorUrl,
    });
    await waitForLine(server, /listening on/);
    await page.goto(`${simulatorUrl}/`);
    await page.waitForSelector('section recording-status');
    const shows = widgetShows(page, 'section recording-status');
    await page.click('section [data-start]');
    await shows(['RECORDING']);
    await page.click('section [data-action="pause"]');
    await shows(['PAUSED']);
    await page.click('section [data-action="resume"]');
    await shows(['RECORDING']);
    await page.click('section [data-action="stop"]');
    await shows(['UPLOADED']);
  } catch (error) {
    throw new Error(`${String(error)}\n${logs.map((log) => log()).join('\n')}`, { cause: error });
  } finally {
    await page.close();
    for (const child of children) endGroup(child);
  }
}

const wanted = process.argv.slice(2);
const examples = wanted.length > 0 ? SERVER_EXAMPLES.filter((e) => wanted.includes(e.name)) : SERVER_EXAMPLES;
await runExamples(
  'server examples',
  [
    ...examples.map((e) => `server/${e.name}`),
    ...(wanted.length === 0 || wanted.includes('commands') ? ['server/commands'] : []),
  ],
  (name, tarball, browser) =>
    name === 'server/commands'
      ? checkCommands(tarball, browser)
      : check(/** @type {Example} */ (examples.find((e) => `server/${e.name}` === name)), tarball, browser),
);
