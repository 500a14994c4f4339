// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Model output is untrusted input: nothing in the runtime code may turn a string into code or a process.
const noCodeFromData = {
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-restricted-globals': ['error', { name: 'Function', message: 'Building functions from strings evaluates model output as code.' }],
  'no-restricted-imports': [
    'error',
    {
      paths: ['vm', 'node:vm', 'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads'].map((name) => ({
        name,
        message: 'Runtime code never runs data as code or spawns processes (SECURITY: model output is untrusted).',
      })),
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Function']", message: 'new Function evaluates strings as code.' },
    { selector: "CallExpression[callee.property.name='constructor']", message: 'Calling .constructor(...) can reach Function.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', '.data/', 'coverage/'] },
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
  // The console runs in the browser, as a classic script.
  {
    files: ['infra/local/console/**/*.js'],
    // uPlot: the graphing library's script, loaded before this one (infra/local/console/console.html).
    languageOptions: { globals: { ...globals.browser, uPlot: 'readonly' }, sourceType: 'script' },
    rules: { ...noCodeFromData, 'no-restricted-imports': 'off' },
  },
);
