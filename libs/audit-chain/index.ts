export * from './src/chain.js';
export * from './src/event-seal.js';
