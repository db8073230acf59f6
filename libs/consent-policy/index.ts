export * from './src/vocabulary.js';
export * from './src/permits.js';
