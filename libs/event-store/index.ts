export * from './src/event-store.port.js';
