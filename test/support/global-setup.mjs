// jest global setup: what the whole run shares. Plain JavaScript: global setup is not run through ts-jest.
import { mkdtemp, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import startKafkaMockBroker from './kafka-mock-broker/global-setup.mjs';

/** Memory-backed scratch space needs room for the run's databases, several at a time. */
const SCRATCH_IN_MEMORY_AT_LEAST = 4 * 1024 ** 3;

/**
 * Where the run keeps its scratch files: the machine's tmpfs (/dev/shm) when it has room. A run
 * copies, opens and removes a few hundred PGlite directories of about a thousand files each, and on
 * a disk it is creating those files that costs (a third of a second a copy, against a tenth in
 * memory). Otherwise the system's temporary directory.
 */
async function scratchBase() {
  const inMemory = await statfs('/dev/shm').catch(() => undefined);
  return inMemory && inMemory.bavail * inMemory.bsize >= SCRATCH_IN_MEMORY_AT_LEAST ? '/dev/shm' : tmpdir();
}

export default async function globalSetup() {
  await startKafkaMockBroker();
  // This run's own scratch directory, removed by the teardown: every temporary file of the tests (their
  // os.tmpdir()) goes under it, so concurrent runs never share one and a killed run leaves one folder.
  // What the run's files share is made there on first use: the PGlite template
  // (libs/testing/src/pglite-template.ts) and the compiled `verify` command (test/support/verify-cli.ts).
  const run = await mkdtemp(join(await scratchBase(), 'referral-test-run-'));
  globalThis.__TEST_RUN_DIR__ = run;
  process.env.TEST_RUN_DIR = run;
  // The screenshots outlive the run (test/support/browser.ts): named before TMPDIR moves into it.
  process.env.SCREENSHOTS_DIR ??= join(tmpdir(), 'referral-screenshots');
  process.env.TMPDIR = run;
  process.env.PGLITE_TEMPLATE_DIR = join(run, 'pglite-template');
}
