// npm run lint: type-aware typescript-eslint (strict), Lit and web-component rules, and lit-a11y on templates.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', 'node_modules/', 'test/screenshots/', 'custom-elements.json'],
  },
  // The framework and server examples are type-checked and built by their own toolchains (examples/run.mjs,
  // examples/run-server.mjs), against their own installs, which this project's linter cannot see.
  { ignores: ['examples/*/src/', 'examples/*/vite.config.ts', 'examples/plain-html/', 'examples/server/*/'] },
  // The Cloudflare example imports the package by name, which resolves once it is built: tsc checks it then
  // (tsconfig.dist-tests.json).
  { ignores: ['examples/cloudflare/*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans in template strings read fine and are what messages want.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  lit.configs['flat/recommended'],
  wc.configs['flat/recommended'],
  litA11y.configs.recommended,
  {
    // Plain JS (configs, simulator, bench, fixtures) is type-checked by tsc's checkJs, not linted type-aware;
    // tsc also knows its globals, so no-undef would only repeat it without knowing Node from browser.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      // Chai's property assertions (expect(x).to.be.true) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Tests reach into known-present nodes.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // chai-a11y-axe types every chai Assertion as thenable, so each expect() would count as a floating
      // promise; the async ones (accessible()) are awaited by hand.
      '@typescript-eslint/no-floating-promises': 'off',
      // Stub listeners are empty on purpose.
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
);
