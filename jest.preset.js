/**
 * Shared jest settings. `project(dir, name)` builds a project's config: ts-jest in transpile-only
 * mode (tsconfig.base sets isolatedModules; `npm run typecheck` checks types), `@bulkops/*` mapped
 * to library sources, and — only for projects with integration or e2e specs — the global setup that
 * migrates one template database per run and the teardown that removes everything the run made.
 */
const fs = require('node:fs');
const path = require('node:path');

const workspaceRoot = __dirname;

function hasSpecs(dir, pattern) {
  const stack = [path.join(dir, 'src')];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!fs.existsSync(current)) continue;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (pattern.test(entry.name)) return true;
    }
  }
  return false;
}

function project(dir, name) {
  const needsServices = hasSpecs(dir, /\.(int|e2e|chaos)-spec\.ts$/);
  return {
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: [
      '<rootDir>/src/**/*.spec.ts',
      '<rootDir>/src/**/*.int-spec.ts',
      '<rootDir>/src/**/*.e2e-spec.ts',
      // The chaos tier (services/e2e): services killed and Redis flushed mid-job.
      '<rootDir>/src/**/*.chaos-spec.ts',
    ],
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        { tsconfig: path.join(dir, 'tsconfig.spec.json'), diagnostics: false },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: {
      '^@bulkops/([a-z-]+)$': path.join(workspaceRoot, 'libs/$1/src/index.ts'),
    },
    ...(needsServices
      ? {
          globalSetup: path.join(workspaceRoot, 'libs/testing/src/global-setup.ts'),
          globalTeardown: path.join(workspaceRoot, 'libs/testing/src/global-teardown.ts'),
        }
      : {}),
    testTimeout: 60_000,
    slowTestThreshold: 20,
  };
}

module.exports = { project };
