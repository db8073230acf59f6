// jest global setup: what the whole run shares. Plain JavaScript: global setup is not run through ts-jest.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import startKafkaMockBroker from './kafka-mock-broker/global-setup.mjs';

export default async function globalSetup() {
  await startKafkaMockBroker();
  // This run's own scratch directory: the PGlite template (libs/testing/src/pglite-template.ts) is
  // made there on first use, and the teardown removes it, so concurrent runs never share one.
  const run = await mkdtemp(join(tmpdir(), 'referral-test-run-'));
  globalThis.__TEST_RUN_DIR__ = run;
  process.env.PGLITE_TEMPLATE_DIR = join(run, 'pglite-template');
}
