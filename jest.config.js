/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // xstate's development build runs its extra checks only under the 'development' condition.
  testEnvironmentOptions: { customExportConditions: ['development', 'node'] },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose 6, openid-client 6 and oauth4webapi ship ESM only. Node 20.19+ loads them with require() in the built
    // service, but jest's module system does not, so jest compiles them to CommonJS (transpile only, no type check).
    '^.+/node_modules/(jose|openid-client|oauth4webapi)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  testMatch: ['<rootDir>/{bot,flows,integrations,server,manifest,test}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/globalSetup.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
