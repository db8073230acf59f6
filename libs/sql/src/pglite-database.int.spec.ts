import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirectoryInUseError, PgliteDatabase } from './pglite-database.js';

describe('PgliteDatabase: a data directory belongs to one process', () => {
  const withDirectory = async (work: (dataDir: string) => Promise<void>) => {
    const root = await mkdtemp(join(tmpdir(), 'pglite-lock-'));
    try {
      await work(join(root, 'pgdata'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  };

  it('refuses a directory another running process holds, naming that process', () => withDirectory(async (dataDir) => {
    await writeFile(`${dataDir}.lock`, String(process.ppid)); // our parent runs for as long as we do
    await expect(PgliteDatabase.open(dataDir)).rejects.toThrow(DataDirectoryInUseError);
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid));
  }));

  it('takes over the lock of a process that has ended, and releases it on close', () => withDirectory(async (dataDir) => {
    const ended = spawnSync('node', ['-e', '0']).pid!;
    await writeFile(`${dataDir}.lock`, String(ended));
    const db = await PgliteDatabase.open(dataDir);
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    await db.close();
    await expect(readFile(`${dataDir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  }));

  it('leaves a lock that is no longer its own', () => withDirectory(async (dataDir) => {
    const db = await PgliteDatabase.open(dataDir);
    await writeFile(`${dataDir}.lock`, String(process.ppid));
    await db.close();
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid));
  }));
});
