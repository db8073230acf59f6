// jest global setup: starts the mock Kafka broker once for the whole run and hands its address to
// the tests in KAFKA_TEST_BROKERS. Plain JavaScript: global setup is not run through ts-jest.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const binary = join(here, 'kafka-mock-broker');

export default async function startKafkaMockBroker() {
  // A real broker given from outside is used as it is.
  if (process.env.KAFKA_TEST_BROKERS) return;
  if (!existsSync(binary) && spawnSync(join(here, 'build.sh'), { stdio: 'ignore' }).status !== 0) {
    console.info('\nThe mock Kafka broker cannot be built (install librdkafka-dev): the Kafka tests will say they are skipped.');
    return;
  }
  // stdin stays a pipe this process holds: the broker exits by itself if jest dies without teardown.
  const broker = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: broker.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    broker.once('exit', (code) => reject(new Error(`the mock Kafka broker exited with ${code}`)));
  });
  lines.close();
  broker.stdout.resume();
  process.env.KAFKA_TEST_BROKERS = String(first).replace(/^bootstrap /, '');
  globalThis.__KAFKA_MOCK_BROKER__ = broker;
}
