import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { realtimeKitSimulator } from './demo/simulator/vite-plugin.mjs';
import { createRecordingServer } from './src/server/index.js';
import { minifyCssLiterals } from './scripts/minify-css-literals.mjs';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `vite` serves the demo: the real recording server (src/server) in front of the built-in RealtimeKit simulator.
 * `vite build` writes dist/recording-status.min.js: one self-contained ES module (Lit and zod inlined) that
 * defines <recording-status> when loaded. dist/index.js and dist/define.js come from tsc, unbundled.
 */
export default defineConfig(({ command }) =>
  command === 'serve'
    ? {
        root: here('demo'),
        plugins: [realtimeKitSimulator({ prefix: '/api', createRecordingServer })],
        server: { port: 5173, strictPort: false, open: false },
      }
    : {
        plugins: [minifyCssLiterals()],
        define: { 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir: here('dist'),
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          lib: {
            entry: here('src/define.ts'),
            formats: ['es'],
            fileName: () => 'recording-status.min.js',
          },
          // Lib mode keeps whitespace in ES output for downstream tree-shaking; this file is a final artifact
          // loaded as is, so minify it fully.
          rolldownOptions: { output: { minify: true } },
        },
      },
);
