// @ts-check
/**
 * What push costs in dist/recording-status.min.js: builds the bundle as `vite build` does, whole and with one
 * part replaced by a no-op stub each time, and prints gzip and brotli sizes beside each other (the figures the
 * README's size section quotes). A measurement, not a test: `node scripts/push-cost.mjs`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

/** Module (matched by the end of its path) → stub source. */
const STUBS = {
  parser: {
    'eventsource-parser': 'export const createParser = () => ({ feed() {} });',
  },
  'cross-tab limit': {
    'src/push/slots.ts': [
      'const free = () => Promise.resolve(() => {});',
      'export const HTTP1_STREAMS = 2;',
      'export const browserSlots = () => ({ tryAcquire: free, acquire: free });',
    ].join('\n'),
  },
  'push (transport, reader, parser, slots)': {
    'src/push/transport.ts': 'export class PushTransport { start() {} stop() {} get active() { return false; } }',
    'src/push/slots.ts': 'export const browserSlots = () => ({});',
  },
};

/** @param {Record<string, string>} stubs */
async function size(stubs) {
  const outDir = mkdtempSync(join(tmpdir(), 'push-cost-'));
  try {
    await build({
      configFile: new URL('../vite.config.ts', import.meta.url).pathname,
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
      plugins: [
        {
          name: 'stubs',
          enforce: 'pre',
          resolveId(source, importer) {
            for (const key of Object.keys(stubs)) {
              if (source === key) return `\0stub:${key}`;
              if (
                importer &&
                key.startsWith('src/') &&
                source.endsWith(key.split('/').pop()?.replace('.ts', '.js') ?? '')
              )
                return `\0stub:${key}`;
            }
            return null;
          },
          load(id) {
            return id.startsWith('\0stub:') ? stubs[id.slice('\0stub:'.length)] : null;
          },
        },
      ],
    });
    const code = readFileSync(join(outDir, 'recording-status.min.js'));
    return {
      gzip: gzipSync(code, { level: 9 }).length,
      brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kB = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const whole = await size({});
console.log(`| build | gzip | brotli |\n|---|---:|---:|\n| whole bundle | ${kB(whole.gzip)} | ${kB(whole.brotli)} |`);
for (const [name, stubs] of Object.entries(STUBS)) {
  const without = await size(stubs);
  console.log(
    `| without the ${name} | ${kB(without.gzip)} (−${kB(whole.gzip - without.gzip)}) | ${kB(without.brotli)} (−${kB(whole.brotli - without.brotli)}) |`,
  );
}
