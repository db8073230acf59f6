// ESM all the way: NestJS 12 ships ESM only, and jest's CommonJS loader cannot require(esm) on Node 20.
// Type-checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles (isolatedModules).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testEnvironment: 'node',
};
export default {
  // Real databases and the whole application start in seconds, not milliseconds.
  testTimeout: 60_000,
  // One Kafka-protocol broker (librdkafka's mock cluster) for the feed tests (KAFKA_TEST_BROKERS),
  // and the run's PGlite template directory (PGLITE_TEMPLATE_DIR).
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.unit.spec.ts', '<rootDir>/src/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/libs/**/*.int.spec.ts', '<rootDir>/src/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'] },
    // The screens in Debian's Chromium against the real service (playwright-core; .ci/run installs Chromium).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser.spec.ts'] },
  ],
};
