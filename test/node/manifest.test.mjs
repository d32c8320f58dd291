// @ts-check
/**
 * custom-elements.json is what editors and tools (VS Code custom data, JetBrains web-types, Storybook,
 * lit-analyzer) know of the element: it must map the tag, and list everything the element exposes, each
 * described. "Everything" is taken from the element itself, not from a list here: its observed attributes,
 * its event classes, the parts its templates write and the custom properties its styles read.
 * Runs on the generated manifest and the built dist/ (npm test builds first).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));

/** @returns {string[]} */
function sources(/** @type {string} */ dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'server'
        ? []
        : sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [readFileSync(join(dir, entry.name), 'utf8')]
        : [],
  );
}
const browserSources = sources(join(root, 'src'));

/** The declaration of `<recording-status>`, with the module that holds it. */
function declaration() {
  const found = manifest.modules.flatMap((/** @type {any} */ mod) =>
    (mod.declarations ?? [])
      .filter((/** @type {any} */ d) => d.tagName === 'recording-status')
      .map((/** @type {any} */ d) => ({ mod, d })),
  );
  assert.equal(found.length, 1, 'exactly one declaration in custom-elements.json has tagName "recording-status"');
  return found[0];
}

/** Asserts every wanted name is listed in `entries`, each with a non-empty description. */
function assertDescribed(
  /** @type {string} */ what,
  /** @type {any[]} */ entries,
  /** @type {Iterable<string>} */ wanted,
) {
  for (const name of wanted) {
    const entry = (entries ?? []).find((e) => e.name === name);
    assert.ok(entry, `the manifest lists the ${what} ${name}`);
    assert.ok(String(entry.description ?? '').trim().length > 0, `the manifest describes the ${what} ${name}`);
  }
}

test('the manifest maps the tag recording-status to the element class, as a custom element', () => {
  const { mod, d } = declaration();
  assert.equal(d.name, 'RecordingStatusElement');
  assert.equal(d.customElement, true);
  assert.equal(mod.path, 'src/recording-status.ts');
  const definitions = manifest.modules.flatMap((/** @type {any} */ m) => m.exports ?? []);
  assert.ok(
    definitions.some(
      (/** @type {any} */ e) =>
        e.kind === 'custom-element-definition' && e.name === 'recording-status' && e.declaration?.name === d.name,
    ),
    'a custom-element-definition export names recording-status',
  );
});

test('the manifest has every attribute the element observes, each described', async () => {
  const { RecordingStatusElement } = await import('../../dist/index.js');
  const observed = /** @type {string[]} */ (RecordingStatusElement.observedAttributes);
  assert.ok(observed.includes('recording-id'));
  // `status` is reflected, not observed: it is documented as read-only.
  assertDescribed('attribute', declaration().d.attributes, [...observed, 'status']);
});

test('the manifest has every event the element fires, each described', async () => {
  const api = await import('../../dist/index.js');
  const names = Object.values(api)
    .filter((value) => typeof value === 'function' && value.prototype instanceof Event)
    .map((value) => /** @type {{ eventName: string }} */ (/** @type {unknown} */ (value)).eventName);
  assert.deepEqual(names.sort(), ['recording-status-change', 'recording-status-error']);
  assertDescribed('event', declaration().d.events, names);
});

test('the manifest has every part the templates write, each described', () => {
  const parts = new Set(['step']);
  for (const text of browserSources) {
    for (const match of text.matchAll(/\bpart="([^"]+)"/g)) for (const name of match[1].split(/\s+/)) parts.add(name);
  }
  // The steps' state parts are built from the lifecycle's step states: `step-${state}`.
  const states = /export type StepState = ([^;]+);/.exec(readFileSync(join(root, 'src/lifecycle.ts'), 'utf8'));
  assert.ok(states, 'src/lifecycle.ts declares StepState');
  for (const match of states[1].matchAll(/'([a-z]+)'/g)) parts.add(`step-${match[1]}`);
  assert.ok(parts.has('base') && parts.has('step-failed') && parts.has('retry'));
  assertDescribed('part', declaration().d.cssParts, parts);
});

test('the manifest has every custom property the styles read, each described', () => {
  const styles = readFileSync(join(root, 'src/recording-status.styles.ts'), 'utf8');
  const properties = new Set([...styles.matchAll(/var\((--recording-status-[a-z-]+)/g)].map((m) => m[1]));
  assert.ok(properties.has('--recording-status-accent'));
  assertDescribed('custom property', declaration().d.cssProperties, properties);
});
