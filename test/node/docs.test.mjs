// @ts-check
/**
 * The reference pages in docs/ say what the code does: their generated parts (the element's attributes,
 * properties, events, parts and custom properties from custom-elements.json; the server's variables and options
 * from the code) are what scripts/docs.mjs makes of the code now. Runs after the build, as the manifest test does.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { checkedDefault, generatedParts, PAGES, pages, renderPage } from '../../scripts/docs.mjs';

describe('docs/ generated parts', () => {
  for (const file of Object.keys(PAGES)) {
    it(`${file} matches the code (npm run build && npm run docs rewrites it)`, async () => {
      const page = (await pages()).get(file);
      assert.ok(page);
      assert.ok(page.now === page.wanted, `${file} is out of date: run npm run build && npm run docs, and commit it`);
    });
  }

  it('a row that differs from the code is out of date; the hand-written text around the parts is kept', async () => {
    const parts = await generatedParts();
    const file = 'docs/server-options.md';
    const page = /** @type {{ now: string }} */ ((await pages()).get(file)).now;
    const tampered = page
      .replace('| `RECORDING_STATUS_BUDGET`', '| `RECORDING_STATUS_BUDGETS`')
      .replace('## Environment variables\n', '## Environment variables\n\nA line of our own.\n');
    const rendered = await renderPage(file, tampered, parts);
    assert.notEqual(rendered, tampered);
    assert.ok(rendered.includes('| `RECORDING_STATUS_BUDGET` '));
    assert.ok(!rendered.includes('RECORDING_STATUS_BUDGETS'));
    assert.ok(rendered.includes('A line of our own.'));
  });

  it('a page that lost a generated part is an error naming it', async () => {
    const parts = await generatedParts();
    await assert.rejects(
      renderPage('docs/element-reference.md', '# Reference\n', parts),
      /docs\/element-reference\.md has no generated part "attributes"/,
    );
  });

  it('every attribute, event and variable of the code is in a page', async () => {
    const parts = await generatedParts();
    for (const name of ['`recording-id`', '`status`', '`recording-status-change`', '`--recording-status-accent`'])
      assert.ok(`${parts.attributes}${parts.events}${parts['custom-properties']}`.includes(name), name);
    const { VARIABLES } = await import('../../dist/server/options/variables.js');
    const { CLI_VARIABLES } = await import('../../dist/server/cli-variables.js');
    for (const variable of [...VARIABLES, ...CLI_VARIABLES])
      assert.ok(parts.variables?.includes(`\`${variable.name}\``), variable.name);
  });

  it('each stream cap has a row of its own in the options table, with its variable and its default', async () => {
    const { options = '' } = await generatedParts();
    for (const [cap, variable, value] of [
      ['perToken', 'PER_TOKEN', 32],
      ['perSubject', 'PER_SUBJECT', 100],
      ['perTarget', 'PER_TARGET', 5000],
      ['total', 'TOTAL', 10000],
    ]) {
      const row = options.split('\n').find((line) => line.startsWith(`| \`streams.${cap}?\``)) ?? '';
      assert.match(row, new RegExp(`\\| \`${value}\` +\\| \`RECORDING_STATUS_STREAMS_${variable}\``), cap);
    }
  });

  it("an option's @default that is not its variable's is an error naming both; words and a missing one are not", () => {
    const variables = [
      { name: 'RECORDING_STATUS_BUDGET', option: 'budget', default: '900' },
      { name: 'RECORDING_STATUS_VIEWER_BUDGET', option: 'viewerBudget', default: 'a tenth of the budget, 90' },
    ];
    assert.throws(
      () => checkedDefault(variables, 'budget', '800'),
      /budget: its @default \(800\) is not RECORDING_STATUS_BUDGET's default \(900\)/,
    );
    assert.equal(checkedDefault(variables, 'budget', '`900`'), '`900`');
    assert.equal(checkedDefault(variables, 'budget', ''), '900');
    assert.equal(checkedDefault(variables, 'viewerBudget', 'a tenth of `budget`'), 'a tenth of `budget`');
    assert.equal(checkedDefault(variables, 'clock', 'the system clock'), 'the system clock');
  });
});

describe('links in README.md and docs/', () => {
  const root = new URL('../../', import.meta.url);
  const files = ['README.md', ...readdirSync(new URL('docs/', root)).map((name) => `docs/${name}`)].filter((f) =>
    f.endsWith('.md'),
  );
  /** GitHub's anchor for a heading. */
  const slug = (/** @type {string} */ heading) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, '')
      .replace(/ /g, '-');
  const anchors = (/** @type {string} */ text) =>
    new Set(
      text
        .replace(/^```[\s\S]*?^```/gm, '')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => slug(line.replace(/^#+ /, ''))),
    );
  const shipped = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).files;

  it("the README's picture is the visual test's own baseline of a recording, shipped with the docs", () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    assert.match(readme, /!\[[^\]]+\]\(docs\/stepper\.png\)/);
    const baseline = readFileSync(new URL('test/screenshots/Chrome/baseline/light-horizontal-recording.png', root));
    assert.ok(readFileSync(new URL('docs/stepper.png', root)).equals(baseline), 'cp the baseline to docs/stepper.png');
    assert.ok(shipped.includes('docs/stepper.png'));
  });

  it('README.md is at most 200 lines and links every page of docs/', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    assert.ok(readme.split('\n').length <= 200, `README.md has ${readme.split('\n').length} lines`);
    for (const page of files.filter((f) => f.startsWith('docs/'))) assert.ok(readme.includes(`](${page})`), page);
  });

  it('docs/ ships in the package', () => {
    assert.ok(shipped.includes('docs/**/*.md'), 'package.json files has docs/**/*.md');
  });

  for (const file of files) {
    it(`every relative link of ${file} resolves in the package, to a heading that exists`, () => {
      const text = readFileSync(new URL(file, root), 'utf8');
      for (const [, target] of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target ?? '')) continue;
        const [path, anchor] = (target ?? '').split('#');
        const to = path === '' ? file : join(dirname(file), path ?? '');
        assert.ok(
          existsSync(new URL(to, root)) && (to.startsWith('docs/') || ['README.md', 'CHANGELOG.md'].includes(to)),
          `${file} links ${target}, which is not a file of the package`,
        );
        if (anchor) assert.ok(anchors(readFileSync(new URL(to, root), 'utf8')).has(anchor), `${file} links ${target}`);
      }
    });
  }
});
