// @ts-check
/**
 * The reference pages in docs/ say what the code does: their generated parts (the element's attributes,
 * properties, events, parts and custom properties from custom-elements.json; the server's variables and options
 * from the code) are what scripts/docs.mjs makes of the code now. Runs after the build, as the manifest test does.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { generatedParts, PAGES, pages, renderPage } from '../../scripts/docs.mjs';

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
    for (const variable of VARIABLES) assert.ok(parts.variables?.includes(`\`${variable.name}\``), variable.name);
  });
});
