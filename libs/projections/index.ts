export { CHECKPOINT_CHANNEL } from './src/checkpoints.js';
export * from './src/projection.js';
export * from './src/projection-runner.js';
