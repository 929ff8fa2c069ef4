// Unit specs live beside the code (src/**/*.spec.ts); end-to-end and integration specs in test/.
/** @type {import('jest').Config} */
const common = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // the machine's Redis and PostgreSQL, or servers of the run's own; Chromium checked up front
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform: common.transform,
  // longest files first (recorded durations): a fresh clone has no timing cache of Jest's own
  testSequencer: '<rootDir>/test/support/duration-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.spec.ts'] },
  ],
};
