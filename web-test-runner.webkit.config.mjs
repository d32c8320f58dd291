// The suite in WebKit (Safari's engine): Debian's WebKitWebDriver starts WebKitGTK's MiniBrowser on an Xvfb
// display. Started by scripts/test-webkit.sh, which runs the driver on WEBKIT_DRIVER_PORT.
import { webdriverLauncher } from '@web/test-runner-webdriver';
import base from './web-test-runner.config.mjs';

const port = Number(process.env.WEBKIT_DRIVER_PORT || 4444);

const webkit = webdriverLauncher({
  hostname: '127.0.0.1',
  port,
  path: '/',
  logLevel: 'error',
  capabilities: {
    // No browserName: WebKitWebDriver starts the binary named here.
    'webkitgtk:browserOptions': {
      binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      args: ['--automation'],
    },
    'wdio:enforceWebDriverClassic': true,
  },
});
webkit.name = 'WebKit';

export default {
  ...base,
  // Screenshot baselines are kept for Chromium and Firefox; WebKitGTK's font rendering is its own.
  files: [...base.files, '!test/recording-status.visual.test.ts'],
  browsers: [webkit],
  // The forced-colours Firefox group belongs to the main run.
  groups: undefined,
  concurrency: 1,
  concurrentBrowsers: 1,
  // V8 coverage is Chromium's; the WebKit run checks behaviour only.
  coverage: false,
};
