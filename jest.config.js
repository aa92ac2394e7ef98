/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // xstate's development build runs its extra checks only under the 'development' condition.
  testEnvironmentOptions: { customExportConditions: ['development', 'node'] },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/{bot,flows,integrations,server,manifest,test}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/globalSetup.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
