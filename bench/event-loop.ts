/**
 * What embedded mode's database work costs the HTTP thread: the service runs in this process on a
 * fresh PGlite data directory; a load generator in a worker thread sends `POST /cases` from
 * BENCH_CONNECTIONS loops for BENCH_SECONDS while probing a route that touches no database.
 * Reports the event-loop delay of the service's thread, the probe's latency, the write rate, and RSS.
 *   npm run build && node dist/bench/event-loop.js
 *   BENCH_SECONDS=30 BENCH_CONNECTIONS=16 EMBEDDED_FSYNC=false node dist/bench/event-loop.js
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { ConsoleLogger } from '@nestjs/common';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** The load generator: plain fetch loops, on its own thread so it does not load the service's. */
const LOAD = `
const { parentPort, workerData: { base, token, seconds, connections } } = require('node:worker_threads');
const body = JSON.stringify({ source: 'hotline', ageGroup: 'adult', indicators: ['work.forced_to_work'] });
const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token };
const end = Date.now() + seconds * 1000;
const writes = [], probes = [];
let failed = 0;
const timed = async (into, send) => {
  const started = performance.now();
  const response = await send();
  await response.arrayBuffer();
  if (response.status >= 500 || response.status === 429) failed++;
  into.push(performance.now() - started);
};
const writer = async () => { while (Date.now() < end) await timed(writes, () => fetch(base + '/cases', { method: 'POST', headers, body })); };
const prober = async () => {
  while (Date.now() < end) {
    await timed(probes, () => fetch(base + '/no-such-route'));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
Promise.all([...Array.from({ length: connections }, writer), prober()]).then(() => parentPort.postMessage({ writes, probes, failed }));
`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-event-loop-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DEMO_NETWORK: 'true',
    WRITES_PER_MINUTE: '100000',
    SIGN_INS_PER_MINUTE: '10000',
  };
  delete env.DATABASE_URL;
  const app = await createApp(loadConfig(env), { logger: new ConsoleLogger('bench', { logLevels: ['error', 'warn'] }) });
  try {
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const password = (await readFile(join(dataDir, 'demo-password'), 'utf8')).trim();
    const signIn = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker.social', password }),
    });
    const token = ((await signIn.json()) as { access_token: string }).access_token;

    // Idle first: the RSS of a started service with nothing to do.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    global.gc?.();
    const idleRss = process.memoryUsage().rss;
    const idleDelay = monitorEventLoopDelay({ resolution: 10 });
    idleDelay.enable();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idleDelay.disable();

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
    const load = new Worker(LOAD, { eval: true, workerData: { base, token, seconds: SECONDS, connections: CONNECTIONS } });
    const result = await new Promise<{ writes: number[]; probes: number[]; failed: number }>((resolve, reject) =>
      load.once('message', resolve).once('error', reject),
    );
    delay.disable();
    clearInterval(sampler);
    await load.terminate();

    console.log(
      `PGlite on disk, ${CONNECTIONS} connections writing for ${SECONDS} s (EMBEDDED_FSYNC=${process.env.EMBEDDED_FSYNC ?? 'default'})`,
    );
    console.table({
      'event-loop delay p50 / p99 / max, under load': `${ms(delay.percentile(50) / 1e6)} / ${ms(delay.percentile(99) / 1e6)} / ${ms(delay.max / 1e6)}`,
      'event-loop delay p99, idle': ms(idleDelay.percentile(99) / 1e6),
      'POST /cases per second': (result.writes.length / SECONDS).toFixed(1),
      'POST /cases p50 / p99': `${ms(percentile(result.writes, 50))} / ${ms(percentile(result.writes, 99))}`,
      'no-database route p50 / p99, under load': `${ms(percentile(result.probes, 50))} / ${ms(percentile(result.probes, 99))}`,
      'responses 5xx or 429': result.failed,
      'RSS idle / peak under load': `${mb(idleRss)} / ${mb(peakRss)}`,
    });
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
