// @ts-check
/**
 * `npm run docs` (after `npm run build`): writes the generated parts of docs/ from the code, so that no reference
 * table is kept by hand. The element's attributes, properties, events, parts and custom properties come from
 * custom-elements.json (the element's JSDoc); the server's environment variables from the one table the code reads
 * (dist/server/options/variables.js); its options and the token handler's from their declarations in dist/.
 *
 * A page holds each generated part between `<!-- generated: name -->` and `<!-- /generated: name -->`; everything
 * else on the page is hand-written and kept. `--check` writes nothing and exits 1 naming each page out of date
 * (test/node/docs.test.mjs does the same in `npm test`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** @typedef {{ name: string, description?: string, type?: { text: string }, default?: string }} Entry */

/** A table cell: one line, pipes escaped. */
const cell = (/** @type {unknown} */ text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (/** @type {unknown} */ text) => (text === undefined || text === '' ? '' : `\`${cell(text)}\``);

/** A markdown table (prettier pads it). @param {string[]} head @param {unknown[][]} rows */
function table(head, rows) {
  const line = (/** @type {unknown[]} */ cells) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The `<recording-status>` declaration in the manifest. */
function element() {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  for (const mod of manifest.modules) {
    for (const declaration of mod.declarations ?? [])
      if (declaration.tagName === 'recording-status') return declaration;
  }
  throw new Error('custom-elements.json declares no recording-status: run npm run build.');
}

/** A default as the reader wants it: a named constant (DEFAULT_POLL_INTERVAL) by its value. */
function defaultOf(/** @type {string | undefined} */ text, /** @type {Record<string, unknown>} */ constants) {
  if (text === undefined) return '';
  return code(/^[A-Z][A-Z0-9_]*$/.test(text) && text in constants ? String(constants[text]) : text);
}

/** The members of an interface in a .d.ts: name, whether optional, type, JSDoc. @param {string} file @param {string} name */
function declared(file, name) {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  /** @type {ts.InterfaceDeclaration | undefined} */
  let found;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
  });
  if (found === undefined) throw new Error(`${file} declares no ${name}: run npm run build.`);
  return found.members.filter(ts.isPropertySignature).map((member) => ({
    name: member.name.getText(source),
    optional: member.questionToken !== undefined,
    type: member.type?.getText(source) ?? '',
    description: ts
      .getJSDocCommentsAndTags(member)
      .map((doc) => (ts.isJSDoc(doc) ? ts.getTextOfJSDocComment(doc.comment) : ''))
      .join(' '),
  }));
}

/**
 * Every generated part, by name: its markdown. Reads custom-elements.json and dist/ (run `npm run build` first).
 * @returns {Promise<Record<string, string>>}
 */
export async function generatedParts() {
  const el = element();
  const constants = await import(pathToFileURL(join(root, 'dist/config.js')).href);
  const { VARIABLES } = await import(pathToFileURL(join(root, 'dist/server/options/variables.js')).href);
  /** @type {Entry[]} */
  const attributes = el.attributes ?? [];
  /** @type {(Entry & { kind: string, static?: boolean, privacy?: string, readonly?: boolean, attribute?: string, parameters?: Entry[], return?: { type?: { text: string } } })[]} */
  const members = (el.members ?? []).filter((/** @type {{ privacy?: string }} */ m) => m.privacy === undefined);
  /** @type {{ name: string, option: string, required: boolean, secret: boolean, default: string, description: string }[]} */
  const variables = VARIABLES;
  const variableOf = (/** @type {string} */ option) =>
    variables
      .filter((v) => v.option === option || v.option.startsWith(`${option}.`))
      .map((v) => code(v.name))
      .join(', ');
  const signature = (/** @type {(typeof members)[number]} */ m) =>
    `${m.static ? 'RecordingStatusElement.' : ''}${m.name}(${(m.parameters ?? []).map((p) => p.name + (p.default ? ` = ${p.default}` : '')).join(', ')})`;

  return {
    attributes: table(
      ['attribute', 'property', 'type', 'default', 'meaning'],
      attributes.map((/** @type {Entry & { fieldName?: string }} */ a) => [
        code(a.name),
        a.fieldName === undefined ? `\`${a.name}\` (read-only)` : code(a.fieldName),
        code(a.type?.text ?? members.find((m) => m.name === a.name)?.type?.text),
        defaultOf(a.default, constants),
        cell(a.description),
      ]),
    ),
    properties: table(
      ['member', 'type', 'meaning'],
      // The attributes' properties are in the table above.
      members
        .filter((m) => m.attribute === undefined)
        .map((m) => [
          code(m.kind === 'method' ? signature(m) : m.name),
          code(m.kind === 'method' ? m.return?.type?.text : m.type?.text),
          cell(`${m.readonly ? 'Read-only. ' : ''}${m.description ?? ''}`),
        ]),
    ),
    events: table(
      ['event', 'class', 'meaning'],
      (el.events ?? []).map((/** @type {Entry} */ e) => [code(e.name), code(e.type?.text), cell(e.description)]),
    ),
    parts: table(
      ['part', 'meaning'],
      (el.cssParts ?? []).map((/** @type {Entry} */ p) => [code(p.name), cell(p.description)]),
    ),
    'custom-properties': table(
      ['custom property', 'default (light / dark)', 'meaning'],
      (el.cssProperties ?? []).map((/** @type {Entry} */ p) => [code(p.name), code(p.default), cell(p.description)]),
    ),
    variables: table(
      ['variable', 'option', 'default', 'meaning'],
      variables.map((v) => [
        code(v.name),
        code(v.option),
        v.required ? '**required**' : /^[a-z]+( |$)/.test(v.default) ? cell(v.default) : code(v.default),
        cell(
          `${v.description.charAt(0).toUpperCase()}${v.description.slice(1)}.` +
            (v.secret ? ' A secret: keep it out of config files (`.dev.vars`, `wrangler secret put`).' : ''),
        ),
      ]),
    ),
    options: table(
      ['option', 'type', 'variable', 'meaning'],
      declared('dist/server/options/options.d.ts', 'RecordingServerOptions').map((o) => [
        code(o.name + (o.optional ? '?' : '')),
        code(o.type),
        variableOf(o.name) || 'code only',
        cell(o.description),
      ]),
    ),
    'token-handler-options': table(
      ['option', 'type', 'meaning'],
      declared('dist/server/token-handler.d.ts', 'TokenHandlerOptions').map((o) => [
        code(o.name + (o.optional ? '?' : '')),
        code(o.type),
        cell(o.description),
      ]),
    ),
  };
}

/** The pages with generated parts, and the parts each holds. */
export const PAGES = {
  'docs/element-reference.md': ['attributes', 'properties', 'events', 'parts', 'custom-properties'],
  'docs/server-options.md': ['variables', 'options', 'token-handler-options'],
};

const MARKERS = /<!-- generated: ([a-z-]+) -->\n[\s\S]*?<!-- \/generated: \1 -->/g;

/**
 * The page with each generated part rewritten, formatted as `prettier --check` wants it; a part the page should
 * hold and does not, or one it holds that nothing generates, is an error naming it.
 * @param {string} file @param {string} text @param {Record<string, string>} parts
 */
export async function renderPage(file, text, parts) {
  const wanted = /** @type {Record<string, string[]>} */ (PAGES)[file] ?? [];
  const held = [...text.matchAll(MARKERS)].map((m) => m[1]);
  for (const name of wanted) {
    if (!held.includes(name)) {
      throw new Error(`${file} has no generated part "${name}": put back <!-- generated: ${name} --> and its end.`);
    }
  }
  const rewritten = text.replace(MARKERS, (_whole, /** @type {string} */ name) => {
    const part = parts[name];
    if (part === undefined || !wanted.includes(name)) throw new Error(`${file}: nothing generates "${name}".`);
    return `<!-- generated: ${name} -->\n\n${part}\n\n<!-- /generated: ${name} -->`;
  });
  const options = (await prettier.resolveConfig(join(root, file))) ?? {};
  return prettier.format(rewritten, { ...options, filepath: join(root, file) });
}

/** Each page as it should be, by path. @returns {Promise<Map<string, { now: string, wanted: string }>>} */
export async function pages() {
  const parts = await generatedParts();
  const out = new Map();
  for (const file of Object.keys(PAGES)) {
    const now = readFileSync(join(root, file), 'utf8');
    out.set(file, { now, wanted: await renderPage(file, now, parts) });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, { now, wanted }] of await pages()) {
    if (now === wanted) continue;
    stale.push(file);
    if (!check) writeFileSync(join(root, file), wanted);
  }
  if (check && stale.length > 0) {
    console.error(`docs: out of date: ${stale.join(', ')}. Run npm run build && npm run docs, and commit.`);
    process.exit(1);
  }
  console.log(stale.length === 0 ? 'docs: up to date' : `docs: wrote ${stale.join(', ')}`);
}
