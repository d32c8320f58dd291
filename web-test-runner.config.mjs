// Runs the suite in the Debian browsers: nothing here ever downloads one.
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { visualRegressionPlugin } from '@web/test-runner-visual-regression/plugin';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { demoBackend } from './demo/simulator/demo-backend.mjs';
import { simulatorMiddleware } from './demo/simulator/middleware.mjs';
import { RealtimeKitSimulator } from './src/simulator/simulator.js';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';
import { summaryReporter } from './scripts/summary-reporter.mjs';

const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const wanted = (process.env.BROWSERS || 'chromium,firefox').split(',').map((b) => b.trim());

const browsers = [];
if (wanted.includes('chromium')) {
  browsers.push(
    chromeLauncher({
      launchOptions: {
        ...(chromiumPath ? { executablePath: chromiumPath } : {}),
        args: chromiumArgs,
      },
    }),
  );
}
/**
 * Firefox through the Chrome launcher (WebDriver BiDi), named so reports say which engine failed. Test pages
 * share one window, so background tabs must not have their timers clamped to a second.
 * @param {string} name
 * @param {Record<string, unknown>} [prefs] further preferences, e.g. forced colours
 */
function firefoxLauncher(name, prefs = {}) {
  const launcher = chromeLauncher({
    launchOptions: {
      browser: 'firefox',
      executablePath: firefoxPath,
      headless: true,
      extraPrefsFirefox: {
        'dom.min_background_timeout_value': 4,
        'dom.timeout.enable_budget_timer_throttling': false,
        ...prefs,
      },
    },
  });
  launcher.name = name;
  return launcher;
}

if (wanted.includes('firefox') && existsSync(firefoxPath)) browsers.push(firefoxLauncher('Firefox'));

/**
 * `emulateMedia` from @web/test-runner-commands passes colour scheme and reduced motion to puppeteer, but
 * drops `forcedColors`; this command sets it. Answers false where the browser cannot (no CDP).
 */
function forcedColorsCommand() {
  /** @type {WeakMap<object, any>} */
  const cdpSessions = new WeakMap();
  return {
    name: 'emulate-forced-colors',
    /** @param {{ command: string, payload: unknown, session: any }} args */
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      if (session.browser.type !== 'puppeteer') return false;
      const active = Boolean(/** @type {{ active?: boolean }} */ (payload)?.active);
      try {
        // Puppeteer's emulateMediaFeatures refuses this feature name; CDP itself takes it.
        const page = session.browser.getPage(session.id);
        let cdp = cdpSessions.get(page);
        if (!cdp) {
          cdp = await page.createCDPSession();
          cdpSessions.set(page, cdp);
        }
        await cdp.send('Emulation.setEmulatedMedia', {
          features: [{ name: 'forced-colors', value: active ? 'active' : 'none' }],
        });
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * The page's used JS heap after forced garbage collection (CDP's HeapProfiler.collectGarbage, three times so
 * that what the first pass frees for finalisation goes too), for the leak test. False without CDP
 * (a null answer would read as an unknown command).
 */
function heapAfterGcCommand() {
  return {
    name: 'heap-after-gc',
    /** @param {{ command: string, session: any }} args */
    async executeCommand({ command, session }) {
      if (command !== 'heap-after-gc') return undefined;
      if (session.browser.type !== 'puppeteer') return false;
      try {
        const cdp = await session.browser.getPage(session.id).createCDPSession();
        try {
          for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
          return (await cdp.send('Runtime.getHeapUsage')).usedSize;
        } finally {
          await cdp.detach();
        }
      } catch {
        return false;
      }
    },
  };
}

/** Renders <recording-status> with Lit SSR in this Node process, from the built dist/, for hydration tests. */
function ssrRenderCommand() {
  return {
    name: 'ssr-render',
    /** @param {{ command: string, payload: any }} args */
    async executeCommand({ command, payload }) {
      if (command !== 'ssr-render') return undefined;
      const { render } = await import('@lit-labs/ssr');
      const { collectResult } = await import('@lit-labs/ssr/lib/render-result.js');
      const { html } = await import('lit');
      await import('./dist/define.js');
      return collectResult(
        render(
          html`<recording-status recording-id=${payload.recordingId} proxy-url=${payload.proxyUrl}></recording-status>`,
        ),
      );
    },
  };
}

/** The policy a careful host page sets: no inline script or style, Trusted Types enforced. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "require-trusted-types-for 'script'; trusted-types lit-html";

/** @type {(ctx: { path: string, set(name: string, value: string): void }, next: () => Promise<unknown>) => Promise<void>} */
async function strictHostPage(ctx, next) {
  await next();
  if (ctx.path === '/test/fixtures/csp-host.html') ctx.set('Content-Security-Policy', STRICT_CSP);
}

/**
 * The real server under /srv: the demo's backend (`createRecordingServer` from the built dist/, in front of the
 * signing simulator), so push is tested against the server itself. Each browser engine gets a server of its own
 * (by User-Agent): the engines run side by side, and one's streams, meetings or switched-off push must not reach
 * the other's tests. `GET /srv-streams` says how many of that server's event streams are open and the most that were
 * open at once since the last `POST /srv-streams` (which resets it). Koa speaks to the connect-style backend through
 * the raw request and response.
 */
function realServer(prefix = '/srv') {
  /** @type {Map<string, { backend: Promise<{ middleware: (req: any, res: any, next: () => void) => void }>, streams: { open: number, peak: number } }>} */
  const servers = new Map();
  /** @param {string} userAgent */
  const serverFor = (userAgent) => {
    const engine = /Firefox\//.test(userAgent)
      ? 'firefox'
      : /WebKit|Safari/.test(userAgent) && !/Chrome\//.test(userAgent)
        ? 'webkit'
        : 'chromium';
    let server = servers.get(engine);
    if (!server) {
      server = {
        backend: import('./dist/server/index.js').then(({ createRecordingServer }) =>
          demoBackend({
            prefix,
            createRecordingServer,
            simulator: new RealtimeKitSimulator({
              seed: true,
              apiToken: 'demo-api-token',
              startDelayMs: 200,
              uploadMs: 1500,
            }),
            tickMs: 50,
          }),
        ),
        streams: { open: 0, peak: 0 },
      };
      servers.set(engine, server);
    }
    return server;
  };
  /** @param {{ path: string, method: string, req: any, res: any, respond: boolean, body: unknown, get(name: string): string, set(h: Record<string, string>): void }} ctx @param {() => Promise<unknown>} next */
  return async (ctx, next) => {
    if (ctx.path !== '/srv-streams' && !ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    const { backend, streams } = serverFor(ctx.get('user-agent'));
    if (ctx.path === '/srv-streams') {
      if (ctx.method === 'POST') streams.peak = streams.open;
      ctx.set({ 'Cache-Control': 'no-store' });
      ctx.body = { ...streams };
      return;
    }
    const { middleware } = await backend;
    if (ctx.path === `${prefix}/events`) {
      streams.open++;
      streams.peak = Math.max(streams.peak, streams.open);
      ctx.res.once('close', () => streams.open--);
    }
    ctx.respond = false;
    await new Promise((resolve) => {
      ctx.res.once('close', resolve);
      middleware(ctx.req, ctx.res, () => {
        ctx.respond = true;
        resolve(next());
      });
    });
  };
}

/**
 * Firefox cannot emulate media without CDP, but can start with the preferences set: this one runs in forced
 * colours with reduced motion, for the tests of those two (a group, so only their files run in it).
 */
function firefoxForcedColours() {
  return firefoxLauncher('Firefox (forced colours, reduced motion)', {
    'browser.display.document_color_use': 2,
    'ui.prefersReducedMotion': 1,
  });
}

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  browsers,
  // Headless Chromium gives background tabs no animation frames, which fixture() waits for: one page per
  // browser at a time, the two browsers side by side.
  concurrency: 1,
  concurrentBrowsers: 2,
  testFramework: { config: { timeout: 10000 } },
  // V8 coverage from Chromium on every run; falling under a threshold fails it.
  coverage: true,
  coverageConfig: {
    include: ['src/**/*.ts'],
    report: true,
    reportDir: 'coverage',
    threshold: { statements: 90, lines: 90, branches: 80, functions: 90 },
  },
  reporters: [defaultReporter(), summaryReporter()],
  groups:
    wanted.includes('firefox') && existsSync(firefoxPath)
      ? [
          {
            name: 'firefox-forced-colours',
            files: ['test/recording-status.styles.test.ts', 'test/recording-status.a11y.test.ts'],
            browsers: [firefoxForcedColours()],
          },
        ]
      : undefined,
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [
    forcedColorsCommand(),
    heapAfterGcCommand(),
    ssrRenderCommand(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    // Baselines live in test/screenshots/<browser>/baseline; a failed comparison writes .../failed.
    visualRegressionPlugin({
      baseDir: 'test/screenshots',
      update: process.argv.includes('--update-visual-baseline'),
      diffOptions: { threshold: 0.1 },
      failureThreshold: 0.5,
      failureThresholdType: 'percent',
    }),
  ],
  // The demo's RealtimeKit simulator, so built bundles can be tested against a real HTTP proxy.
  middleware: [
    strictHostPage,
    simulatorMiddleware({
      prefix: '/sim',
      // INVOKED lasts 1.5 s, not the demo's 0.2 s: the built bundle's first read (token, push probe, read) must
      // see it on a loaded machine, where it once came after RECORDING.
      simulator: new RealtimeKitSimulator({ seed: true, startDelayMs: 1500, uploadMs: 2500 }),
    }),
    realServer('/srv'),
  ],
};
