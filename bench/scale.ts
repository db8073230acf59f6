/**
 * Scale check (not a test): writes many cases through the real decider with several concurrent
 * writers while the projector follows live, then rebuilds, and checks that every event reached the
 * read models each time and that the audit chain verifies. Exits 1 on any shortfall.
 *   npm run scale                        100,000 cases on PGlite (on disk), and on PostgreSQL when DATABASE_URL is set
 *   SCALE_CASES=5000 SCALE_WRITERS=8 npm run scale
 * Most cases are opened only (as a detection is); every tenth takes the whole path of the bench
 * workload (consent, referral, acknowledgement, a third of them withdrawn), so the audit chain has
 * consent entries to verify. On PGlite the built service is then started on the same data with every
 * event left to project: how soon it listens, what readiness says, and its case list over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseDecider } from '../libs/domain/index.js';
import { type EventStore, SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { verifyAuditChain } from '../src/audit/audit-chain-verify.js';
import { SealingEventStore } from '../src/audit/sealing-event-store.js';
import { embeddedDatabaseDir } from '../src/platform/persistence.module.js';
import { migrateSchema } from '../src/platform/schema.js';
import { READ_MODELS } from '../src/read-models.js';
import { WORKLOAD_AGENCIES, appendCase, caseCommands, workloadCaseId } from './case-workload.js';
import { leaveEverythingToProject, serviceOnScale } from './scale-service.js';

const CASES = Number(process.env.SCALE_CASES ?? 100_000);
const WRITERS = Number(process.env.SCALE_WRITERS ?? 4);

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** A detection only: the case opened, one event. */
async function openOnly(store: EventStore, n: number, at: string): Promise<number> {
  const [open] = caseCommands(n, at);
  const events = caseDecider.decide(open!, caseDecider.initialState());
  await store.appendToStream(
    `case-${workloadCaseId(n)}`,
    events.map((e, i) => ({
      eventId: `00000000-0000-4000-9000-${(n * 8 + i).toString(16).padStart(12, '0')}`,
      type: e.type,
      data: e.data,
      metadata: { occurredAt: at },
    })),
    {
      expectedRevision: 'no_stream',
    },
  );
  return events.length;
}

function report(label: string, done: number, total: number, started: bigint) {
  if (done % Math.max(1, Math.floor(total / 20)) === 0 || done === total) {
    process.stdout.write(
      `\r  ${label.padEnd(40)} ${String(Math.round((100 * done) / total)).padStart(3)}% ${done}/${total} ${Math.round(done / seconds(started))}/s`,
    );
    if (done === total) process.stdout.write('\n');
  }
}

async function check(name: string, db: SqlDatabase): Promise<boolean> {
  console.log(`\n${name}: ${CASES} cases, ${WRITERS} writers, the projector following live`);
  await migrateSchema(db);
  // As the service appends: every event carries its MAC, which verify checks.
  const macKey = randomBytes(32);
  const store = new SealingEventStore(new SqlEventStore(db, { pollIntervalMs: 50 }), macKey);
  const runner = new ProjectionRunner('read-models', db, store, READ_MODELS);
  const stop = new AbortController();
  const following = runner.run(stop.signal);

  const at = new Date().toISOString();
  let next = 0;
  let written = 0;
  let events = 0;
  const writing = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let n = next++; n < CASES; n = next++) {
        const appended = n % 10 === 0 ? await appendCase(store, n, at) : await openOnly(store, n, at);
        events += appended;
        report('writing cases', ++written, CASES, writing);
      }
    }),
  );
  const writeSeconds = seconds(writing);
  const catching = process.hrtime.bigint();
  while ((await runner.lag()).events > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  const catchUpSeconds = seconds(catching);
  stop.abort();
  await following;

  const ownerViews = async () =>
    Number(
      (
        await db.query<{ n: string | number }>('SELECT count(*) AS n FROM agency_case_views WHERE agency_id = $1', [
          WORKLOAD_AGENCIES.owner.agencyId,
        ])
      )[0]!.n,
    );
  const stored = (await store.behind(null)).events;
  const live = { applied: await runner.checkComplete().catch(() => -1), views: await ownerViews() };

  const rebuilding = process.hrtime.bigint();
  const rebuilt = await runner
    .rebuild((applied) => report('rebuild', applied, stored, rebuilding))
    .catch((error: unknown) => {
      console.error(`\n  ${error instanceof Error ? error.message : String(error)}`);
      return -1;
    });
  const rebuildSeconds = seconds(rebuilding);
  const afterRebuild = { views: await ownerViews() };
  const verifying = process.hrtime.bigint();
  const verification = await verifyAuditChain(db, store, { macKey, pending: async () => new Set() });
  const verifySeconds = seconds(verifying);

  const ok = live.applied === stored && live.views === CASES && rebuilt === stored && afterRebuild.views === CASES && verification.verified;
  console.log(`  events in the store                ${stored} (written ${events})`);
  console.log(`  applied while following live       ${live.applied}; owner views ${live.views} of ${CASES} cases`);
  console.log(`  applied by the rebuild             ${rebuilt}; owner views ${afterRebuild.views} of ${CASES} cases`);
  console.log(
    `  audit chain after the rebuild      ${verification.verified ? `verified, ${verification.entries} entries` : `BROKEN: ${JSON.stringify(verification)}`}`,
  );
  console.log(
    `  seconds: writing ${writeSeconds.toFixed(1)}, catching up after ${catchUpSeconds.toFixed(1)}, rebuild ${rebuildSeconds.toFixed(1)} (${Math.round(stored / rebuildSeconds)} events/s), verify ${verifySeconds.toFixed(1)}`,
  );
  console.log(`  ${ok ? 'every event projected, live and rebuilt' : 'FAILED: see the counts above'}`);
  return ok;
}

async function main() {
  let ok = true;
  const dataDir = await mkdtemp(join(tmpdir(), 'referral-scale-'));
  try {
    const serviceDir = join(dataDir, 'service');
    await mkdir(serviceDir, { mode: 0o700 });
    const pglite = await PgliteDatabase.open(embeddedDatabaseDir(serviceDir));
    ok = (await check('PGlite (data directory on disk)', pglite)) && ok;
    const password = await leaveEverythingToProject(pglite);
    await pglite.close();
    ok = (await serviceOnScale(serviceDir, password, CASES)) && ok;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url) console.log('\nDATABASE_URL is not set: PostgreSQL skipped.');
  else {
    const schema = `scale_${randomBytes(4).toString('hex')}`;
    const admin = await PostgresDatabase.open(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    try {
      const postgres = await PostgresDatabase.open(url, { searchPath: schema });
      ok = (await check('PostgreSQL', postgres)) && ok;
      await postgres.close();
    } finally {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
