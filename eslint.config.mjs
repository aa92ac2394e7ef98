// ESLint over every file we own: typescript-eslint's type-checked recommended rules for the TypeScript
// (service, browser clients, tests, manifest, bench), the plain recommended rules for our few .js/.mjs
// build and test scripts. Each .ts file is checked against the nearest tsconfig.json (projectService):
// the root one for the service and its tests, server/*/client/tsconfig.json for the browser code (DOM,
// no Node), bench/tsconfig.json for the benchmark.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' };
const COMMONJS_GLOBALS = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default tseslint.config(
  {
    // What we do not write: build output, bundles, run artefacts (the same list as .gitignore).
    ignores: ['dist/', 'coverage/', 'data/', 'artifacts/', 'test/artifacts/', 'manifest/build/', 'bench/results.json'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore is how this code says "deliberately unused": a key taken out of an object by
      // rest destructuring (`const { dob: _dob, ...rest } = body`), a parameter a signature requires
      // (express's four-argument error handler). Everything else unused is still an error.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: an `async` function without `await` is how our ports are implemented when one implementation
      // is synchronous (the embedded store's `close`, an in-memory counter's `take`, test stubs): `async`
      // meets the Promise-returning interface and turns a throw into a rejection, which callers handle.
      // Dropping `async` would change that behaviour; a forgotten `await` is caught by no-floating-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The Node globals those scripts use (listed here rather than another dependency for five names).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: COMMONJS_GLOBALS },
  },
);
