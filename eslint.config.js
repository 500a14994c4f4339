// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { readdirSync } from 'node:fs';

// Model output is untrusted input: nothing in the runtime code may turn a string into code or a process.
const processAndVmModules = ['vm', 'node:vm', 'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads'].map(
  (name) => ({
    name,
    message: 'Runtime code never runs data as code or spawns processes (SECURITY: model output is untrusted).',
  }),
);
const noCodeFromData = {
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-restricted-globals': ['error', { name: 'Function', message: 'Building functions from strings evaluates model output as code.' }],
  'no-restricted-imports': ['error', { paths: processAndVmModules }],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Function']", message: 'new Function evaluates strings as code.' },
    { selector: "CallExpression[callee.property.name='constructor']", message: 'Calling .constructor(...) can reach Function.' },
  ],
};

// A capability's index.ts is its public surface, and its middleware.ts (its middy middleware, apart
// as Powertools publishes `./middleware`: only that loads middy's types): code outside it
// (functions/, infra/, tests of other parts, the package's entry modules) imports those, never a
// file behind them.
// Inside shared/ too: a capability imports another through its index (its own files directly).
// No capability needs one that needs it back (dependency-cruiser checks it), so going through the
// indexes makes no module cycle. A capability's own tests may reach its files.
const capabilities = readdirSync(new URL('./shared', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const deepImport = (prefix, except) => ({
  regex: `${prefix}${except ? `(?!${except}/)` : ''}[^/]+/(?!(index|middleware)\\.ts$).+`,
  message:
    'Import the capability through its surface, shared/<capability>/index.ts (or middleware.ts, its middy middleware): the files behind them are not.',
});
const SHARED_FROM_OUTSIDE = '(^|[/#])shared/';
const restrictImports = (patterns, paths = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', '.data/', 'coverage/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['functions/**/*.ts', 'shared/**/*.ts'], rules: noCodeFromData },
  { files: ['functions/**/*.ts'], rules: restrictImports([deepImport(SHARED_FROM_OUTSIDE)], processAndVmModules) },
  { files: ['shared/*.ts'], rules: restrictImports([deepImport('^\\./')], processAndVmModules) },
  { files: ['infra/**/*.ts', 'test/**/*.ts', '*.ts'], rules: restrictImports([deepImport(SHARED_FROM_OUTSIDE)]) },
  ...capabilities.map((capability) => ({
    files: [`shared/${capability}/**/*.ts`],
    rules: restrictImports(
      [
        {
          // Up out of this capability (however deep the file) and into another's files, past its surface.
          regex: `^(\\.\\./)+(?!${capability}/)[^./][^/]*/(?!(index|middleware)\\.ts$).+`,
          message: deepImport('').message,
        },
      ],
      processAndVmModules,
    ),
  })),
  ...capabilities.map((capability) => ({
    files: [`test/shared/${capability}/**/*.ts`],
    rules: restrictImports([deepImport(SHARED_FROM_OUTSIDE, capability)]),
  })),
  // An example is an app on the package: it imports `guarded-agents` (and its subpaths), never the repository's files.
  {
    files: ['examples/**/*.ts'],
    rules: restrictImports([
      {
        regex: '^(#(shared|functions)/|(\\.\\./)+(shared|functions|infra|test)/)',
        message: "An example uses the package's public surface: import from 'guarded-agents' or its subpaths.",
      },
    ]),
  },
  // Constructs and functions read as short sequences of named parts (a declarative table, such as
  // the state machine's definition, is one expression and does not count as a function).
  { files: ['infra/**/*.ts', 'infra/**/*.js', 'functions/**/*.ts'], rules: { 'max-lines-per-function': ['error', { max: 80 }] } },
  // The console runs in the browser, as ES modules with no build step.
  {
    files: ['infra/local/console/**/*.js'],
    // uPlot: the graphing library's classic script, run before the modules (infra/local/console/console.html).
    languageOptions: { globals: { ...globals.browser, uPlot: 'readonly' }, sourceType: 'module' },
    rules: { ...noCodeFromData, 'no-restricted-imports': 'off' },
  },
);
