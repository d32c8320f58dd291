// @ts-check
/**
 * `npm run docs` (after `npm run build`): writes the generated parts of docs/ from the code, so that no reference
 * table is kept by hand. The element's attributes, properties, events, parts and custom properties come from
 * custom-elements.json (the element's JSDoc); the server's environment variables from the one table the code reads
 * (dist/server/options/variables.js) and the CLI's own (dist/server/cli-variables.js); the options of
 * createRecordingServer, createTokenHandler, createRecordingWorker and createViewerToken from their declarations in
 * dist/ (JSDoc, and its `@default`). An option's `@default` that is not its variable's default is an error.
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

/**
 * The members of an interface in a .d.ts: name, whether optional, type, JSDoc (its text, and its `@default`).
 * @param {string} file @param {string} name
 */
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
    default: ts
      .getJSDocTags(member)
      .filter((tag) => tag.tagName.text === 'default')
      .map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? '')
      .join(' '),
  }));
}

/** An option's type whose members the options table lists as rows of their own (`streams.perToken`), by its .d.ts. */
const EXPANDED = { StreamLimits: 'dist/server/feed/stream-caps.d.ts' };

/** A default as a cell: a value (`300`) as code, words (`a tenth of \`budget\``) as they are written. */
const defaultCell = (/** @type {string} */ text) =>
  text === ''
    ? ''
    : (/^[a-z]+$/.test(text) && !/^(true|false)$/.test(text)) || /[\s`]/.test(text)
      ? cell(text)
      : code(text);

/**
 * The rows of an options table: each member of the interface, and the members of a type in EXPANDED under it.
 * @param {string} file @param {string} name @param {(option: string, declared: string) => string} defaultFor
 */
function optionRows(file, name, defaultFor = (_option, text) => text) {
  /** @type {{ path: string, optional: boolean, type: string, default: string, description: string, expanded: boolean }[]} */
  const rows = [];
  for (const o of declared(file, name)) {
    const inner = /** @type {Record<string, string>} */ (EXPANDED)[o.type];
    rows.push({ ...o, path: o.name, default: defaultFor(o.name, o.default), expanded: inner !== undefined });
    if (inner === undefined) continue;
    for (const m of declared(inner, o.type)) {
      const path = `${o.name}.${m.name}`;
      rows.push({ ...m, path, default: defaultFor(path, m.default), expanded: false });
    }
  }
  return rows;
}

/**
 * What the variables table says of a variable beyond its description: how to keep a secret, and how a Worker
 * takes it when not as Node does.
 * @param {{ secret: boolean, worker?: string | false }} variable
 */
function variableNotes({ secret, worker }) {
  const notes = [];
  if (secret && worker === false) notes.push('A secret: keep it out of committed files and logs.');
  else if (secret) {
    notes.push(
      "A secret: keep it out of committed files and logs; on a Worker, `.dev.vars` for `wrangler dev` and `wrangler secret put` when deployed, not the wrangler config's `vars`.",
    );
  }
  if (worker === false) notes.push('Node only: a Worker shares through its Durable Objects and does not use it.');
  else if (worker !== undefined) notes.push(`On a Worker: ${worker}.`);
  return notes;
}

/**
 * An option's default: its `@default`, which must be its variable's where that is a value (a number, a URL), so
 * that the two cannot drift apart; without one, its variable's.
 * @param {readonly { name: string, option: string, default: string }[]} variables
 * @param {string} option a dotted path (`streams.perToken`) @param {string} declaredDefault its `@default`, or ''
 */
export function checkedDefault(variables, option, declaredDefault) {
  const variable = variables.find((v) => v.option === option);
  if (variable === undefined) return declaredDefault;
  if (declaredDefault === '') return variable.default;
  const value = declaredDefault.replace(/^`(.*)`$/, '$1');
  if (/^(\d+|https?:\/\/\S+)$/.test(variable.default) && value !== variable.default) {
    throw new Error(
      `${option}: its @default (${declaredDefault}) is not ${variable.name}'s default (${variable.default}).`,
    );
  }
  return declaredDefault;
}

/**
 * Every generated part, by name: its markdown. Reads custom-elements.json and dist/ (run `npm run build` first).
 * @returns {Promise<Record<string, string>>}
 */
export async function generatedParts() {
  const el = element();
  const constants = await import(pathToFileURL(join(root, 'dist/config.js')).href);
  const { VARIABLES } = await import(pathToFileURL(join(root, 'dist/server/options/variables.js')).href);
  const { CLI_VARIABLES } = await import(pathToFileURL(join(root, 'dist/server/cli-variables.js')).href);
  /** @type {Entry[]} */
  const attributes = el.attributes ?? [];
  /** @type {(Entry & { kind: string, static?: boolean, privacy?: string, readonly?: boolean, attribute?: string, parameters?: Entry[], return?: { type?: { text: string } } })[]} */
  const members = (el.members ?? []).filter((/** @type {{ privacy?: string }} */ m) => m.privacy === undefined);
  /** @type {{ name: string, option: string, required: boolean, secret: boolean, default: string, description: string, worker?: string | false }[]} */
  const variables = VARIABLES;
  /** @type {{ name: string, default: string, description: string }[]} */
  const cliVariables = CLI_VARIABLES;
  const variableOf = (/** @type {string} */ option) =>
    variables
      .filter((v) => v.option === option || v.option.startsWith(`${option}.`))
      .map((v) => code(v.name))
      .join(', ');
  const sentence = (/** @type {string} */ text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  /**
   * An options table; with `variables`, a column naming each option's variable (an expanded option's members name
   * theirs in the rows below it).
   */
  const optionsTable = (/** @type {ReturnType<typeof optionRows>} */ rows, variables = false) =>
    table(
      ['option', 'type', 'default', ...(variables ? ['variable'] : []), 'meaning'],
      rows.map((o) => [
        code(o.path + (o.optional ? '?' : '')),
        code(o.type),
        o.optional ? defaultCell(o.default) : '**required**',
        ...(variables ? [o.expanded ? 'each below' : variableOf(o.path) || 'code only'] : []),
        cell(o.description),
      ]),
    );
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
      [
        ...variables.map((v) => [
          code(v.name),
          code(v.option),
          v.required ? '**required**' : defaultCell(v.default),
          cell([sentence(v.description), ...variableNotes(v)].join(' ')),
        ]),
        ...cliVariables.map((v) => [code(v.name), 'none', defaultCell(v.default), cell(sentence(v.description))]),
      ],
    ),
    options: optionsTable(
      optionRows('dist/server/options/options.d.ts', 'RecordingServerOptions', (option, declaredDefault) =>
        checkedDefault(variables, option, declaredDefault),
      ),
      true,
    ),
    'token-handler-options': optionsTable(optionRows('dist/server/token-handler.d.ts', 'TokenHandlerOptions')),
    'worker-options': optionsTable(optionRows('dist/server/cloudflare/worker.d.ts', 'RecordingWorkerOptions')),
    'viewer-token-options': optionsTable(optionRows('dist/server/tokens.d.ts', 'ViewerTokenOptions')),
  };
}

/** The pages with generated parts, and the parts each holds. */
export const PAGES = {
  'docs/element-reference.md': ['attributes', 'properties', 'events', 'parts', 'custom-properties'],
  'docs/server-options.md': ['variables', 'options', 'token-handler-options', 'worker-options', 'viewer-token-options'],
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
