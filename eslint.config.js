// Type-aware lint (docs/design.md rule 16): floating promises and `any` are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layerImports from './eslint-rules/layer-imports.js';

/**
 * docs/design.md "Layers": what each folder of src/ may import (one way of data: config ← store ← export ← web/cli;
 * qbo and the emulator sit on config alone; the emulator may borrow plain types of qbo). Tests are exempt:
 * they sit next to the code and drive it with the emulator and test/support.
 */
export const layers = {
  config: [],
  store: ['config'],
  qbo: ['config'],
  export: ['config', 'store', 'qbo'],
  sync: ['config', 'store', 'qbo'],
  jobs: ['config', 'store', 'qbo', 'export', 'sync'],
  web: ['config', 'store', 'qbo', 'export', 'sync'],
  cli: ['config', 'store', 'qbo', 'export', 'sync', 'jobs', 'web', 'emulator'],
  emulator: ['config'],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'artifacts/**', 'bench/results.json', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { layers: { rules: { imports: layerImports } } },
    rules: {
      'layers/imports': ['error', { root: 'src', layers, typeOnly: { emulator: ['qbo'] }, forbidden: ['test', 'bench', 'scripts'] }],
    },
  },
);
