// Type-aware lint for the whole workspace. `npm run lint` runs it per project with --max-warnings 0.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const SPEC_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'var/**', 'bench/**', 'tools/**', '**/jest.config.js', 'jest.preset.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          depConstraints: [
            { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: ['layer:contracts'] },
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core'] },
            { sourceTag: 'layer:infra', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra', 'type:testing'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: 'error',
      curly: ['error', 'multi-line'],
      'no-console': 'error',
    },
  },
  {
    // Only libs/config reads the environment (STYLE §8); the test harness reads its own settings through it too.
    files: ['**/*.ts'],
    ignores: ['libs/config/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through an env class in libs/config.' }] },
  },
  {
    // Feature code enqueues through JobProducer; tests may drive BullMQ directly.
    files: ['services/**/*.ts'],
    ignores: SPEC_FILES,
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'bullmq', importNames: ['Queue'], message: 'Enqueue through JobProducer from @bulkops/queue.' }] }] },
  },
  {
    // Tests talk to loosely typed HTTP answers and test helpers on purpose.
    files: SPEC_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
