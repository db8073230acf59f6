// Container health checks for docker-compose.yml (the node image has no curl). Each argument is one
// check; the container is healthy when all pass:
//   http://host:port/path   answers 2xx
//   database                DATABASE_URL answers SELECT 1 (the projector and the relay serve no HTTP)
//   brokers                 every KAFKA_BROKERS address accepts a TCP connection
// Prints which check failed and why in a few words, never a URL (a database URL holds its password).
import { connect } from 'node:net';
import pg from 'pg';

const TIMEOUT_MS = 5000;

async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`answered ${response.status}`);
}

async function databaseAnswers() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function reachable(address) {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: TIMEOUT_MS });
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('timed out'));
    });
    socket.once('error', (error) => reject(new Error(error.code ?? 'refused')));
  });
}

async function brokersReachable() {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set');
  await Promise.all(brokers.map(reachable));
}

function checkOf(argument) {
  if (/^https?:\/\//.test(argument)) return { name: 'http', run: () => httpOk(argument) };
  if (argument === 'database') return { name: 'database', run: databaseAnswers };
  if (argument === 'brokers') return { name: 'brokers', run: brokersReachable };
  return undefined;
}

const checks = process.argv.slice(2).map(checkOf);
if (checks.length === 0 || checks.includes(undefined)) {
  console.error('usage: healthcheck.mjs <http(s)://url | database | brokers>...');
  process.exit(2);
}
for (const check of checks) {
  try {
    await check.run();
  } catch (error) {
    console.error(`unhealthy: ${check.name}: ${error instanceof Error ? error.message.split('\n')[0] : 'failed'}`);
    process.exit(1);
  }
}
