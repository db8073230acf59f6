export * from './src/test-databases.js';
export * from './src/decider-specification.js';
export * from './src/pglite-template.js';
export * from './src/made-once.js';
export * from './src/consent-fixtures.js';
