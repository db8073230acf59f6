export * from './src/chain.js';
