// @ts-check
/** Debian's Chromium, as the tests and the benchmark launch it. Nothing here downloads a browser. */
import { existsSync } from 'node:fs';

/** CHROME_PATH, else Debian's /usr/bin/chromium, else undefined (the launcher's own search). */
export const chromiumPath =
  process.env.CHROME_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Headless as root needs --no-sandbox; this machine's closed network wants background networking off. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // Several test pages share the browser: background ones must still paint and run timers.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
