// jest global teardown: stops the broker global-setup.mjs started (same process, same globalThis).
export default async function stopKafkaMockBroker() {
  const broker = globalThis.__KAFKA_MOCK_BROKER__;
  if (!broker || broker.exitCode !== null) return;
  const exited = new Promise((resolve) => broker.once('exit', resolve));
  broker.kill('SIGTERM');
  await exited;
}
