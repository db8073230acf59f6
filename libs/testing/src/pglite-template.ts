import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PgliteDatabase, type SqlDatabase } from '../../sql/index.js';
import { madeOnce } from './made-once.js';

/** What a template holds beyond initdb's output, made once a run: its name tells the templates apart. */
export interface PgliteTemplateContents {
  readonly name: string;
  prepare(db: SqlDatabase): Promise<unknown>;
}

const made = new Map<string, Promise<string | undefined>>();

/**
 * Puts a fresh PGlite database directory at `target`, as `PgliteDatabase.open(target)` would create
 * it, then with `contents` prepared in it if given (a migrated schema, say). PGlite's initdb takes
 * seconds of WebAssembly, nearly all of what a new database costs, and migrating takes seconds more:
 * the run makes each template directory once, and every database after is a copy of one.
 * Without `contents` the template holds only what initdb writes, so a copy is a new, empty database.
 * The templates live where jest's global setup (test/support/global-setup.mjs) says, in
 * PGLITE_TEMPLATE_DIR, and the global teardown removes them; without that setup, `target` is left
 * for PGlite to create (and `contents` for its user to prepare).
 */
export async function freshPgliteDirectory(target: string, contents?: PgliteTemplateContents): Promise<void> {
  const name = contents?.name ?? '';
  if (!made.has(name)) made.set(name, template(contents));
  const source = await made.get(name);
  // The system's cp copies the thousand files in a half (on disk) to a fifth (in memory) of fs.cp's time;
  // `source/.` copies the contents, into `target` whether it exists yet or not, as fs.cp does.
  if (source) await promisify(execFile)('cp', ['-R', `${source}/.`, target]);
}

async function template(contents?: PgliteTemplateContents): Promise<string | undefined> {
  const base = process.env.PGLITE_TEMPLATE_DIR;
  if (!base) return undefined;
  return madeOnce(contents ? `${base}-${contents.name}` : base, 'PG_VERSION', async (folder) => {
    if (contents) await freshPgliteDirectory(folder);
    const db = await PgliteDatabase.open(folder, { fsync: false });
    try {
      await contents?.prepare(db);
    } finally {
      await db.close();
    }
  });
}
