export * from './src/event-store.port.js';
export { SqlEventStore } from './src/sql-event-store.js';
