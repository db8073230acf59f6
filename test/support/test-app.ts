import { afterAll, beforeAll } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type CaseCommand, caseDecider } from '../../libs/domain/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../../libs/sql/index.js';
import { createApp } from '../../src/app.factory.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { DATABASE_ROLES } from '../../src/platform/database-roles.js';
import { withOptions } from '../../src/platform/database-setup.js';
import { SQL_DATABASE, embeddedDatabaseDir } from '../../src/platform/persistence.module.js';
import { migrateSchema } from '../../src/platform/schema.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../../src/read-models.js';
import { freshPgliteDirectory, freshSchema, urlAs } from '../../libs/testing/index.js';

/** Everything the application logged, its structured request log included, to check that no personal data reaches the logs. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** The structured log's destination (pino writes one JSON line at a time). */
  write = (line: string) => void this.lines.push(line.trimEnd());
  private record = (...parts: unknown[]) =>
    void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.record;
  error = this.record;
  warn = this.record;
  debug = this.record;
  verbose = this.record;
}

export interface TestApp {
  readonly app: INestApplication;
  readonly dataDir: string;
  readonly http: ReturnType<typeof request>;
  readonly store: EventStore;
  /** The service's own connection: on PostgreSQL as the app role, with only the rights the service has. */
  readonly db: SqlDatabase;
  /**
   * The schema owner's connection (on PGlite, the one user there is): for tests that act with more
   * rights than the service has, such as an intruder switching the append-only triggers off.
   */
  readonly owner: SqlDatabase;
  readonly logs: CapturingLogger;
  readonly password: string;
  token(username: string): Promise<string>;
  agencyId(namePart: string): Promise<string>;
  /**
   * Stops the application and starts it again on the same data, as after a restart, and waits for
   * its read models to catch up unless told not to. Use only the returned app from then on.
   */
  restart(options?: {
    /** Runs while the application is stopped, with the owner's connection to its storage (PGlite: its directory, opened meanwhile). */
    beforeStart?: (owner: SqlDatabase) => Promise<void>;
    waitUntilReady?: boolean;
  }): Promise<TestApp>;
  close(): Promise<void>;
  /** A second instance on the same PostgreSQL schema (PGlite belongs to one process); closing it leaves the data. */
  another(): Promise<TestApp>;
}

type Driver = 'pglite' | 'postgres';

/** What a test reads and calls on a running application, whoever started it and closes it. */
export type RunningApp = Omit<TestApp, 'restart' | 'close'>;

export const APP_DRIVERS: readonly Driver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
if (!process.env.DATABASE_URL) console.info('DATABASE_URL is not set: end-to-end tests run on PGlite only.');

/** Where the test apps say they are reached: problem types point under it, the same for every request. */
export const TEST_PUBLIC_URL = 'https://referrals.example.org';

/**
 * The service migrates its embedded database at its first start: a copy of one migrated once this run
 * is what that start leaves, seconds sooner. Each start still runs its migration step (nothing left to
 * do); the owner migrates each fresh PostgreSQL schema; schema-migrations.e2e.spec.ts upgrades at start.
 */
const MIGRATED = { name: 'migrated', prepare: migrateSchema };

/** The real application on a fresh data directory (PGlite) or a fresh schema (PostgreSQL), with the demo network. */
export async function startTestApp(driver: Driver, settings: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'referral-e2e-'));
  const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, DEMO_NETWORK: 'true', PUBLIC_URL: TEST_PUBLIC_URL, ...settings };
  let owner: SqlDatabase | undefined;
  let dropSchema = async () => undefined;
  if (driver === 'pglite') await freshPgliteDirectory(embeddedDatabaseDir(dataDir), MIGRATED);
  else {
    // As in production: the owner role migrates, the service logs in as its own ordinary role.
    const url = process.env.DATABASE_URL!;
    const schema = await freshSchema(url, 'e2e');
    owner = await PostgresDatabase.open(urlAs(url, DATABASE_ROLES.owner), { searchPath: schema.name, max: 2 });
    await migrateSchema(owner);
    Object.assign(env, {
      DATABASE_URL: withOptions(urlAs(url, DATABASE_ROLES.app), `-c search_path=${schema.name}`),
      MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('base64'),
    });
    dropSchema = async () => {
      await owner!.close();
      await schema.drop();
    };
  }
  const cleanUp = async () => {
    await dropSchema();
    await rm(dataDir, { recursive: true, force: true });
  };
  return openTestApp(loadConfig(env), dataDir, cleanUp, owner);
}

export interface TestAppOptions {
  /** PGlite unless told otherwise. */
  readonly driver?: Driver;
  /** Environment settings on top of the test defaults; a function for what is known only once an earlier beforeAll ran. */
  readonly settings?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
}

/** The application a describe block shares; every accessor reads the instance running now, a restarted one included. */
export interface SharedTestApp extends RunningApp {
  /** The Authorization header of a demo user, signed in once. */
  bearer: (username: string) => Promise<{ Authorization: string }>;
  /** Restarts the application on the same data; the accessors follow the new instance and afterAll closes it. */
  restart(options?: Parameters<TestApp['restart']>[0]): Promise<void>;
  /** A second instance on the same PostgreSQL schema, closed by afterAll before the first. */
  another(): Promise<TestApp>;
}

/**
 * Starts the real application before the enclosing describe's tests and closes it after them: the one
 * set-up every end-to-end spec shares. Call it inside a describe (or at a spec's top level).
 */
export function useTestApp(options: TestAppOptions = {}): SharedTestApp {
  let current: TestApp | undefined;
  const others: TestApp[] = [];
  // A start takes seconds alone; on a machine shared by several test runs it has taken over a minute.
  beforeAll(async () => {
    const { settings } = options;
    current = await startTestApp(options.driver ?? 'pglite', typeof settings === 'function' ? settings() : settings);
  }, 180_000);
  afterAll(async () => {
    // Second instances first: the first one's close drops the schema they share.
    for (const other of others.splice(0)) await other.close();
    await current?.close();
  });
  const running = () => {
    if (!current) throw new Error('the test app is used before its beforeAll ran');
    return current;
  };
  return {
    get app() {
      return running().app;
    },
    get dataDir() {
      return running().dataDir;
    },
    get http() {
      return running().http;
    },
    get store() {
      return running().store;
    },
    get db() {
      return running().db;
    },
    get owner() {
      return running().owner;
    },
    get logs() {
      return running().logs;
    },
    get password() {
      return running().password;
    },
    token: (username) => running().token(username),
    bearer: async (username) => ({ Authorization: `Bearer ${await running().token(username)}` }),
    agencyId: (namePart) => running().agencyId(namePart),
    async another() {
      const other = await running().another();
      others.push(other);
      return other;
    },
    async restart(restartOptions) {
      current = await running().restart(restartOptions);
    },
  };
}

/**
 * The application on `config`'s storage; `release` runs after it closes (removing the storage, or
 * nothing for a second instance); `owner` is the schema owner's connection on PostgreSQL. The service answers while its read models catch up; unless told
 * otherwise, this waits for them, so tests start from caught-up read models.
 */
async function openTestApp(
  config: AppConfig,
  dataDir: string,
  release: () => Promise<void>,
  owner?: SqlDatabase,
  waitUntilReady = true,
): Promise<TestApp> {
  const logs = new CapturingLogger();
  const app = await createApp(config, { logger: logs, logDestination: logs });
  const http = request(app.getHttpServer());
  if (waitUntilReady)
    await eventually(
      () => http.get('/health/ready'),
      (response) => response.status === 200,
      600,
    );
  // No demo network, no demo password (a test of a real deployment's bootstrap).
  const password = (await readFile(join(dataDir, 'demo-password'), 'utf8').catch(() => '')).trim();
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username)) {
      const response = await http.post('/auth/token').send({ username, password }).expect(200);
      tokens.set(username, response.body.access_token);
    }
    return tokens.get(username)!;
  };
  return {
    app,
    http,
    dataDir,
    store: app.get<EventStore>(EVENT_STORE),
    db: app.get<SqlDatabase>(SQL_DATABASE),
    owner: owner ?? app.get<SqlDatabase>(SQL_DATABASE),
    logs,
    password,
    token,
    async agencyId(namePart) {
      const response = await http
        .get('/directory/agencies')
        .set('Authorization', `Bearer ${await token('caseworker.social')}`)
        .expect(200);
      const agency = (response.body as Array<{ id: string; name: string }>).find((a) => a.name.includes(namePart));
      if (!agency) throw new Error(`no demo agency named like ${namePart}`);
      return agency.id;
    },
    async restart(options = {}) {
      await app.close();
      if (options.beforeStart && owner) await options.beforeStart(owner);
      else if (options.beforeStart) {
        // Stopped, the service leaves its PGlite data directory free to open.
        const stopped = await PgliteDatabase.open(embeddedDatabaseDir(dataDir));
        await options.beforeStart(stopped).finally(() => stopped.close());
      }
      return openTestApp(config, dataDir, release, owner, options.waitUntilReady ?? true);
    },
    async another() {
      if (!config.databaseUrl) throw new Error('a second instance needs PostgreSQL');
      return openTestApp(config, dataDir, async () => undefined, owner);
    },
    async close() {
      await app.close();
      await release();
    },
  };
}

/**
 * A case's history made by the real decider and stored in one append, as if written earlier (a
 * week-old referral, say): for states the HTTP API cannot reach without waiting.
 */
export async function appendDecided(store: EventStore, caseId: string, commands: readonly CaseCommand[]): Promise<void> {
  let state = caseDecider.initialState();
  const events = commands.flatMap((command) => {
    const decided = caseDecider.decide(command, state);
    state = decided.reduce(caseDecider.evolve, state);
    return decided;
  });
  await store.appendToStream(
    `case-${caseId}`,
    events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata: {} })),
    { expectedRevision: 'no_stream' },
  );
}

/** Every event in the store, in order: to show that a refused request wrote nothing. */
export async function allEvents(store: EventStore) {
  const events = [];
  let from: string | null = null;
  for (;;) {
    const page = await store.readAll(from, 500);
    events.push(...page.events);
    if (page.events.length === 0) return events;
    from = page.next;
  }
}

/** Waits for an eventually consistent read model, within a bound: never a timing assertion. */
export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, attempts = 100): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !until(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/**
 * Empties the read models and forgets their checkpoint, as before a replay of the whole store: the
 * next start projects every event again. For `restart({ beforeStart })`, or a connection of one's own.
 */
export async function emptyReadModels(db: { query(sql: string, params?: unknown[]): Promise<unknown> }): Promise<void> {
  for (const table of READ_MODELS.flatMap((p) => p.tables)) await db.query(`DELETE FROM ${table}`);
  await db.query('DELETE FROM projection_checkpoints WHERE runner = $1', [READ_MODELS_RUNNER]);
}
