// @ts-check
/**
 * The layering rules, checked on the source: `api/`, `auth/` and `push/` never import `stream/` (the stream
 * room, which follows a recording by push or polling), `view/` never imports `stream/`, the browser half never imports `server/`, the server imports only the shared rules, and only the
 * Node glue touches Node: the Worker runs in workerd.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src', import.meta.url));

/** @returns {string[]} */
function files(/** @type {string} */ dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every module a source file imports, resolved to a path relative to src/. */
function importsOf(/** @type {string} */ file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.[^']+)'/g)].map((m) =>
    relative(src, join(file, '..', /** @type {string} */ (m[1]))),
  );
}

const rules = [
  { from: 'api/', never: 'stream/' },
  { from: 'auth/', never: 'stream/' },
  // The push client reports to whoever owns it; the stream decides what push means for the page.
  { from: 'push/', never: 'stream/' },
  { from: 'view/', never: 'stream/' },
  // The stream room knows nothing of the element or its views.
  { from: 'stream/', never: 'view/' },
  { from: 'stream/', never: 'recording-status' },
  { from: '', never: 'server/', unless: 'server/' },
  // The server shares the rules (lifecycle, schemas, platform seams), never the element or its engine.
  { from: 'server/', never: 'stream/' },
  { from: 'server/', never: 'view/' },
  { from: 'server/', never: 'recording-status' },
  { from: 'server/', never: 'auth/' },
  { from: 'server/', never: 'push/' },
  { from: 'server/', never: 'api/client' },
  // The hub core is pure: it returns effects, and no shell, route or feed is known to it.
  { from: 'server/target-hub', never: 'server/hub' },
  { from: 'server/target-hub', never: 'server/cloudflare/' },
  { from: 'server/target-hub', never: 'server/routes/' },
  { from: 'server/target-hub', never: 'server/feed/' },
  // The Worker runs in workerd: the Node glue never reaches it.
  { from: 'server/cloudflare/', never: 'server/node' },
  { from: 'server/cloudflare/', never: 'server/cli' },
  // Redis is for Node replicas only: the Worker scales out on Durable Objects instead.
  { from: 'server/cloudflare/', never: 'server/redis/' },
];

for (const rule of rules) {
  test(`${rule.from || 'the browser half '}never imports ${rule.never}`, () => {
    const offenders = files(src)
      .map((file) => relative(src, file))
      .filter((file) => file.startsWith(rule.from) && !(rule.unless && file.startsWith(rule.unless)))
      .flatMap((file) =>
        importsOf(join(src, file))
          .filter((to) => to.startsWith(rule.never))
          .map((to) => `${file} → ${to}`),
      );
    assert.deepEqual(offenders, []);
  });
}

/** What the server half may import from outside server/: the shared rules, never the browser's code. */
const SHARED = ['api/rest.ts', 'api/schema.ts', 'api/ids.ts', 'lifecycle.ts', 'platform.ts'];

test('the server imports only the shared rules (REST knowledge, schemas, ids, lifecycle, platform seams)', () => {
  const offenders = files(src)
    .map((file) => relative(src, file))
    .filter((file) => file.startsWith('server/'))
    .flatMap((file) =>
      importsOf(join(src, file))
        .map((to) => to.replace(/\.js$/, '.ts'))
        .filter((to) => !to.startsWith('server/') && !SHARED.includes(to))
        .map((to) => `${file} → ${to}`),
    );
  assert.deepEqual(offenders, []);
});

test('nothing imports the Redis client package but server/redis/package.ts, and only by a variable (no bundler pulls it in)', () => {
  const offenders = files(src)
    .map((file) => relative(src, file))
    .filter((file) =>
      /\bfrom\s+'(redis|@redis\/[^']+)'|import\(\s*'(redis|@redis\/[^']+)'/.test(readFileSync(join(src, file), 'utf8')),
    );
  assert.deepEqual(offenders, []);
  const loader = readFileSync(join(src, 'server', 'redis', 'package.ts'), 'utf8');
  assert.match(loader, /await import\(\/\* @vite-ignore \*\/ name\)/);
});

test('only server/redis/, the server composition, its options and the CLI reach server/redis/', () => {
  // app.ts composes a replica, options/ types and checks the option, cli.ts names a missing package.
  const reach = ['app.ts', 'cli.ts', join('options', 'options.ts'), join('options', 'resolve.ts')];
  const allowed = (/** @type {string} */ file) =>
    file.startsWith(join('server', 'redis')) || reach.some((f) => file === join('server', f));
  const offenders = files(src)
    .map((file) => relative(src, file))
    .filter((file) => !allowed(file))
    .flatMap((file) =>
      importsOf(join(src, file))
        .filter((to) => to.startsWith(join('server', 'redis')))
        .map((to) => `${file} → ${to}`),
    );
  assert.deepEqual(offenders, []);
});

test('only the Node glue (server/node.ts, server/cli.ts) imports Node built-ins or the Node adapter', () => {
  const offenders = files(src)
    .map((file) => relative(src, file))
    .filter((file) => file !== join('server', 'node.ts') && file !== join('server', 'cli.ts'))
    .filter((file) => /\bfrom\s+'(node:[^']+|@hono\/node-server[^']*)'/.test(readFileSync(join(src, file), 'utf8')));
  assert.deepEqual(offenders, []);
});
