import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The folder at `path`, made by `make` unless it is there already (`marker`, a file inside it, says
 * it is complete), for what a test run makes once and its files share. Made aside and renamed into
 * place, so no reader sees half of it; when jest workers race to it, the first rename wins and the
 * others drop their copy.
 */
export async function madeOnce(path: string, marker: string, make: (folder: string) => Promise<void>): Promise<string> {
  if (existsSync(join(path, marker))) return path;
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(dirname(path), { recursive: true });
  await make(aside);
  await rename(aside, path).catch(async (error: unknown) => {
    if (!existsSync(join(path, marker))) throw error;
    await rm(aside, { recursive: true, force: true });
  });
  return path;
}
