import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { READ_MODELS_RUNNER } from '../src/read-models.js';
import { APP_DRIVERS, type RunningApp, type TestApp, emptyReadModels, eventually, startTestApp } from './support/test-app.js';

const openCase = async (t: RunningApp) =>
  (
    await t.http
      .post('/cases')
      .set('Authorization', `Bearer ${await t.token('caseworker.social')}`)
      .send({ source: 'observation', ageGroup: 'adult', indicators: [] })
      .expect(201)
  ).body.caseId as string;

const ownCases = async (t: RunningApp) =>
  (
    (
      await t.http
        .get('/cases?relation=owner')
        .set('Authorization', `Bearer ${await t.token('caseworker.social')}`)
        .expect(200)
    ).body.items as Array<{ caseId: string }>
  ).map((c) => c.caseId);

/** Terminus's answers: liveness checks nothing but the process; readiness the database and the read models. */
const LIVE = { status: 'ok', info: {}, error: {}, details: {} };
const UP = { database: { status: 'up' }, read_models: { status: 'up' } };
const READY = { status: 'ok', info: UP, error: {}, details: UP };

describe.each(APP_DRIVERS)('liveness and readiness (%s)', (driver) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers liveness and readiness without signing in, with nothing but a status', async () => {
    t = await startTestApp(driver);
    expect((await t.http.get('/health/live').expect(200)).body).toEqual(LIVE);
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual(READY);
    expect((await t.http.get('/health').expect(200)).body).toEqual(READY);
  });
});

// Holding the projector up needs a second connection to the same database: PostgreSQL only.
const onPostgres = APP_DRIVERS.includes('postgres') ? describe : describe.skip;
if (!APP_DRIVERS.includes('postgres'))
  console.info('DATABASE_URL is not set: readiness tests that hold the projector up (PostgreSQL only) are skipped.');

onPostgres('readiness on postgres, with the projector held up from outside', () => {
  let t: TestApp | undefined;
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    await t?.close();
    t = undefined;
  });

  /** A connection to the app's own schema, or to another database on the same server. */
  const connect = async (app: TestApp, database?: string) => {
    const { schema } = (await app.db.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!;
    const client = new pg.Client(
      database
        ? { connectionString: process.env.DATABASE_URL, database }
        : { connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema}` },
    );
    await client.connect();
    clients.push(client);
    return client;
  };
  /** Holds the projector's checkpoint row, so no batch can commit until ROLLBACK. */
  const holdCheckpoint = async (client: pg.Client) => {
    await client.query('BEGIN');
    await client.query('INSERT INTO projection_checkpoints (runner, position) VALUES ($1, NULL) ON CONFLICT (runner) DO NOTHING', [
      READ_MODELS_RUNNER,
    ]);
    await client.query('SELECT 1 FROM projection_checkpoints WHERE runner = $1 FOR UPDATE', [READ_MODELS_RUNNER]);
  };

  it('listens before its read models caught up after a restart, and readiness says so until they have', async () => {
    const first = await startTestApp('postgres');
    t = first;
    const caseId = await openCase(first);
    const holder = await connect(first);
    t = await first.restart({
      waitUntilReady: false,
      // The read models are emptied, as before a replay of a large store, and the replay is held.
      beforeStart: async () => {
        await emptyReadModels(holder);
        await holdCheckpoint(holder);
      },
    });
    expect((await t.http.get('/health/live').expect(200)).body).toEqual(LIVE);
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.body.detail).toBe('the read models are catching up: 0% applied');
    expect(ready.body.checks).toEqual({
      database: { status: 'up' },
      read_models: { status: 'down', message: 'the read models are catching up: 0% applied' },
    });
    expect((await t.http.get('/health').expect(503)).body.detail).toBe(ready.body.detail);

    await holder.query('ROLLBACK');
    const after = await eventually(
      () => t!.http.get('/health/ready'),
      (response) => response.status === 200,
    );
    expect(after.status).toBe(200);
    expect(await ownCases(t)).toContain(caseId);
  });

  it('says the read models stalled when the follower is held up, and ready again once it is not', async () => {
    t = await startTestApp('postgres', { READINESS_MAX_LAG_SECONDS: '1' });
    const holder = await connect(t);
    await holdCheckpoint(holder);
    await openCase(t);
    const stalled = await eventually(
      () => t!.http.get('/health/ready'),
      (response) => response.status === 503,
    );
    expect(stalled.body.detail).toMatch(/^the read models are \d+ s behind: the projector has stalled or stopped$/);
    expect((await t.http.get('/health/live').expect(200)).body).toEqual(LIVE);

    await holder.query('ROLLBACK');
    expect(
      (
        await eventually(
          () => t!.http.get('/health/ready'),
          (response) => response.status === 200,
        )
      ).status,
    ).toBe(200);
  });

  it('keeps writing and projecting while a transaction stays open in another database on the server', async () => {
    t = await startTestApp('postgres', { READINESS_MAX_LAG_SECONDS: '1' });
    const elsewhere = await connect(t, 'postgres');
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT pg_current_xact_id()');
    const caseId = await openCase(t);
    // Read-your-writes: the case is in the owner's list as soon as the write answered.
    expect(await ownCases(t)).toContain(caseId);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than the readiness bound
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual(READY);
    await elsewhere.query('ROLLBACK');
  });
});
