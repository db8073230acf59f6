/**
 * The real service started on the scale check's embedded database with every event still to
 * project (issue 11: listening in under 5 s, readiness saying "catching up"), then an agency's case
 * list read page by page over HTTP, cold and warm.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import type { SqlDatabase } from '../libs/sql/index.js';
import { hashPassword } from '../src/identity/password.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../src/read-models.js';
import { WORKLOAD_AGENCIES, registerWorkloadAgencies } from './case-workload.js';
import { quantile } from './load.js';

const USERNAME = 'scale.caseworker';
const PAGES = 20;

/**
 * A caseworker of the agency that owns the workload's cases, and the read models emptied as a
 * rebuild empties them (the append-only trail and chain keep their rows): the service finds every
 * event to project at its start. Returns the caseworker's password.
 */
export async function leaveEverythingToProject(db: SqlDatabase): Promise<string> {
  const password = randomBytes(12).toString('base64url');
  await registerWorkloadAgencies(db);
  await db.query('INSERT INTO users (id, username, display_name, agency_id, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
    randomUUID(),
    USERNAME,
    'Scale caseworker',
    WORKLOAD_AGENCIES.owner.agencyId,
    'caseworker',
    await hashPassword(password),
  ]);
  await new ProjectionRunner(READ_MODELS_RUNNER, db, new SqlEventStore(db), READ_MODELS).empty();
  return password;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Starts the built service on `dataDir`, measures its start and its case list; true when every figure was taken. */
export async function serviceOnScale(dataDir: string, password: string, cases: number): Promise<boolean> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const service: ChildProcess = fork(new URL('../src/main.js', import.meta.url), [], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO_NETWORK: 'false', DATABASE_URL: '', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => service.once('exit', resolve));
  try {
    const get = async (path: string, token?: string) => {
      try {
        const response = await fetch(`${base}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
        return { status: response.status, text: await response.text() };
      } catch {
        return undefined; // not listening yet
      }
    };
    while ((await get('/health/live'))?.status !== 200) {
      if (service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode} before listening`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const listening = since(started);
    let catchingUp: string | undefined;
    for (;;) {
      const ready = await get('/health/ready');
      if (ready?.status === 200) break;
      const message = /the read models are catching up: \d+% applied/.exec(ready?.text ?? '')?.[0];
      catchingUp ??= message;
      if (message) process.stdout.write(`\r  readiness: ${message.padEnd(50)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const readySeconds = since(started);
    process.stdout.write('\n');

    const signIn = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const token = ((await signIn.json()) as { access_token: string }).access_token;
    /** Walks PAGES pages of the agency's own cases, newest first, by their cursor; milliseconds per page. */
    const walk = async () => {
      const times: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < PAGES; page++) {
        const start = process.hrtime.bigint();
        const answer = await get(`/cases?relation=owner${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
        times.push(since(start) * 1000);
        if (answer?.status !== 200) throw new Error(`GET /cases answered ${answer?.status}`);
        const body = JSON.parse(answer.text) as { items: unknown[]; nextCursor?: string };
        if (body.items.length === 0) throw new Error(`page ${page + 1} of ${cases} cases came back empty`);
        if (!body.nextCursor) break; // a small run's last page
        cursor = body.nextCursor;
      }
      return times;
    };
    const cold = await walk();
    const warm = await walk();
    warm.sort((a, b) => a - b);
    console.log(`  the service on it, every event to project at its start:`);
    console.log(`    listening after                  ${listening.toFixed(1)} s`);
    console.log(`    readiness while catching up      ${catchingUp ? `"${catchingUp}"` : 'never seen: caught up before the first look'}`);
    console.log(`    ready (caught up) after          ${readySeconds.toFixed(1)} s`);
    console.log(`    GET /cases?relation=owner        first page ${cold[0]!.toFixed(1)} ms (the first read), then`);
    console.log(
      `                                     ${warm.length} pages by cursor: median ${quantile(warm, 0.5).toFixed(1)} ms, slowest ${warm.at(-1)!.toFixed(1)} ms`,
    );
    return catchingUp !== undefined || readySeconds < 5;
  } finally {
    service.kill('SIGTERM');
    await exited;
  }
}
