import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { appendCase } from '../bench/case-workload.js';
import { freshSchema, urlAs } from '../libs/testing/index.js';
import { readAcrossAgencies } from '../src/platform/agency-scope.js';
import { DATABASE_ROLES } from '../src/platform/database-roles.js';
import { withOptions } from '../src/platform/database-setup.js';
import { migrateSchema } from '../src/platform/schema.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../src/read-models.js';

const url = process.env.DATABASE_URL;
const CASES = 400;

/** Every row of every read model, in a stable order: what "equal to a fresh rebuild" compares (as the projector, who sees every agency's rows). */
async function snapshot(db: SqlDatabase): Promise<Record<string, string[]>> {
  const tables = READ_MODELS.flatMap((p) => p.tables);
  const out: Record<string, string[]> = {};
  await readAcrossAgencies(db, async (tx) => {
    for (const table of tables)
      out[table] = (await tx.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`)).map((r) => r.row);
  });
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The embedded database belongs to one process, so a separate projector process exists only on PostgreSQL.
if (!url) console.info('DATABASE_URL is not set: the projector-process crash test needs PostgreSQL and is skipped.');
(url ? describe : describe.skip)('the projector process, killed in the middle of a batch', () => {
  let build: string;
  const opened: Array<{ db: SqlDatabase; schema: Awaited<ReturnType<typeof freshSchema>> }> = [];

  beforeAll(async () => {
    // The projector runs as it does in production: compiled, in a process of its own.
    // Inside the project, so the compiled code resolves node_modules.
    await mkdir('.test-build', { recursive: true });
    build = await mkdtemp(join('.test-build', 'projector-'));
    await promisify(execFile)('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', build]);
  }, 180_000);

  afterAll(async () => {
    for (const { db, schema } of opened) {
      await db.close();
      await schema.drop();
    }
    if (build) await rm(build, { recursive: true, force: true });
  });

  /** A schema of the test's own holding CASES cases, none of them projected yet. */
  async function casesToProject() {
    // As in production: the owner migrates, the test appends as the app, the projector logs in as its own role.
    const schema = await freshSchema(url!, 'crash');
    const owner = await PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.owner), { searchPath: schema.name, max: 1 });
    await migrateSchema(owner).finally(() => owner.close());
    const db = await PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.app), { searchPath: schema.name });
    opened.push({ db, schema });
    const store = new SqlEventStore(db);
    let total = 0;
    for (let n = 0; n < CASES; n++) total += await appendCase(store, n);
    // No keys: the projector moves sealed data and never needs them.
    const { MASTER_KEY: _m, JWT_SECRET: _j, ...rest } = process.env;
    const env = { ...rest, DATABASE_URL: withOptions(urlAs(url!, DATABASE_ROLES.projector), `-c search_path=${schema.name}`) };
    const runner = () => new ProjectionRunner(READ_MODELS_RUNNER, db, store, READ_MODELS, { role: DATABASE_ROLES.projector });
    let stderr = '';
    const startProjector = (): ChildProcess => {
      const child = spawn('node', [join(build, 'src/projector.js'), 'run'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      return child;
    };
    /** Resolves once the projector has committed its first batch. */
    const firstBatch = async (child: ChildProcess) => {
      for (let applied = 0, deadline = Date.now() + 60_000; applied === 0;) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the projector did not apply a batch: ${stderr}`);
        await sleep(5);
        applied = (
          await runner()
            .checkpoint()
            .catch(() => ({ eventsApplied: 0 }))
        ).eventsApplied;
      }
    };
    return { db, total, runner, startProjector, firstBatch, stderr: () => stderr };
  }

  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  it('after SIGKILL and a restart, the read models equal a fresh rebuild: nothing lost, nothing applied twice', async () => {
    const { db, total, runner, startProjector, firstBatch, stderr } = await casesToProject();
    const first = startProjector();
    const firstExit = exited(first);
    // Kill it once it has committed a batch and is applying the next one.
    await firstBatch(first);
    first.kill('SIGKILL');
    await firstExit;
    const killedAt = await runner().checkpoint();
    expect(killedAt.eventsApplied).toBeGreaterThan(0);
    expect(killedAt.eventsApplied).toBeLessThan(total); // it was stopped part way

    const second = startProjector();
    const secondExit = exited(second);
    for (let deadline = Date.now() + 60_000; (await runner().lag()).events > 0 && Date.now() < deadline;) await sleep(50);
    second.kill('SIGTERM');
    expect(await secondExit).toBe(0);
    expect(stderr()).toMatch(/catch-up \[/); // it showed its progress

    const resumed = await snapshot(db);
    const resumedCheckpoint = await runner().checkpoint();
    expect(resumed.agency_case_views).toHaveLength(CASES * 2); // owner and shelter rows per case
    await runner().rebuild();
    expect(await snapshot(db)).toEqual(resumed);
    expect(resumedCheckpoint.eventsApplied).toBe(total);
  }, 180_000);

  it('SIGTERM during catch-up stops it cleanly after the batch in hand, and a restart goes on from there', async () => {
    const { total, runner, startProjector, firstBatch } = await casesToProject();
    const first = startProjector();
    const firstExit = exited(first);
    await firstBatch(first);
    first.kill('SIGTERM'); // still catching up: the stop handlers were once installed only after catch-up
    expect(await firstExit).toBe(0);
    const stoppedAt = await runner().checkpoint();
    expect(stoppedAt.eventsApplied).toBeGreaterThan(0);

    const second = startProjector();
    const secondExit = exited(second);
    for (let deadline = Date.now() + 60_000; (await runner().lag()).events > 0 && Date.now() < deadline;) await sleep(50);
    second.kill('SIGTERM');
    expect(await secondExit).toBe(0);
    expect((await runner().checkpoint()).eventsApplied).toBe(total);
    await expect(runner().checkComplete()).resolves.toBe(total);
  }, 180_000);
});
