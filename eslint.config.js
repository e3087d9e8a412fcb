// Lint: typescript-eslint with type information, so a forgotten `await` (on an activity inside a
// workflow, or on a transaction) is an error, and workflow code may import only what the
// workflow sandbox can run deterministically.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What src/workflows/ may import at run time; anything else only with `import type`. */
const WORKFLOW_SAFE =
  '^(?!@temporalio/workflow$|@temporalio/common$|\\./|\\.\\./workflow-safe/|\\.\\./errors/index\\.js$).*';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.mpctl/', 'data/', 'deploy/', 'test-results/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what test() and describe() return; awaiting them is not needed.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Non-null assertions mark lookups the code has just established (a Map filled a line above).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: WORKFLOW_SAFE,
              allowTypeImports: true,
              message:
                'Workflow code runs in the deterministic sandbox: import only @temporalio/workflow, @temporalio/common, ./, ../workflow-safe/ and ../errors/ (anything else with `import type`).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflows must not read the environment: pass it in the workflow input.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow in a loop.' },
      ],
    },
  },
  {
    files: ['src/workflow-safe/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/common$|\\./).*',
              allowTypeImports: true,
              message: 'workflow-safe/ is imported by workflow code: only @temporalio/common and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
);
