/**
 * Benchmarks (not tests), each beside its baseline in the same run so that the ratio, not the
 * machine, is the figure:
 *   - event-store appends beside raw INSERTs of the same rows into the same database;
 *   - KurrentDB adapter appends beside the raw client's appendToStream on the same server (bench/kurrentdb-append.ts);
 *   - a rebuild of the read models beside raw batched INSERTs of as many rows;
 *   - withdrawal → recipient view while other cases are written;
 *   - POST /cases at 16 keep-alive connections against the real service beside a bare NestJS
 *     route doing one INSERT, with the service's event-loop delay and memory.
 * Baselines and measures alternate order round by round, so neither always runs first (on a warm
 * or a cold machine). Every replay is checked for completeness (events applied == events in the
 * store, read-model rows as the events require) and every HTTP answer for its status: a figure
 * computed on an incomplete replay or on failed requests is not printed; the run exits non-zero.
 *
 *   npm run bench                  PGlite (a data directory on disk), and PostgreSQL when DATABASE_URL is set
 *   BENCH_QUICK=1 npm run bench    a quick pass for development (2,000 events, fewer rounds): not for figures
 *   BENCH_EVENTS, BENCH_ROUNDS, BENCH_REQUESTS, BENCH_HTTP_SECONDS, BENCH_SAMPLES, BENCH_IDLE_SECONDS override the sizes.
 *   BENCH_ONLY=feed,kurrentdb       only the named measures (appends, rebuild, propagation, feed, http, kurrentdb)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import type { CaseEvent } from '../libs/domain/index.js';
import { SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { trailDetails } from '../src/audit/trail-details.js';
import { READ_MODELS } from '../src/read-models.js';
import { type KurrentDbAppendFigures, kurrentDbAppendBenchmark } from './kurrentdb-append.js';
import { WORKLOAD_AGENCIES, appendCase, decideCase, withdrawConsent, workloadCaseId } from './case-workload.js';
import { feedLatencyBenchmark } from './feed-latency.js';
import type { ServerAnswer, ServerRequest } from './http-server.js';
import { type LoadResult, load, quantile, send } from './load.js';

const QUICK = process.env.BENCH_QUICK === '1';
const setting = (name: string, full: number, quick: number) => {
  const value = Number(process.env[name] ?? (QUICK ? quick : full));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
};
/** Per measure: enough for figures that hold still from one run to the next. */
const EVENTS = setting('BENCH_EVENTS', 20_000, 2_000);
const ROUNDS = setting('BENCH_ROUNDS', 4, 2);
const REQUESTS = setting('BENCH_REQUESTS', 2_000, 200);
const HTTP_SECONDS = setting('BENCH_HTTP_SECONDS', 60, 15);
const SAMPLES = setting('BENCH_SAMPLES', 100, 20);
/**
 * Seconds the fresh service is left without a request before its idle memory is read again: at
 * readiness the JavaScript heaps still hold start-up's garbage (module loading, the demo network's
 * seeding), which V8 gives back only once the process has been idle a while (seen: 350 MB at
 * readiness, 288 MB a minute later, on PGlite).
 */
const IDLE_SECONDS = setting('BENCH_IDLE_SECONDS', 90, 10);
const MEASURES = ['appends', 'rebuild', 'propagation', 'feed', 'http', 'kurrentdb'] as const;
type Measure = (typeof MEASURES)[number];
/** BENCH_ONLY names the measures to run, so one figure can be taken again without the hour-long whole. */
const ONLY: ReadonlySet<Measure> = (() => {
  const names = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(MEASURES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown measure ${unknown.join(', ')}; known: ${MEASURES.join(', ')}`);
  return new Set((names.length ? names : MEASURES) as Measure[]);
})();
const CONNECTIONS = 16;
const BATCH = 10;

/** A replay, a follower or a load that did not account for every event or request. */
class IncompleteError extends Error {
  override name = 'IncompleteError';
}

function expectCount(label: string, actual: number, expected: number) {
  if (actual !== expected) throw new IncompleteError(`${label}: ${actual}, expected ${expected}`);
  console.log(`  ✓ ${label}: ${actual}`);
}

/** What one database's run measured; the final table reads it. */
interface Figures {
  appendSingle?: { raw: number; store: number };
  appendBatch?: { raw: number; store: number };
  rebuild?: { raw: number; rebuild: number; events: number };
  propagation?: { p50: number; p99: number };
  feed?: { p50: number; p99: number };
  http?: {
    service: LoadResult;
    bare: LoadResult;
    /** PGlite only: the bare route through the service's database thread with fsync on, as the embedded service runs. */
    bareDurable?: LoadResult;
    probe: { p50: number; p99: number };
    loopP50: number;
    loopP99: number;
    loopMax: number;
    /** At readiness, and after IDLE_SECONDS without a request. */
    rssReady: number;
    rssIdle: number;
    rssLoad: number;
    bareRssIdle: number;
  };
}

/** A realistic event: about 500 bytes of JSON, like a sealed consent or referral. */
function payload() {
  return {
    data: {
      referralId: randomUUID(),
      sealed: {
        alg: 'A256GCM',
        v: 1,
        iv: randomBytes(12).toString('base64url'),
        ct: randomBytes(300).toString('base64url'),
        tag: randomBytes(16).toString('base64url'),
      },
    },
    metadata: { actorUserId: randomUUID(), actorAgencyId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

let lastProgress = 0;
function progress(label: string, done: number, total: number) {
  const now = Date.now();
  if (now - lastProgress > 250 || done >= total) {
    lastProgress = now;
    process.stdout.write(`\r  ${label.padEnd(58)} ${String(Math.min(100, Math.round((100 * done) / total))).padStart(3)}%`);
    if (done >= total) process.stdout.write('\n');
  }
}

/** Runs `step` until `total` units are done; returns the seconds it took. */
async function timed(label: string, total: number, step: (done: number) => Promise<number>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let done = 0; done < total;) {
    done += await step(done);
    progress(label, done, total);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Baseline and measure, `ROUNDS` times, in alternating order; each accumulates its units and seconds. */
type Round = (round: number) => Promise<[number, number]>;

async function interleaved<const T extends readonly Round[]>(rounds: number, measures: T): Promise<{ -readonly [K in keyof T]: number }> {
  const totals = measures.map(() => ({ units: 0, seconds: 0 }));
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the next measure, so none always runs first (or last).
    for (let k = 0; k < measures.length; k++) {
      const which = (round + k) % measures.length;
      const [units, seconds] = await measures[which]!(round);
      totals[which]!.units += units;
      totals[which]!.seconds += seconds;
    }
  }
  return totals.map((t) => t.units / t.seconds) as { -readonly [K in keyof T]: number };
}

async function count(db: SqlDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(sql, params);
  return Number(row!.n);
}

async function appendBenchmark(db: SqlDatabase, figures: Figures) {
  const store = new SqlEventStore(db);
  await store.migrate();
  // The baseline: the same columns, keys and indexes (LIKE copies no triggers), none of the store's logic.
  await db.exec(`CREATE TABLE raw_events (LIKE events INCLUDING ALL)`);
  const insertRaw = `INSERT INTO raw_events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES `;
  const rowValues = (n: number) =>
    Array.from({ length: n }, (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(
      ', ',
    );
  const rowParams = (stream: string, n: number) =>
    Array.from({ length: n }, (_, r) => {
      const { data, metadata } = payload();
      return [stream, r, randomUUID(), 'ReferralRequested', data, metadata];
    }).flat();
  const perRound = Math.ceil(EVENTS / ROUNDS / BATCH) * BATCH;
  console.log(`\n  appends: ${perRound * ROUNDS} events of ~500 bytes per measure, ${ROUNDS} rounds`);
  const measure =
    (label: string, perStep: number, step: () => Promise<unknown>) =>
    async (round: number): Promise<[number, number]> => [
      perRound,
      await timed(`round ${round + 1}/${ROUNDS} ${label}`, perRound, async () => (await step(), perStep)),
    ];
  const single = await interleaved(ROUNDS, [
    measure('raw INSERT, 1 row per autocommit', 1, () => db.query(insertRaw + rowValues(1), rowParams(`raw-${randomUUID()}`, 1))),
    measure('appendToStream, 1 event per append', 1, () => {
      const { data, metadata } = payload();
      return store.appendToStream(`case-${randomUUID()}`, [{ eventId: randomUUID(), type: 'ReferralRequested', data, metadata }], {
        expectedRevision: 'no_stream',
      });
    }),
  ]);
  const batch = await interleaved(ROUNDS, [
    measure(`raw INSERT, ${BATCH} rows per transaction`, BATCH, () =>
      db.transaction((tx) => tx.query(insertRaw + rowValues(BATCH), rowParams(`raw-${randomUUID()}`, BATCH))),
    ),
    measure(`appendToStream, ${BATCH} events per append`, BATCH, () => {
      const events = Array.from({ length: BATCH }, () => ({ eventId: randomUUID(), type: 'ReferralRequested', ...payload() }));
      return store.appendToStream(`case-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
    }),
  ]);
  expectCount('raw rows written', await count(db, 'SELECT count(*) AS n FROM raw_events'), 2 * perRound * ROUNDS);
  expectCount('events appended', await count(db, 'SELECT count(*) AS n FROM events'), 2 * perRound * ROUNDS);
  figures.appendSingle = { raw: single[0], store: single[1] };
  figures.appendBatch = { raw: batch[0], store: batch[1] };
}

/** Rows and a digest of each read model: a rebuild must give back exactly what the first build made. */
async function readModelState(db: SqlDatabase): Promise<Record<string, { rows: number; digest: string }>> {
  const state: Record<string, { rows: number; digest: string }> = {};
  for (const table of READ_MODELS.flatMap((p) => p.tables)) {
    const [row] = await db.query<{ n: number | string; digest: string }>(
      `SELECT count(*) AS n, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS digest FROM ${table} t`,
    );
    state[table] = { rows: Number(row!.n), digest: row!.digest };
  }
  return state;
}

/**
 * Rebuild: every event replayed into the read models (ProjectionRunner.rebuild), beside raw
 * batched INSERTs of as many rows (one per event, `payload()`: about 700 bytes of JSON, while an
 * owner's case view averages about 1,900), in batches as large.
 */
async function rebuildBenchmark(db: SqlDatabase, figures: Figures) {
  const store = new SqlEventStore(db);
  await store.migrate();
  const at = new Date().toISOString();
  let appended = 0;
  let cases = 0;
  let trailEvents = 0;
  let referrals = 0;
  console.log(`\n  rebuild: at least ${EVENTS} events of real case paths, ${ROUNDS} rounds`);
  await timed(`appending cases through the decider`, EVENTS, async () => {
    const events: CaseEvent[] = decideCase(cases, at).flat();
    trailEvents += events.filter((e) => trailDetails(e) !== undefined).length;
    referrals += events.filter((e) => e.type === 'ReferralRequested').length;
    const n = await appendCase(store, cases++, at);
    appended += n;
    return n;
  });
  const inStore = await count(db, 'SELECT count(*) AS n FROM events');
  expectCount('events in the store', inStore, appended);
  const runner = new ProjectionRunner('bench', db, store, READ_MODELS);
  await runner.migrate();
  const expectComplete = async (label: string, applied: number) => {
    expectCount(`${label}: events applied`, applied, inStore);
    expectCount(`${label}: checkpoint's events applied`, (await runner.checkpoint()).eventsApplied, inStore);
    expectCount(
      `${label}: owner case views`,
      await count(db, `SELECT count(*) AS n FROM agency_case_views WHERE relation = 'owner'`),
      cases,
    );
    expectCount(
      `${label}: referral inbox rows (incoming and outgoing)`,
      await count(db, 'SELECT count(*) AS n FROM referral_inbox'),
      2 * referrals,
    );
    expectCount(`${label}: consent trail rows`, await count(db, 'SELECT count(*) AS n FROM consent_trail'), trailEvents);
  };
  // The first build also writes the audit chain; a rebuild (what `npm run rebuild` does) finds it in place.
  await expectComplete('first build', await runner.catchUp((n) => progress('first build of the read models', n, inStore)));
  const built = await readModelState(db);

  await db.exec(`CREATE TABLE raw_views (agency_id uuid, case_id uuid, view jsonb, PRIMARY KEY (agency_id, case_id))`);
  const rawBatch = 500;
  const [raw, rebuilt] = await interleaved(ROUNDS, [
    async (round) => {
      await db.exec('DELETE FROM raw_views');
      return [
        inStore,
        await timed(`round ${round + 1}/${ROUNDS} raw INSERT, ${rawBatch} rows per statement`, inStore, async (done) => {
          const n = Math.min(rawBatch, inStore - done);
          const values = Array.from({ length: n }, (_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
          const params = Array.from({ length: n }, () => [randomUUID(), randomUUID(), JSON.stringify(payload())]).flat();
          await db.transaction((tx) => tx.query(`INSERT INTO raw_views (agency_id, case_id, view) VALUES ${values}`, params));
          return n;
        }),
      ];
    },
    async (round) => {
      const started = process.hrtime.bigint();
      const applied = await runner.rebuild((n) => progress(`round ${round + 1}/${ROUNDS} rebuild of the read models`, n, inStore));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await expectComplete(`rebuild ${round + 1}`, applied);
      const state = await readModelState(db);
      for (const [table, { rows, digest }] of Object.entries(built)) {
        if (state[table]!.rows !== rows || state[table]!.digest !== digest)
          throw new IncompleteError(`rebuild ${round + 1}: ${table} differs from the first build`);
      }
      return [applied, seconds];
    },
  ]);
  expectCount('raw rows in the last round', await count(db, 'SELECT count(*) AS n FROM raw_views'), inStore);
  figures.rebuild = { raw, rebuild: rebuilt, events: inStore };
}

/**
 * Withdrawal propagation: from the withdrawal's append returning to the recipient's stored view no
 * longer holding the withdrawn category, with the in-process projector following the store while
 * other cases are written at a steady rate (about 100 events/s).
 */
async function propagationBenchmark(db: SqlDatabase, figures: Figures) {
  const store = new SqlEventStore(db, { pollIntervalMs: 200 });
  await store.migrate();
  console.log(`\n  withdrawal propagation: ${SAMPLES} withdrawals while other cases are written`);
  const runner = new ProjectionRunner('propagation', db, store, READ_MODELS);
  await runner.migrate();
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  // Cases whose number is not a multiple of 3 keep their consent in the workload: those are withdrawn here.
  const targets = Array.from({ length: SAMPLES }, (_, i) => 3 * i + 1);
  for (const [i, n] of targets.entries()) {
    await appendCase(store, n);
    progress('preparing the cases to withdraw from', i + 1, SAMPLES);
  }
  let background = 10_000;
  const writing = new Set<Promise<unknown>>();
  const steady = setInterval(() => {
    const write = appendCase(store, background++).finally(() => writing.delete(write));
    writing.add(write);
  }, 40);
  const shelter = WORKLOAD_AGENCIES.shelter.agencyId;
  const holdsIdentity = async (n: number) => {
    const [row] = await db.query<{ holds: boolean }>(
      `SELECT (view->'personalData') ? 'identity' AS holds FROM agency_case_views WHERE agency_id = $1 AND case_id = $2`,
      [shelter, workloadCaseId(n)],
    );
    return row?.holds ?? false;
  };
  const latencies: number[] = [];
  try {
    for (const [i, n] of targets.entries()) {
      while (!(await holdsIdentity(n))) await new Promise((resolve) => setTimeout(resolve, 5));
      await withdrawConsent(store, n);
      const started = process.hrtime.bigint();
      while (await holdsIdentity(n)) await new Promise((resolve) => setTimeout(resolve, 2));
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      progress("withdrawing and waiting for the recipient's view", i + 1, SAMPLES);
    }
  } finally {
    clearInterval(steady);
    await Promise.all(writing);
    stop.abort();
    await running;
  }
  // What the live follower applied, plus what was still to come when it stopped, is the whole store.
  const rest = await runner.catchUp();
  const inStore = await count(db, 'SELECT count(*) AS n FROM events');
  expectCount(
    `events the follower applied (${inStore - rest} live, ${rest} after it stopped)`,
    (await runner.checkpoint()).eventsApplied,
    inStore,
  );
  latencies.sort((a, b) => a - b);
  figures.propagation = { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function feedBenchmark(db: SqlDatabase, figures: Figures) {
  const feed = await feedLatencyBenchmark(db, SAMPLES);
  if (feed) figures.feed = feed;
}

/** A server process of bench/http-server.ts, and a way to ask it things. */
async function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ port: number; ask: (type: ServerRequest['type']) => Promise<ServerAnswer>; child: ChildProcess }> {
  // BENCH_PROFILE=dir writes a CPU profile of the service (each of its threads) there, as write-path.ts does.
  const profile =
    process.env.BENCH_PROFILE && env.BENCH_SERVER === 'service' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(new URL('./http-server.js', import.meta.url), [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (answer: ServerAnswer) =>
      answer.type === 'ready'
        ? resolve(answer.port)
        : reject(new Error(`server did not start: ${'reason' in answer ? answer.reason : answer.type}`)),
    );
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
  let next = 0;
  const ask = (type: ServerRequest['type']) =>
    new Promise<ServerAnswer>((resolve) => {
      const id = ++next;
      const onMessage = (answer: ServerAnswer) => {
        if ('id' in answer && answer.id === id) {
          child.off('message', onMessage);
          resolve(answer);
        }
      };
      child.on('message', onMessage);
      child.send({ id, type } satisfies ServerRequest);
    });
  return { port, ask, child };
}

const OPEN_CASE = () =>
  JSON.stringify({
    source: 'observation',
    ageGroup: 'adult',
    indicators: ['work.forced_to_work'],
    person: { identity: { fullName: 'Bench Person' }, location: { area: 'Fictional Camp' } },
  });

/**
 * POST /cases on the real service and POST /bare on a bare NestJS route doing one INSERT, each in
 * its own process, `CONNECTIONS` keep-alive connections, rounds in alternating order. During the
 * service's load a probe reads a route that touches no database; the service reports its
 * event-loop delay and memory for the load windows.
 */
async function httpBenchmark(dir: string, databaseUrl: (schema: string) => string | undefined, figures: Figures) {
  console.log(
    `\n  HTTP: POST /cases at ${CONNECTIONS} connections, ${REQUESTS} requests or ${HTTP_SECONDS} s per round, ${ROUNDS} rounds, beside a bare route with one INSERT`,
  );
  const serviceDir = join(dir, 'service');
  const serviceUrl = databaseUrl('service');
  const bareUrl = databaseUrl('bare');
  const service = await startServer({
    BENCH_SERVER: 'service',
    DATA_DIR: serviceDir,
    DEMO_NETWORK: 'true',
    WRITES_PER_MINUTE: '100000',
    TOKEN_TTL_SECONDS: '86400',
    ...(serviceUrl
      ? { DATABASE_URL: serviceUrl, MASTER_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('base64') }
      : { DATABASE_URL: '' }),
  });
  const bare = await startServer({ BENCH_SERVER: 'bare', BENCH_DATA_DIR: join(dir, 'bare'), DATABASE_URL: bareUrl ?? '' });
  // On PGlite the plain bare route runs with PGlite's fsync off; the service has it on. A second bare
  // route with the service's durability shows how much of the gap that alone is.
  const bareDurable = bareUrl
    ? undefined
    : await startServer({ BENCH_SERVER: 'bare', BENCH_BARE_DURABLE: '1', BENCH_DATA_DIR: join(dir, 'bare-durable'), DATABASE_URL: '' });
  const servers = { service, bare, ...(bareDurable ? { bareDurable } : {}) };
  try {
    const password = (await readFile(join(serviceDir, 'demo-password'), 'utf8')).trim();
    const signIn = await fetch(`http://127.0.0.1:${service.port}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker.social', password }),
    });
    if (!signIn.ok) throw new Error(`sign-in to the service failed: ${signIn.status}`);
    const token = ((await signIn.json()) as { access_token: string }).access_token;
    const targets = {
      service: {
        port: service.port,
        method: 'POST',
        path: '/cases',
        headers: { Authorization: `Bearer ${token}` },
        body: OPEN_CASE,
        expect: 201,
      },
      bare: { port: bare.port, method: 'POST', path: '/bare', body: OPEN_CASE, expect: 201 },
      bareDurable: { port: bareDurable?.port ?? 0, method: 'POST', path: '/bare', body: OPEN_CASE, expect: 201 },
    } as const;
    type Name = keyof typeof targets;
    const names = Object.keys(servers) as Name[];
    const rss = async (server: typeof service) => ((await server.ask('rss')) as Extract<ServerAnswer, { type: 'rss' }>).rssMb;
    const rssReady = await rss(service);
    const bareRssIdle = await rss(bare);
    for (let waited = 0; waited < IDLE_SECONDS; waited++) {
      progress(`the service idle for ${IDLE_SECONDS} s, then its memory`, waited, IDLE_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    progress(`the service idle for ${IDLE_SECONDS} s, then its memory`, IDLE_SECONDS, IDLE_SECONDS);
    const rssIdle = await rss(service);
    const before = ((await service.ask('counts')) as Extract<ServerAnswer, { type: 'counts' }>).counts;
    const sent = { service: 0, bare: 0, bareDurable: 0 };
    const warmUp = Math.min(100, REQUESTS);
    for (const name of names) {
      const result = await load({
        ...targets[name],
        connections: CONNECTIONS,
        maxRequests: warmUp,
        maxSeconds: HTTP_SECONDS,
        onProgress: (n) => progress(`warm-up ${name}`, n, warmUp),
      });
      progress(`warm-up ${name}`, warmUp, warmUp);
      assertAllAnswered(`warm-up of ${name}`, result);
      sent[name] += result.ok;
    }
    const results: Record<Name, LoadResult[]> = { service: [], bare: [], bareDurable: [] };
    const labels: Record<Name, string> = {
      service: 'service POST /cases',
      bare: 'bare route, one INSERT',
      bareDurable: 'bare route, one INSERT, fsync on',
    };
    const probe: number[] = [];
    let window: Extract<ServerAnswer, { type: 'window' }> | undefined;
    const round =
      (name: Name) =>
      async (r: number): Promise<[number, number]> => {
        const server = servers[name]!;
        const label = `round ${r + 1}/${ROUNDS} ${labels[name]}`;
        await server.ask('window-start');
        const loading = load({
          ...targets[name],
          connections: CONNECTIONS,
          maxRequests: REQUESTS,
          maxSeconds: HTTP_SECONDS,
          onProgress: (n) => progress(label, n, REQUESTS),
        });
        const done = new AbortController();
        const probing =
          name === 'service'
            ? (async () => {
                const agent = new Agent({ keepAlive: true, maxSockets: 1 });
                while (!done.signal.aborted) {
                  const { status, ms } = await send(agent, {
                    port: service.port,
                    method: 'GET',
                    path: '/.well-known/jwks.json',
                    expect: 200,
                    connections: 1,
                    maxRequests: 1,
                    maxSeconds: 1,
                  });
                  if (status !== 200) throw new IncompleteError(`the probe of a route without database got ${status}`);
                  probe.push(ms);
                  await new Promise((resolve) => setTimeout(resolve, 20));
                }
                agent.destroy();
              })()
            : Promise.resolve();
        probing.catch(() => undefined); // awaited below, after the load: a failed probe must not end the process before
        const result = await loading;
        done.abort();
        await probing;
        progress(label, REQUESTS, REQUESTS);
        const stats = (await server.ask('window-stop')) as Extract<ServerAnswer, { type: 'window' }>;
        if (name === 'service') window = stats;
        assertAllAnswered(label, result);
        results[name].push(result);
        sent[name] += result.ok;
        return [result.ok, result.seconds];
      };
    const [bareRate, serviceRate, bareDurableRate] = await interleaved(ROUNDS, [
      round('bare'),
      round('service'),
      ...(bareDurable ? [round('bareDurable')] : []),
    ]);
    // Every acknowledged case is in the store, and the read models catch up with all of it.
    let after = before;
    for (let i = 0; i < 600; i++) {
      after = ((await service.ask('counts')) as Extract<ServerAnswer, { type: 'counts' }>).counts;
      if (after.eventsApplied === after.events) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expectCount('cases the service acknowledged, in the store', after.casesOpened! - before.casesOpened!, sent.service);
    expectCount("events the service's read models applied", after.eventsApplied!, after.events!);
    expectCount('owner case views', after.ownerViews!, after.casesOpened!);
    expectCount(
      'rows the bare route acknowledged, in its table',
      ((await bare.ask('counts')) as Extract<ServerAnswer, { type: 'counts' }>).counts.rows!,
      sent.bare,
    );
    if (bareDurable)
      expectCount(
        'rows the durable bare route acknowledged, in its table',
        ((await bareDurable.ask('counts')) as Extract<ServerAnswer, { type: 'counts' }>).counts.rows!,
        sent.bareDurable,
      );
    const pooled = (list: LoadResult[]): LoadResult => {
      const latencies = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const seconds = list.reduce((s, r) => s + r.seconds, 0);
      return { ok: latencies.length, failed: 0, failures: {}, seconds, perSecond: latencies.length / seconds, latencies };
    };
    probe.sort((a, b) => a - b);
    figures.http = {
      service: { ...pooled(results.service), perSecond: serviceRate },
      bare: { ...pooled(results.bare), perSecond: bareRate },
      ...(bareDurableRate !== undefined ? { bareDurable: { ...pooled(results.bareDurable), perSecond: bareDurableRate } } : {}),
      probe: { p50: quantile(probe, 0.5), p99: quantile(probe, 0.99) },
      loopP50: window!.loopP50Ms,
      loopP99: window!.loopP99Ms,
      loopMax: window!.loopMaxMs,
      rssReady,
      rssIdle,
      rssLoad: window!.rssMaxMb,
      bareRssIdle,
    };
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.ask('stop').catch(() => undefined)));
  }
}

function assertAllAnswered(label: string, result: LoadResult) {
  if (result.failed > 0) throw new IncompleteError(`${label}: ${result.failed} requests failed (${JSON.stringify(result.failures)})`);
}

/** The issue's targets (#11), beside what this run measured. */
function report(all: Record<string, Figures>, kurrentdb: KurrentDbAppendFigures | undefined) {
  const drivers = Object.keys(all);
  const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
  const rows: Array<[string, (f: Figures) => string, string]> = [
    [
      'POST /cases / bare route, one INSERT (req/s)',
      (f) =>
        f.http
          ? `${fmt(f.http.service.perSecond / f.http.bare.perSecond, 3)} (${fmt(f.http.service.perSecond)} / ${fmt(f.http.bare.perSecond)})`
          : '—',
      '≥ 0.5 PostgreSQL, ≥ 0.3 PGlite',
    ],
    [
      'POST /cases / bare route with fsync on, as the service (req/s)',
      (f) =>
        f.http?.bareDurable
          ? `${fmt(f.http.service.perSecond / f.http.bareDurable.perSecond, 3)} (${fmt(f.http.service.perSecond)} / ${fmt(f.http.bareDurable.perSecond)})`
          : '—',
      '',
    ],
    [
      'POST /cases p50 / p99 (ms)',
      (f) => (f.http ? `${fmt(quantile(f.http.service.latencies, 0.5))} / ${fmt(quantile(f.http.service.latencies, 0.99))}` : '—'),
      'p99 < 100 (PostgreSQL)',
    ],
    [
      'bare route p50 / p99 (ms)',
      (f) => (f.http ? `${fmt(quantile(f.http.bare.latencies, 0.5))} / ${fmt(quantile(f.http.bare.latencies, 0.99))}` : '—'),
      '',
    ],
    [
      'route without database under load p50 / p99 (ms)',
      (f) => (f.http ? `${fmt(f.http.probe.p50, 1)} / ${fmt(f.http.probe.p99, 1)}` : '—'),
      '',
    ],
    [
      'event-loop delay under load p50 / p99 / max, worst window (ms)',
      (f) => (f.http ? `${fmt(f.http.loopP50, 1)} / ${fmt(f.http.loopP99, 1)} / ${fmt(f.http.loopMax)}` : '—'),
      'p99 < 50',
    ],
    [
      'service RSS, fresh data directory: at readiness / idle (BENCH_IDLE_SECONDS) / under load (MB)',
      (f) => (f.http ? `${fmt(f.http.rssReady)} / ${fmt(f.http.rssIdle)} / ${fmt(f.http.rssLoad)}` : '—'),
      '< 300 idle (embedded)',
    ],
    ['bare route RSS idle (MB)', (f) => (f.http ? fmt(f.http.bareRssIdle) : '—'), ''],
    [
      'withdrawal → recipient view p50 / p99 (ms)',
      (f) => (f.propagation ? `${fmt(f.propagation.p50)} / ${fmt(f.propagation.p99)}` : '—'),
      'p99 < 100',
    ],
    [
      "withdrawal → redaction at the agency's Kafka consumer p50 / p99 (ms)",
      (f) => (f.feed ? `${fmt(f.feed.p50)} / ${fmt(f.feed.p99)}` : '—'),
      'p99 < 1000 (issue 14)',
    ],
    [
      'rebuild / raw batched INSERT',
      (f) =>
        f.rebuild
          ? `${fmt(f.rebuild.rebuild / f.rebuild.raw, 2)} (${fmt(f.rebuild.rebuild)} / ${fmt(f.rebuild.raw)} per s, ${f.rebuild.events} events)`
          : '—',
      '≥ 0.8 (PostgreSQL)',
    ],
    [
      'append 1 event / raw INSERT 1 row',
      (f) =>
        f.appendSingle
          ? `${fmt(f.appendSingle.store / f.appendSingle.raw, 2)} (${fmt(f.appendSingle.store)} / ${fmt(f.appendSingle.raw)} per s)`
          : '—',
      '',
    ],
    [
      `append ${BATCH} events / raw INSERT ${BATCH} rows`,
      (f) =>
        f.appendBatch
          ? `${fmt(f.appendBatch.store / f.appendBatch.raw, 2)} (${fmt(f.appendBatch.store)} / ${fmt(f.appendBatch.raw)} per s)`
          : '—',
      '',
    ],
  ];
  const cells = rows.map(([label, value, target]) => [label, ...drivers.map((d) => value(all[d]!)), target]);
  const header = ['measure (same run)', ...drivers, 'target (issue 11)'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `\n${QUICK ? 'BENCH_QUICK: a development pass, too small for figures to quote.\n' : ''}Every replay and load above was checked complete.\n`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  if (!kurrentdb) return;
  const ratio = ({ raw, adapter }: { raw: number; adapter: number }) =>
    `${fmt(adapter / raw, 2)} (${fmt(adapter)} / ${fmt(raw)} events per s)`;
  console.log(`\nKurrentDB adapter appendToStream / raw client appendToStream, on ${kurrentdb.where}:`);
  console.log(`  1 event per append:  ${ratio(kurrentdb.single)}`);
  console.log(`  ${BATCH} events per append: ${ratio(kurrentdb.batch)}`);
}

/** The measures that run against one SQL database each, in this order. */
const SQL_BENCHMARKS = [
  ['appends', appendBenchmark],
  ['rebuild', rebuildBenchmark],
  ['propagation', propagationBenchmark],
  ['feed', feedBenchmark],
] as const satisfies ReadonlyArray<readonly [Measure, (db: SqlDatabase, figures: Figures) => Promise<void>]>;

async function main() {
  if (!QUICK && EVENTS < 20_000)
    console.log(`BENCH_EVENTS=${EVENTS}: fewer than 20,000 events per measure; figures are not stable enough to quote.`);
  console.log(
    `Benchmarks: ${EVENTS} events per measure, ${ROUNDS} rounds with baseline and measure alternating${QUICK ? ' (BENCH_QUICK)' : ''}`,
  );
  const all: Record<string, Figures> = {};
  const dir = await mkdtemp(join(tmpdir(), 'referral-bench-'));
  try {
    const figures: Figures = (all.PGlite = {});
    console.log('\nPGlite (data directories on disk)');
    // A fresh database per measure: each replays only its own events.
    for (const [name, bench] of SQL_BENCHMARKS.filter(([name]) => ONLY.has(name))) {
      const db = await PgliteDatabase.open(join(dir, name));
      try {
        await bench(db, figures);
      } finally {
        await db.close();
      }
    }
    if (ONLY.has('http')) await httpBenchmark(join(dir, 'http'), () => undefined, figures);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('\nDATABASE_URL is not set: PostgreSQL benchmarks skipped.');
  } else {
    const figures: Figures = (all.PostgreSQL = {});
    console.log('\nPostgreSQL');
    const prefix = `bench_${randomBytes(4).toString('hex')}`;
    const schemas = ['appends', 'rebuild', 'propagation', 'feed', 'service', 'bare'].map((s) => `${prefix}_${s}`);
    const admin = await PostgresDatabase.open(url, { max: 1 });
    await admin.exec(schemas.map((s) => `CREATE SCHEMA ${s};`).join('\n'));
    const httpDir = await mkdtemp(join(tmpdir(), 'referral-bench-'));
    try {
      for (const [name, bench] of SQL_BENCHMARKS.filter(([name]) => ONLY.has(name))) {
        const db = await PostgresDatabase.open(url, { searchPath: `${prefix}_${name}` });
        try {
          await bench(db, figures);
        } finally {
          await db.close();
        }
      }
      const separator = url.includes('?') ? '&' : '?';
      if (ONLY.has('http'))
        await httpBenchmark(
          httpDir,
          (schema) => `${url}${separator}options=${encodeURIComponent(`-c search_path=${prefix}_${schema}`)}`,
          figures,
        );
    } finally {
      await rm(httpDir, { recursive: true, force: true });
      await admin.exec(schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE;`).join('\n'));
      await admin.close();
    }
  }
  const kurrentdb = ONLY.has('kurrentdb')
    ? await kurrentDbAppendBenchmark({ events: EVENTS, rounds: ROUNDS, batch: BATCH, interleaved, timed, payload, expectCount })
    : undefined;
  report(all, kurrentdb);
}

main().catch((error: unknown) => {
  process.stdout.write('\n');
  if (error instanceof IncompleteError) console.error(`BENCH FAILED, figures withheld: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
