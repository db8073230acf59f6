export * from './src/projection-runner.js';
