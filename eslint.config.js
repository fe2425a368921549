// Lint: TypeScript sources and tests (type-aware rules are left to `npm run typecheck`; vue-tsc
// checks the .vue files). Generated output and dependencies are ignored.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.ngf-data/**', '.tmp-*', 'out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.vue', 'src-main/engine/fast/assembly/**', 'src-main/engine/fast/build/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
