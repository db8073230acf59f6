export * from './src/indicators.js';
export * from './src/events.js';
export * from './src/commands.js';
export * from './src/rejection.js';
export * from './src/case-decider.js';
export * from './src/service-match.js';
