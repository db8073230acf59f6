// jest global teardown: undoes global-setup.mjs (same process, same globalThis).
import { rm } from 'node:fs/promises';
import stopKafkaMockBroker from './kafka-mock-broker/global-teardown.mjs';

export default async function globalTeardown() {
  await stopKafkaMockBroker();
  if (globalThis.__TEST_RUN_DIR__) await rm(globalThis.__TEST_RUN_DIR__, { recursive: true, force: true });
}
