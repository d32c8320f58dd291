// @ts-check
/**
 * The README's and the docs' framework, server and Cloudflare snippets are the examples' own files, which CI builds
 * and runs: each is in the README or a page of docs/ word for word, headed by its path in the project it belongs to,
 * so that it can be copied there. A page is read as examples/run-recipes.mjs reads it (examples/recipe.mjs), so a
 * snippet that passes here is a file that runner writes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { recipeOf } from '../../examples/recipe.mjs';

const docs = new URL('../../docs/', import.meta.url);
const pages = [
  { name: '../README.md', text: readFileSync(new URL('../README.md', docs), 'utf8') },
  ...readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => ({ name, text: readFileSync(new URL(name, docs), 'utf8') })),
].map((page) => ({ ...page, files: recipeOf(page.text).files }));

for (const file of [
  'plain-html/index.html',
  'vite-ts/src/main.ts',
  'vite-ts/src/french.ts',
  'react-19/index.html',
  'react-19/src/main.tsx',
  'react-19/src/Recording.tsx',
  'react-19/tsconfig.json',
  'react-19/server.mjs',
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
  'server/quickstart/index.html',
  'server/quickstart/quickstart.mjs',
  'server/express/server.mjs',
  'server/express/index.html',
  'server/fastify/server.mjs',
  'server/fastify/index.html',
  'server/hono/server.mjs',
  'server/hono/index.html',
  'server/nextjs/next.config.mjs',
  'server/nextjs/lib/recordings.ts',
  'server/nextjs/app/api/recordings/[...path]/route.ts',
  'server/nextjs/app/api/token/route.ts',
  'server/nextjs/app/route.ts',
  'server/nextjs/app/recording-status.min.js/route.ts',
]) {
  test(`the README or docs/ carry examples/${file} word for word, headed by its path`, () => {
    const source = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8').trim();
    const page = pages.find((p) => p.text.includes(source));
    assert.ok(page, `a page of docs/ must carry examples/${file}`);
    const inProject = file
      .split('/')
      .slice(file.startsWith('server/') ? 2 : 1)
      .join('/');
    // Every copy is the whole file, under the line the recipes runner takes its path from.
    for (const { name, text, files } of pages) {
      const copies = text.split(source).length - 1;
      const headed = files.filter((f) => f.path === inProject && f.text.trim() === source).length;
      assert.equal(
        headed,
        copies,
        `docs/${name}: the snippet of examples/${file} is headed by its path, \`${inProject}\`:`,
      );
    }
  });
}

test("docs/ carry the demo's theming example word for word, a part of demo/gallery.css headed by its name", () => {
  const page = pages.find((p) => p.name === 'element-reference.md');
  const block = page?.files.find((f) => f.path === 'gallery.css')?.text;
  assert.ok(block, 'docs/element-reference.md must carry a block headed `gallery.css`:');
  assert.ok(readFileSync(new URL('../../demo/gallery.css', import.meta.url), 'utf8').includes(block));
});
