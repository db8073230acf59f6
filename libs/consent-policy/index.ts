export * from './src/vocabulary.js';
export * from './src/safety-flags.js';
export * from './src/permits.js';
export * from './src/judicial-cooperation.js';
export * from './src/consent-needed.js';
