// Lint configuration: typescript-eslint recommended rules everywhere; renderer code may not
// import Node or Electron APIs (it talks only to the typed window.restore API).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeModules = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads', 'url', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', 'renderer/dist/**', '.accel/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', ...nodeModules, ...nodeModules.map((m) => `node:${m}`)],
        patterns: ['node:*', '**/electron/**'],
      }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
