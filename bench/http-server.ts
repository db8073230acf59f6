/**
 * A server under HTTP load, in its own process so that the load generator's work never shows in
 * its event-loop delay or memory: the real service (BENCH_SERVER=service, configured by the usual
 * settings) or a bare NestJS route doing one INSERT through the plain driver (BENCH_SERVER=bare:
 * `pg` with DATABASE_URL, PGlite in BENCH_DATA_DIR otherwise; with BENCH_BARE_DURABLE=1, PGlite
 * through the service's own database thread with fsync on, as the embedded service runs). Forked by run.ts; answers its
 * questions over IPC.
 */
import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import { Body, Controller, HttpCode, Inject, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PgliteDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import { SQL_DATABASE } from '../src/platform/persistence.module.js';
import { listeningPort } from './load.js';

/** What run.ts asks, and what this process answers. */
export interface ServerRequest {
  id: number;
  type: 'window-start' | 'window-stop' | 'rss' | 'counts' | 'stop';
}
export type ServerAnswer =
  | { type: 'ready'; port: number }
  | { type: 'failed'; reason: string }
  | { id: number; type: 'window'; loopP50Ms: number; loopP99Ms: number; loopMaxMs: number; rssMaxMb: number }
  | { id: number; type: 'rss'; rssMb: number }
  | { id: number; type: 'counts'; counts: Record<string, number> }
  | { id: number; type: 'stopped' };

const INSERT = Symbol('insert');
type Insert = (id: string, body: unknown) => Promise<void>;

@Controller('bare')
class BareController {
  constructor(@Inject(INSERT) private readonly insert: Insert) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: Record<string, unknown>) {
    const id = randomUUID();
    await this.insert(id, body);
    return { id };
  }
}

const BARE_TABLE =
  'CREATE TABLE IF NOT EXISTS bare_cases (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())';
const BARE_INSERT = 'INSERT INTO bare_cases (id, body) VALUES ($1, $2)';

async function bare(): Promise<{ app: INestApplication; count: () => Promise<number>; close: () => Promise<void> }> {
  let insert: Insert;
  let count: () => Promise<number>;
  let close: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    await pool.query(BARE_TABLE);
    insert = async (id, body) => {
      await pool.query(BARE_INSERT, [id, body]);
    };
    count = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM bare_cases')).rows[0]!.n);
    close = () => pool.end();
  } else if (process.env.BENCH_BARE_DURABLE === '1') {
    // The same durability and database thread as the embedded service (fsync on), without the service.
    const db = await PgliteDatabase.open(process.env.BENCH_DATA_DIR);
    await db.exec(BARE_TABLE);
    insert = async (id, body) => {
      await db.query(BARE_INSERT, [id, body]);
    };
    count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bare_cases'))[0]!.n;
    close = () => db.close();
  } else {
    const db = await PGlite.create({ dataDir: process.env.BENCH_DATA_DIR! });
    await db.exec(BARE_TABLE);
    insert = async (id, body) => {
      await db.query(BARE_INSERT, [id, body]);
    };
    count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bare_cases')).rows[0]!.n;
    close = () => db.close();
  }
  @Module({ controllers: [BareController], providers: [{ provide: INSERT, useValue: insert }] })
  class BareModule {}
  const app = await NestFactory.create(BareModule, { logger: false });
  return { app, count, close };
}

/** The service's store and read models after a load: every acknowledged write must be in both. */
async function serviceCounts(db: SqlDatabase, runner: ProjectionRunner): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number | string>>(`
    SELECT (SELECT count(*) FROM events) AS events,
           (SELECT count(*) FROM events WHERE event_type = 'CaseOpened') AS "casesOpened",
           (SELECT count(*) FROM agency_case_views WHERE relation = 'owner') AS "ownerViews"`);
  const counts = Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  return { ...counts, eventsApplied: (await runner.checkpoint()).eventsApplied };
}

async function main(): Promise<void> {
  const send = (answer: ServerAnswer) => process.send!(answer);
  let server: { app: INestApplication; counts: () => Promise<Record<string, number>>; close: () => Promise<void> };
  if (process.env.BENCH_SERVER === 'bare') {
    const { app, count, close } = await bare();
    server = { app, counts: async () => ({ rows: await count() }), close };
  } else {
    const quiet = () => undefined;
    const app = await createApp(loadConfig(), {
      logger: { log: quiet, warn: quiet, error: (...parts: unknown[]) => console.error(...parts) },
    });
    server = {
      app,
      counts: () => serviceCounts(app.get<SqlDatabase>(SQL_DATABASE), app.get(ProjectionRunner)),
      close: async () => undefined,
    };
  }
  await server.app.listen(0, '127.0.0.1');

  // Measured only while run.ts drives load (its windows); the worst window's figures are reported.
  // A fresh monitor per window: one re-enabled after a pause counts the whole pause as its first
  // delay (seen: a "max" of 3 s after a 3 s idle gap between windows).
  let loop: IntervalHistogram | undefined;
  const worst = { p50: 0, p99: 0, max: 0 };
  let rssMax = 0;
  let sampler: NodeJS.Timeout | undefined;
  const mb = (bytes: number) => bytes / 2 ** 20;
  const answer = async (request: ServerRequest) => {
    switch (request.type) {
      case 'window-start':
        loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 50);
        return send({ id: request.id, type: 'window', loopP50Ms: 0, loopP99Ms: 0, loopMaxMs: 0, rssMaxMb: mb(rssMax) });
      case 'window-stop':
        if (loop) {
          loop.disable();
          worst.p50 = Math.max(worst.p50, loop.percentile(50) / 1e6);
          worst.p99 = Math.max(worst.p99, loop.percentile(99) / 1e6);
          worst.max = Math.max(worst.max, loop.max / 1e6);
        }
        clearInterval(sampler);
        return send({
          id: request.id,
          type: 'window',
          loopP50Ms: worst.p50,
          loopP99Ms: worst.p99,
          loopMaxMs: worst.max,
          rssMaxMb: mb(rssMax),
        });
      case 'rss':
        return send({ id: request.id, type: 'rss', rssMb: mb(process.memoryUsage.rss()) });
      case 'counts':
        return send({ id: request.id, type: 'counts', counts: await server.counts() });
      case 'stop':
        await server.app.close();
        await server.close();
        send({ id: request.id, type: 'stopped' });
        process.disconnect();
    }
  };
  // A failed answer is an unhandled rejection, which stops the server.
  process.on('message', (request: ServerRequest) => void answer(request));
  send({ type: 'ready', port: listeningPort(server.app) });
}

main().catch((error: unknown) => {
  process.send?.({
    type: 'failed',
    reason: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error',
  } satisfies ServerAnswer);
  process.exitCode = 1;
  // Started without an IPC channel, there is nothing to disconnect.
  if (process.connected) process.disconnect();
});
