import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKey, loadOrCreateMasterKeyFile } from './master-key.js';

describe('loadOrCreateMasterKeyFile', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'master-key-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('creates a key readable only by its owner, then reads the same key back', async () => {
    const path = join(directory, 'data', 'master.key');
    const first = await loadOrCreateMasterKeyFile(path);
    expect(first.created).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateMasterKeyFile(path);
    expect(second.created).toBe(false);
    expect(second.key.toBase64()).toBe(first.key.toBase64());
    expect(await readdir(join(directory, 'data'))).toEqual(['master.key']);
  });

  it('keeps one key when several starts race to create it', async () => {
    const path = join(directory, 'master.key');
    const results = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateMasterKeyFile(path)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const onDisk = (await loadOrCreateMasterKeyFile(path)).key.toBase64();
    for (const result of results) expect(result.key.toBase64()).toBe(onDisk);
    expect(await readdir(directory)).toEqual(['master.key']);
  });

  it('refuses a file that does not hold a key, naming the file and not its contents', async () => {
    const path = join(directory, 'master.key');
    const contents = MasterKey.generate().toBase64().slice(0, 30);
    await writeFile(path, contents);
    const failure = loadOrCreateMasterKeyFile(path);
    await expect(failure).rejects.toThrow(path);
    await expect(failure).rejects.not.toThrow(contents);
  });
});
