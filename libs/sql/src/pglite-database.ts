import { existsSync } from 'node:fs';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, setEnvironmentData } from 'node:worker_threads';
import { type SqlClient, type SqlDatabase, type SqlSession, type StatementResult, commandOf } from './sql-database.js';

export interface PgliteOptions {
  /**
   * On disk: true (the default) has PostgreSQL fsync its WAL at every commit, so an acknowledged
   * write survives a power loss or an operating-system crash; false is several times faster for
   * writes but such a crash can lose the latest commits or corrupt the directory. A process crash
   * (kill -9) loses nothing either way: written pages are in the operating system's cache.
   */
  readonly fsync?: boolean;
  /** PostgreSQL's shared_buffers, resident once used: 16 (MB) by default, PGlite's own default is 160. */
  readonly sharedBuffersMb?: number;
  /** How often the database thread looks for tables due for ANALYZE or VACUUM (PGlite has no autovacuum). */
  readonly maintenanceIntervalMs?: number;
}

/** The messages to the database thread (pglite-worker.mjs). */
type Request =
  | { kind: 'query'; sql: string; params: readonly unknown[]; holder?: number }
  | { kind: 'exec'; script: string; holder?: number }
  | { kind: 'acquire' | 'release'; holder: number; sql?: string }
  | { kind: 'maintain' | 'close' };
interface Failure {
  message: string;
  name: string;
  fields: Record<string, string | number>;
}
type Reply = { id: number } & ({ ok: true; rows: unknown[]; rowCount: number } | { ok: false; error: Failure });
/** A compiled WebAssembly.Module (this project's TypeScript libraries do not declare WebAssembly): only passed along. */
type CompiledWasm = object;
/** A thread's ready message carries its compiled module; a child process's (creating a directory) does not. */
type Ready = { ready: true; wasmModule?: CompiledWasm } | { ready: false; error: Failure };

const WORKER = new URL('./pglite-worker.mjs', import.meta.url);

/**
 * PGlite is one connection, owned by a worker thread so that its CPU time (most of the service's,
 * under write load) is not spent on the thread that answers HTTP. The thread runs one message at a
 * time, in order. A transaction or a session first acquires the thread: from then on only its own
 * statements run, the others wait in the queue until it releases, so a statement issued by one
 * request can never land inside another request's transaction.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly driver = 'pglite' as const;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private nextId = 1;
  private nextHolder = 1;
  /** Set once the thread has gone (closed, or crashed): every later call fails with it. */
  private gone?: Error;

  private constructor(
    private readonly worker: Worker,
    private readonly release: () => Promise<void>,
  ) {
    worker.on('message', (reply: Reply) => {
      const settle = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      settle?.(reply);
    });
    const stop = (error: Error) => {
      this.gone ??= error;
      const failure = { message: this.gone.message, name: this.gone.name, fields: {} };
      for (const [id, settle] of this.waiting) settle({ id, ok: false, error: failure });
      this.waiting.clear();
    };
    worker.on('error', (error) => stop(new Error(`the embedded database stopped: ${error.message}`)));
    worker.on('exit', () => stop(new Error('the embedded database is closed')));
    // The thread keeps the process alive only while a statement is outstanding, as a socket would.
    worker.unref();
  }

  /**
   * `dataDir` undefined keeps the database in memory (tests). A data directory is one process's
   * alone: a second process (a rebuild while the service runs) is refused rather than let it
   * corrupt the files.
   */
  static async open(dataDir?: string, options: PgliteOptions = {}): Promise<PgliteDatabase> {
    const release = dataDir ? await lockDirectory(`${dataDir}.lock`) : async () => undefined;
    const settings = {
      dataDir,
      fsync: options.fsync ?? true,
      sharedBuffersMb: options.sharedBuffersMb ?? 16,
      maintenanceIntervalMs: options.maintenanceIntervalMs ?? 10_000,
    };
    try {
      // initdb grows the WebAssembly memory to about 800 MB, and a thread that ends leaves some
      // 180 MB of it behind: a new directory is created by a child process, then opened by the thread.
      if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await createDirectory({ ...settings, createOnly: true });
      return new PgliteDatabase(await startWorker(settings), release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.call({ kind: 'query', sql, params })).rows as Row[];
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.hold({ begin: 'BEGIN', commit: 'COMMIT', rollback: 'ROLLBACK' }, (run) =>
      work({ query: async <Row>(sql: string, params?: readonly unknown[]) => (await run<Row>(sql, params)).rows }),
    );
  }

  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    // The caller issues BEGIN/COMMIT itself (TypeORM).
    return this.hold({}, (run, exec) =>
      work({ run, exec, query: async <Row>(sql: string, params?: readonly unknown[]) => (await run<Row>(sql, params)).rows }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.call({ kind: 'exec', script });
  }

  /** ANALYZE and VACUUM now the tables that changed enough, as the database thread does every few seconds. */
  async maintain(): Promise<void> {
    await this.call({ kind: 'maintain' });
  }

  async close(): Promise<void> {
    try {
      await this.call({ kind: 'close' });
    } finally {
      await this.worker.terminate();
      await this.release();
    }
  }

  /**
   * Has the database thread to itself from `begin` to `commit` (or `rollback` when `work` fails):
   * `work` runs here, its statements are sent tagged with the holder.
   */
  private async hold<T>(
    statements: { begin?: string; commit?: string; rollback?: string },
    work: (
      run: <Row>(sql: string, params?: readonly unknown[]) => Promise<StatementResult<Row>>,
      exec: (script: string) => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> {
    const holder = this.nextHolder++;
    await this.call({ kind: 'acquire', holder, sql: statements.begin });
    let open = true;
    const run = async <Row>(sql: string, params: readonly unknown[] = []): Promise<StatementResult<Row>> => {
      if (!open) throw new Error('this transaction has ended');
      const result = await this.call({ kind: 'query', sql, params, holder });
      return { rows: result.rows as Row[], rowCount: result.rowCount, command: commandOf(sql) };
    };
    const exec = async (script: string): Promise<void> => {
      if (!open) throw new Error('this transaction has ended');
      await this.call({ kind: 'exec', script, holder });
    };
    let result: T;
    try {
      result = await work(run, exec);
    } catch (error) {
      open = false;
      await this.call({ kind: 'release', holder, sql: statements.rollback }).catch(() => undefined);
      throw error;
    }
    open = false;
    await this.call({ kind: 'release', holder, sql: statements.commit });
    return result;
  }

  private async call(request: Request): Promise<{ rows: unknown[]; rowCount: number }> {
    if (this.gone) throw this.gone;
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.ref();
      try {
        this.worker.postMessage({ id, ...request });
      } catch (error) {
        // A parameter that cannot be copied to the thread (a function, say): nothing was sent.
        this.waiting.delete(id);
        if (this.waiting.size === 0) this.worker.unref();
        throw error;
      }
    });
    // Made here, after the await, so its stack shows the caller's async frames.
    if (!reply.ok) throw asError(reply.error);
    return reply;
  }
}

/**
 * The compiled PostgreSQL WebAssembly, which each database thread hands back: kept in the
 * process's worker environment data, which every later thread receives, so that none compiles it
 * again. Not a variable of this module: jest loads the module afresh for each test file.
 */
const COMPILED = 'referral-coordination.pglite-wasm-module';

interface WorkerSettings {
  dataDir?: string;
  fsync: boolean;
  sharedBuffersMb: number;
  maintenanceIntervalMs: number;
  createOnly?: boolean;
}

/** A new data directory, created by the database script run as a child process. */
async function createDirectory(settings: WorkerSettings): Promise<void> {
  const child = fork(fileURLToPath(WORKER), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const [ready, code] = await Promise.all([
    new Promise<Ready | undefined>((resolve) => {
      child.once('message', (message: Ready) => resolve(message));
      child.once('exit', () => resolve(undefined));
    }),
    new Promise<number | null>((resolve, reject) => child.once('exit', resolve).once('error', reject)),
  ]);
  if (ready && !ready.ready) throw asError(ready.error);
  if (!ready || code !== 0) throw new Error(`creating the embedded database ended with code ${code}`);
}

/** A database thread that has opened the database. */
async function startWorker(workerData: WorkerSettings): Promise<Worker> {
  const worker = new Worker(WORKER, { workerData });
  try {
    let onError!: (error: Error) => void;
    let onExit!: () => void;
    const ready = await new Promise<Ready>((resolve, reject) => {
      onError = reject;
      onExit = () => reject(new Error('the embedded database thread ended while opening'));
      worker.once('message', resolve).once('error', onError).once('exit', onExit);
    }).finally(() => worker.off('error', onError).off('exit', onExit));
    if (!ready.ready) throw asError(ready.error);
    if (ready.wasmModule) setEnvironmentData(COMPILED, ready.wasmModule);
    return worker;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

/** A database error as PostgreSQL reported it: message, SQLSTATE `code`, detail, constraint, ... */
function asError(failure: Failure): Error {
  const error = new Error(failure.message);
  return Object.assign(error, failure.fields, { name: failure.name });
}

export class DataDirectoryInUseError extends Error {
  constructor(readonly pid: number) {
    super(`the embedded database is open in process ${pid}; stop it first`);
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * A lock file holding our pid, created whole (written aside, then linked into place, so nobody
 * reads it empty). One left by a process that no longer runs is taken over; so is one holding our
 * own pid, as after a restart in a container where the service is always pid 1. Left alone: two
 * processes taking over the same stale lock at the same instant.
 */
async function lockDirectory(file: string): Promise<() => Promise<void>> {
  const mine = String(process.pid);
  const aside = `${file}.${mine}.${Date.now()}`;
  await writeFile(aside, mine);
  try {
    for (;;) {
      try {
        await link(aside, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) throw new DataDirectoryInUseError(holder);
      await rm(file, { force: true });
    }
  } finally {
    await rm(aside, { force: true });
  }
  // Remove it only while it is still ours.
  return async () => {
    if ((await readFile(file, 'utf8').catch(() => '')).trim() === mine) await rm(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
