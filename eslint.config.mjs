// Type-aware lint for the whole workspace. `npm run lint` runs it per project with --max-warnings 0.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const SPEC_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];

// Feature code enqueues through JobProducer; tests may drive BullMQ directly.
const RAW_QUEUE = {
  name: 'bullmq',
  importNames: ['Queue'],
  message: 'Enqueue through JobProducer from @bulkops/queue.',
};

// The test harness is for spec files only (STYLE §2).
const TESTING_HARNESS = {
  name: '@bulkops/testing',
  message: 'The test harness is imported by spec files only.',
};

// Inside a project, relative imports go at most one level up (STYLE §2).
const DEEP_RELATIVE = {
  group: ['../../*', '../../**'],
  message:
    'Relative imports go at most one level up (STYLE §2): import what the folder needs from a module one level up, or move the code.',
};

/** The `no-restricted-imports` rule with the given banned paths, plus the relative-depth limit. */
function restrictImports(...paths) {
  return {
    'no-restricted-imports': ['error', { paths, patterns: [DEEP_RELATIVE] }],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.nx/**',
      'var/**',
      'bench/**',
      'tools/**',
      'examples/**',
      '**/bin/*.js',
      '**/jest.config.js',
      'jest.preset.js',
      'eslint.config.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // A lib's integration specs use the test harness, which builds on the libs (STYLE §2).
          // Specs of every layer use the harness; the rule below keeps it out of non-spec code.
          allow: ['@bulkops/testing'],
          ignoredCircularDependencies: [
            'contracts',
            'config',
            'objects',
            'database',
            'csv',
            'storage',
            'queue',
            'mutex',
            'observability',
            'webhooks',
          ].map((lib) => [lib, 'testing']),
          depConstraints: [
            { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: ['layer:contracts'] },
            {
              sourceTag: 'layer:core',
              onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core'],
            },
            {
              sourceTag: 'layer:infra',
              onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra'],
            },
            {
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: [
                'layer:contracts',
                'layer:core',
                'layer:infra',
                'type:testing',
              ],
            },
            // The dashboard (a browser bundle) may use the API's types, nothing that runs on a server.
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['layer:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['layer:contracts', 'layer:core', 'layer:infra'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'layer:contracts',
                'layer:core',
                'layer:infra',
                'type:testing',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      // A processor's switch covers its queue's job names; `default` rejects the others.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
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
    ignores: ['libs/config/**', 'libs/testing/**', ...SPEC_FILES],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through an env class in libs/config.',
        },
      ],
    },
  },
  // `no-restricted-imports` is one rule: a later block for the same file replaces an earlier one's
  // options instead of adding to them. So each group of files below is disjoint from the others and
  // gets every restriction that applies to it at once.
  {
    files: ['**/*.ts'],
    rules: restrictImports(),
  },
  {
    files: ['libs/**/*.ts'],
    ignores: [...SPEC_FILES, 'libs/testing/**'],
    rules: restrictImports(TESTING_HARNESS),
  },
  {
    files: ['services/**/*.ts'],
    ignores: [...SPEC_FILES, 'services/e2e/**'],
    rules: restrictImports(RAW_QUEUE, TESTING_HARNESS),
  },
  {
    files: ['services/e2e/**/*.ts'],
    ignores: SPEC_FILES,
    rules: restrictImports(RAW_QUEUE),
  },
  {
    // Tests (and the harness) talk to loosely typed HTTP answers on purpose.
    files: [...SPEC_FILES, 'libs/testing/**/*.ts'],
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
