// @ts-check
/** The README's framework, server and Cloudflare snippets are the examples' own files, which CI builds and runs. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
for (const file of [
  'vite-ts/src/main.ts',
  'react-19/src/Recording.tsx',
  'react-18/src/Recording.tsx',
  'preact/src/Recording.tsx',
  'solid/src/Recording.tsx',
  'vue/vite.config.ts',
  'vue/src/Recording.vue',
  'svelte/src/Recording.svelte',
  'angular/src/recording.component.ts',
  'cloudflare/worker.ts',
  'cloudflare/wrangler.jsonc',
  'cloudflare/public/index.html',
  'cloudflare/.dev.vars.example',
  'server/express/server.mjs',
  'server/fastify/server.mjs',
  'server/nextjs/lib/recordings.ts',
  'server/nextjs/app/api/recordings/[...path]/route.ts',
]) {
  test(`README carries examples/${file} word for word`, () => {
    const source = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8').trim();
    assert.ok(readme.includes(source), `README.md must carry examples/${file}`);
  });
}
