// The thread that owns the embedded database. Plain JavaScript beside pglite-database.ts, because a
// worker thread cannot load TypeScript (under jest) and the compiled service loads it from dist/
// (the build copies it). The message shapes are declared in pglite-database.ts.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getEnvironmentData, parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * A worker thread owns the database; a new directory is created by a child process instead
 * (`createOnly`, settings in argv): initdb grows the WebAssembly memory to about 800 MB, and a
 * thread that ends leaves some 180 MB of it in the process for good, a process none.
 * @type {{ dataDir?: string, fsync: boolean, sharedBuffersMb: number, maintenanceIntervalMs: number, createOnly?: boolean }}
 */
const { dataDir, fsync, sharedBuffersMb, maintenanceIntervalMs, createOnly } = parentPort ? workerData : JSON.parse(process.argv[2]);
/** The child process says how it went, then lets go of its channel so that it can end. */
const port = parentPort ?? {
  postMessage: (/** @type {any} */ message) => process.send?.(message, () => process.disconnect()),
  on: () => undefined,
};

/**
 * PostgreSQL's WebAssembly, compiled: seconds of CPU at every open if PGlite compiles it itself. A
 * module compiled by an earlier thread of this process comes in the environment data (the key is
 * pglite-database.ts's); otherwise this thread compiles it and hands it back with its ready message.
 */
const wasmModule =
  /** @type {WebAssembly.Module | undefined} */ (getEnvironmentData('referral-coordination.pglite-wasm-module')) ??
  (await WebAssembly.compile(readFileSync(new URL('./pglite.wasm', import.meta.resolve('@electric-sql/pglite')))));

/**
 * PGlite's Node file system implements neither fsync nor fdatasync (both return at once), and
 * PGlite starts PostgreSQL with -F (fsync off). Durable mode gives the file system a real fsync and
 * starts PostgreSQL with fsync on and WAL flushed by fsync, so a commit is on disk when acknowledged.
 */
class DurableNodeFS extends NodeFS {
  /** @param {any} pg @param {any} opts */
  async init(pg, opts) {
    const result = await super.init(pg, opts);
    const preRun = /** @type {Array<(mod: any) => void>} */ (result.emscriptenOpts.preRun ?? []);
    result.emscriptenOpts.preRun = [
      ...preRun,
      (mod) => {
        mod.NODEFS.stream_ops.fsync = (/** @type {{ nfd: number }} */ stream) => {
          try {
            fsyncSync(stream.nfd);
            return 0;
          } catch {
            throw new mod.FS.ErrnoError(29); // EIO: PostgreSQL then stops rather than trust unsynced data
          }
        };
      },
    ];
    return result;
  }
}

/** Files created before fsync was in force (initdb writes a new directory without it). */
function syncTree(path) {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) syncTree(join(path, entry.name));
    else if (entry.isFile()) syncPath(join(path, entry.name));
  }
  syncPath(path);
}
function syncPath(path) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function openDatabase() {
  // PGlite's default shared_buffers (160 MB) are resident once used; the operating system caches the files anyway.
  const buffers = ['-c', `shared_buffers=${sharedBuffersMb}MB`];
  const pgliteWasmModule = wasmModule;
  if (!dataDir) return PGlite.create({ startParams: [...PGlite.defaultStartParams, ...buffers], pgliteWasmModule });
  if (!fsync) return PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...buffers], pgliteWasmModule });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const startParams = [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'wal_sync_method=fsync', ...buffers];
  const db = await PGlite.create({ fs: new DurableNodeFS(dataDir), startParams, pgliteWasmModule });
  if (fresh) syncTree(dataDir);
  return db;
}

/**
 * PGlite runs PostgreSQL without autovacuum: tables would never be analysed (the planner guesses,
 * as on a table of unknown size) nor vacuumed (updated read models would only grow). The same
 * thresholds autovacuum uses pick the tables that changed enough since their last turn.
 */
const DUE_TABLES = `
  SELECT format('%I.%I', s.schemaname, s.relname) AS name,
         s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0) AS vacuum
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
   WHERE s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
      OR s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
      OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0)`;

async function maintain() {
  changesSinceMaintenance = 0;
  if (db.isInTransaction()) return;
  // Statistics reach pg_stat_user_tables when the backend goes idle, at most once a second unless forced.
  await db.query('SELECT pg_stat_force_next_flush()');
  const due = /** @type {{ rows: Array<{ name: string, vacuum: boolean }> }} */ (await db.query(DUE_TABLES)).rows;
  for (const table of due) await db.exec(`${table.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${table.name}`);
}

/** @type {PGlite} */
let db;
/** The transaction or session that has the database to itself, or null. */
let holder = null;
/** Messages waiting their turn, oldest first; while a holder is active only its own are taken. */
const queue = [];
let running = false;
/** Rows changed since the last look; above 0 on disk at first, to look at what changed before this process opened it. */
let changesSinceMaintenance = dataDir ? 1 : 0;

function take() {
  if (holder === null) return queue.shift();
  const index = queue.findIndex((message) => message.holder === holder);
  return index < 0 ? undefined : queue.splice(index, 1)[0];
}

async function pump() {
  if (running) return;
  running = true;
  for (let message = take(); message; message = take()) {
    const reply = await handle(message);
    if (message.id === undefined) continue;
    try {
      port.postMessage({ id: message.id, ...reply });
    } catch (error) {
      // A value the thread boundary cannot carry: the caller gets an error rather than no answer.
      port.postMessage({ id: message.id, ok: false, error: describe(error) });
    }
  }
  running = false;
}

async function handle(message) {
  try {
    if (message.holder !== undefined && message.kind !== 'acquire' && message.holder !== holder)
      throw new Error('this transaction has ended');
    switch (message.kind) {
      case 'query': {
        const result = await db.query(message.sql, message.params);
        changesSinceMaintenance += result.affectedRows ?? 0;
        return { ok: true, rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      case 'exec':
        await db.exec(message.script);
        changesSinceMaintenance++;
        return { ok: true, rows: [], rowCount: 0 };
      case 'acquire':
        holder = message.holder;
        try {
          if (message.sql) await db.query(message.sql);
        } catch (error) {
          holder = null;
          throw error;
        }
        return { ok: true, rows: [], rowCount: 0 };
      case 'release':
        try {
          if (message.sql) await db.query(message.sql);
        } finally {
          holder = null;
        }
        return { ok: true, rows: [], rowCount: 0 };
      case 'maintain':
        await maintain();
        return { ok: true, rows: [], rowCount: 0 };
      case 'close':
        clearInterval(timer);
        if (dataDir && changesSinceMaintenance > 0) await maintain().catch(() => undefined);
        await db.close();
        return { ok: true, rows: [], rowCount: 0 };
      default:
        throw new Error(`unknown message ${message.kind}`);
    }
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/**
 * An error as plain fields that survive the thread boundary: the SQLSTATE `code` and PostgreSQL's
 * other fields. The statement's parameters are left behind: they may hold personal data.
 */
function describe(error) {
  const fields = {};
  if (error && typeof error === 'object') {
    for (const [key, value] of Object.entries(error)) {
      if (key !== 'params' && (typeof value === 'string' || typeof value === 'number')) fields[key] = value;
    }
  }
  return { message: error instanceof Error ? error.message : String(error), name: error instanceof Error ? error.name : 'Error', fields };
}

const timer = setInterval(() => {
  if (changesSinceMaintenance === 0 || queue.some((message) => message.kind === 'maintain')) return;
  queue.push({ kind: 'maintain' });
  void pump();
}, maintenanceIntervalMs);
timer.unref();

try {
  db = await openDatabase();
  if (createOnly) {
    clearInterval(timer);
    await db.close();
  } else {
    port.on('message', (message) => {
      queue.push(message);
      void pump();
    });
  }
  // A compiled module crosses to threads only: the child process's channel carries JSON.
  port.postMessage(parentPort ? { ready: true, wasmModule } : { ready: true });
} catch (error) {
  clearInterval(timer);
  port.postMessage({ ready: false, error: describe(error) });
}
