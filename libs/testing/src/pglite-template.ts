import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PgliteDatabase } from '../../sql/index.js';

let made: Promise<string | undefined> | undefined;

/**
 * Puts a fresh, empty PGlite database directory at `target`, as `PgliteDatabase.open(target)` would
 * create it. PGlite's initdb takes seconds of WebAssembly, nearly all of what a new database costs:
 * the run creates one directory with it, once, and every database after is a copy of that one.
 * The template holds only what initdb writes (nothing migrated), so a copy is a new database.
 * It lives where jest's global setup (test/support/global-setup.mjs) says, in PGLITE_TEMPLATE_DIR,
 * and the global teardown removes it; without that setup, `target` is left for PGlite to create.
 */
export async function freshPgliteDirectory(target: string): Promise<void> {
  made ??= template();
  const source = await made;
  if (source) await cp(source, target, { recursive: true });
}

async function template(): Promise<string | undefined> {
  const path = process.env.PGLITE_TEMPLATE_DIR;
  if (!path) return undefined;
  if (existsSync(join(path, 'PG_VERSION'))) return path;
  // Made aside and renamed into place, so a copy never sees half a directory; jest workers may race to it.
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(dirname(path), { recursive: true });
  await (await PgliteDatabase.open(aside, { fsync: false })).close();
  await rename(aside, path).catch(async (error: unknown) => {
    if (!existsSync(join(path, 'PG_VERSION'))) throw error;
    await rm(aside, { recursive: true, force: true });
  });
  return path;
}
