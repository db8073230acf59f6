/**
 * The write path under load (not a test): `POST /cases` from 16 keep-alive connections against
 * the real service, beside a bare NestJS route doing one INSERT into the same kind of database, in
 * the same run, alternating bare / service / service / bare so neither always runs first. Each
 * server runs in its own child process; this process only generates load. It also counts the SQL
 * statements the service issues per `POST /cases`.
 *   npm run build && node dist/bench/write-path.js            PGlite, and PostgreSQL when DATABASE_URL is set
 *   BENCH_QUICK=1 ...                                         shorter rounds, for development
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 ...
 */
import 'reflect-metadata';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgliteDatabase, PostgresDatabase, type SqlClient, type SqlDatabase, type SqlSession } from '../libs/sql/index.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import { SQL_DATABASE } from '../src/platform/persistence.module.js';
import { listeningPort } from './load.js';

type Driver = 'pglite' | 'postgres';
type Kind = 'bare' | 'service';

const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 4 : 10));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const MAX_REQUESTS = 200_000;

const CASE_BODY = JSON.stringify({
  source: 'observation',
  ageGroup: 'adult',
  indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
  person: { identity: { fullName: 'A. Example' }, location: { area: 'Camp 7' } },
});

// ---------------------------------------------------------------- the servers (child processes)

/** Counts statements through the service's one SqlDatabase (every query, transaction statement, session statement, BEGIN and COMMIT). */
function countStatements(db: SqlDatabase): { count: number; bySql: Map<string, number> } {
  const counter = { count: 0, bySql: new Map<string, number>() };
  const count = (sql: string) => {
    counter.count++;
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
    counter.bySql.set(key, (counter.bySql.get(key) ?? 0) + 1);
  };
  const counted = (client: SqlClient): SqlClient => ({ query: (sql, params) => (count(sql), client.query(sql, params)) });
  const [query, transaction, session] = [db.query.bind(db), db.transaction.bind(db), db.session.bind(db)];
  Object.assign(db, {
    query: (sql: string, params?: readonly unknown[]) => (count(sql), query(sql, params)),
    // BEGIN and COMMIT are statements too.
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) => (count('BEGIN'), count('COMMIT'), transaction((tx) => work(counted(tx)))),
    session: <T>(work: (session: SqlSession) => Promise<T>) =>
      session((s) =>
        work({ ...s, query: (sql, params) => (count(sql), s.query(sql, params)), run: (sql, params) => (count(sql), s.run(sql, params)) }),
      ),
  });
  return counter;
}

async function serveService(driver: Driver, dataDir: string, databaseUrl?: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    DATA_DIR: dataDir,
    DEMO_NETWORK: 'true',
    WRITES_PER_MINUTE: '100000',
    SIGN_INS_PER_MINUTE: '1000',
    PORT: '0',
  };
  if (driver === 'postgres')
    Object.assign(env, {
      DATABASE_URL: databaseUrl,
      MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('base64'),
    });
  const app = await createApp(loadConfig(env), { logger: false });
  const counter = countStatements(app.get<SqlDatabase>(SQL_DATABASE));
  await app.listen(0, '127.0.0.1');
  const password = (await readFile(join(dataDir, 'demo-password'), 'utf8')).trim();
  const port = listeningPort(app);
  process.send!({ port, password });
  process.on('message', (message: string) => {
    if (message === 'statements') process.send!({ statements: counter.count });
    if (message === 'statements by kind') process.send!(Object.fromEntries(counter.bySql));
    if (message === 'stop') void app.close().then(() => process.exit(0));
  });
}

async function serveBare(driver: Driver, dataDir: string, databaseUrl?: string): Promise<void> {
  const db = driver === 'postgres' ? await PostgresDatabase.open(databaseUrl!) : await PgliteDatabase.open(join(dataDir, 'bare'));
  await db.exec(
    'CREATE TABLE IF NOT EXISTS bare_cases (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  @Controller()
  class BareController {
    @Post('cases')
    async open(@Body() body: unknown) {
      const id = randomUUID();
      await db.query('INSERT INTO bare_cases (id, body) VALUES ($1, $2)', [id, JSON.stringify(body)]);
      return { caseId: id };
    }
  }
  @Module({ controllers: [BareController] })
  class BareModule {}
  const app = await NestFactory.create(BareModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  process.send!({ port: listeningPort(app), password: '' });
  process.on('message', (message: string) => {
    if (message === 'statements') process.send!({ statements: 0 });
    if (message === 'stop')
      void app
        .close()
        .then(() => db.close())
        .then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- the load generator

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  readonly password: string;
  ask(message: string): Promise<Record<string, number>>;
}

async function start(kind: Kind, driver: Driver, dataDir: string, databaseUrl?: string): Promise<Server> {
  // BENCH_PROFILE=dir writes a CPU profile of the service process there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE && kind === 'service' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(fileURLToPath(import.meta.url), ['serve', kind, driver, dataDir, databaseUrl ?? ''], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: profile,
  });
  const [ready] = (await once(child, 'message')) as [{ port: number; password: string }];
  return {
    child,
    ...ready,
    ask: async (message) => {
      const reply = once(child, 'message');
      child.send(message);
      return (await reply)[0] as Record<string, number>;
    },
  };
}

async function stop(server: Server): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.send('stop');
  await exited;
}

function send(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Round {
  readonly requests: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** `connections` loops, each one request at a time on its own keep-alive socket, for `seconds` (and at most MAX_REQUESTS). */
async function load(port: number, headers: Record<string, string>, seconds: number): Promise<Round> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let failed = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  const loop = async () => {
    while (process.hrtime.bigint() < deadline && latencies.length + failed < MAX_REQUESTS) {
      const t0 = process.hrtime.bigint();
      const { status } = await send(agent, port, 'POST', '/cases', CASE_BODY, headers);
      if (status === 201) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? NaN;
  return { requests: latencies.length, failed, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

async function tokenOf(server: Server): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  const response = await send(
    agent,
    server.port,
    'POST',
    '/auth/token',
    JSON.stringify({ username: 'caseworker.social', password: server.password }),
  );
  if (response.status !== 200) throw new Error(`sign-in failed with ${response.status}`);
  return (JSON.parse(response.body) as { access_token: string }).access_token;
}

async function measure(driver: Driver, databaseUrl?: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'referral-write-path-'));
  const service = await start('service', driver, dataDir, databaseUrl);
  const bare = await start('bare', driver, dataDir, databaseUrl);
  try {
    const auth = { Authorization: `Bearer ${await tokenOf(service)}` };
    // Warm both (JIT, caches, connections) before anything is measured.
    await load(bare.port, {}, 1);
    await load(service.port, auth, 1);
    const statementsBefore = (await service.ask('statements')).statements!;
    const rounds: Array<[Kind, Round]> = [];
    for (const kind of ['bare', 'service', 'service', 'bare'] as const) {
      rounds.push([kind, await load(kind === 'bare' ? bare.port : service.port, kind === 'bare' ? {} : auth, SECONDS / 2)]);
    }
    const statements = (await service.ask('statements')).statements! - statementsBefore;
    const sum = (kind: Kind) => {
      const mine = rounds.filter(([k]) => k === kind).map(([, r]) => r);
      return {
        requests: mine.reduce((a, r) => a + r.requests, 0),
        failed: mine.reduce((a, r) => a + r.failed, 0),
        perSecond: mine.reduce((a, r) => a + r.perSecond, 0) / mine.length,
        p50: Math.max(...mine.map((r) => r.p50)),
        p99: Math.max(...mine.map((r) => r.p99)),
      };
    };
    const b = sum('bare');
    const s = sum('service');
    console.log(`\n${driver}: POST /cases, ${CONNECTIONS} connections, ${SECONDS / 2} s per round, rounds bare/service/service/bare`);
    console.log(
      `  ${'server'.padEnd(10)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'requests'.padStart(9)} ${'failed'.padStart(7)}`,
    );
    for (const [label, r] of [
      ['bare', b],
      ['service', s],
    ] as const) {
      console.log(
        `  ${label.padEnd(10)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.requests).padStart(9)} ${String(r.failed).padStart(7)}`,
      );
    }
    console.log(
      `  service / bare: ${(s.perSecond / b.perSecond).toFixed(3)}; statements per POST /cases: ${(statements / (s.requests + s.failed)).toFixed(1)}`,
    );
    if (process.env.BENCH_STATEMENTS === '1') {
      // Since start-up, warm-up included: which statements make up the count.
      const byKind = Object.entries(await service.ask('statements by kind')).sort((x, y) => y[1] - x[1]);
      for (const [sql, n] of byKind.slice(0, 30)) console.log(`  ${String(n).padStart(7)}  ${sql}`);
    }
  } finally {
    await stop(service);
    await stop(bare);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function freshSchema(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_write_${randomBytes(4).toString('hex')}`;
  const admin = await PostgresDatabase.open(url, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const separator = url.includes('?') ? '&' : '?';
  return {
    url: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

async function main(): Promise<void> {
  const [command, kind, driver, dataDir, databaseUrl] = process.argv.slice(2);
  if (command === 'serve') {
    await (kind === 'bare' ? serveBare : serveService)(driver as Driver, dataDir!, databaseUrl || undefined);
    return;
  }
  await measure('pglite');
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('\nDATABASE_URL is not set: PostgreSQL skipped.');
    return;
  }
  const schema = await freshSchema(url);
  try {
    await measure('postgres', schema.url);
  } finally {
    await schema.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
