export * from './src/rfc3339.js';
