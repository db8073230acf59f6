export * from './src/test-databases.js';
