// @ts-check
/**
 * The docs' framework, server and Cloudflare snippets are the examples' own files, which CI builds and runs: each is
 * in a page of docs/ word for word, headed by its path in the project it belongs to, so that it can be copied there.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

const docs = new URL('../../docs/', import.meta.url);
const pages = readdirSync(docs)
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name, text: readFileSync(new URL(name, docs), 'utf8') }));

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
  'server/hono/server.mjs',
  'server/hono/index.html',
  'server/nextjs/lib/recordings.ts',
  'server/nextjs/app/api/recordings/[...path]/route.ts',
  'server/nextjs/app/route.ts',
  'server/nextjs/app/recording-status.min.js/route.ts',
]) {
  test(`docs/ carry examples/${file} word for word, headed by its path`, () => {
    const source = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8').trim();
    const page = pages.find((p) => p.text.includes(source));
    assert.ok(page, `a page of docs/ must carry examples/${file}`);
    const before = page.text.slice(0, page.text.indexOf(source));
    const heading = before.slice(0, before.lastIndexOf('```')).trimEnd().split('\n').at(-1) ?? '';
    const inProject = file
      .split('/')
      .slice(file.startsWith('server/') ? 2 : 1)
      .join('/');
    assert.ok(
      heading.includes(inProject.split('/').at(-1) ?? inProject),
      `docs/${page.name}: the snippet of examples/${file} is headed by its path (${inProject}): ${heading}`,
    );
  });
}
