import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PgliteDatabase } from '../libs/sql/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the embedded service, killed (SIGKILL) in the middle of writes', () => {
  let build: string;
  let dataDir: string;
  let service: ChildProcess | undefined;

  beforeAll(async () => {
    // The service runs as in production: compiled, in a process of its own, its database on disk.
    await mkdir('.test-build', { recursive: true });
    build = await mkdtemp(join('.test-build', 'embedded-'));
    await promisify(execFile)('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', build]);
    await cp('src/directory/hsds', join(build, 'src/directory/hsds'), { recursive: true }); // as `npm run build` does
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-crash-'));
  }, 180_000);

  afterAll(async () => {
    service?.kill('SIGKILL');
    if (build) await rm(build, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write: the directory reopens cleanly with every case that got its 201', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _url, ...rest } = process.env;
    let output = '';
    service = spawn('node', [join(build, 'src/main.js')], {
      env: { ...rest, DATA_DIR: dataDir, PORT: String(port), DEMO_NETWORK: 'true', WRITES_PER_MINUTE: '100000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    service.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => service!.once('exit', () => resolve()));

    for (
      let attempt = 0;
      !(await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      ));
      attempt++
    ) {
      if (attempt > 600 || service.exitCode !== null) throw new Error(`the service did not start: ${output}`);
      await sleep(200);
    }
    const password = (await readFile(join(dataDir, 'demo-password'), 'utf8')).trim();
    const signIn = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'caseworker.social', password }),
    });
    const token = ((await signIn.json()) as { access_token: string }).access_token;

    // Writers keep going until the kill; only a 201 counts as acknowledged.
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async () => {
      while (!killed) {
        try {
          const response = await fetch(`${base}/cases`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ source: 'hotline', ageGroup: 'adult', indicators: ['work.forced_to_work'] }),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { caseId: string }).caseId);
        } catch {
          // The connection died with the process: that write was never acknowledged.
        }
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    while (acknowledged.length < 40) {
      if (service.exitCode !== null) throw new Error(`the service stopped: ${output}`);
      await sleep(20);
    }
    service.kill('SIGKILL');
    await exited;
    killed = true;
    await Promise.all(writers);

    // The lock of the killed process is taken over; PostgreSQL replays its WAL on open.
    const db = await PgliteDatabase.open(join(dataDir, 'pgdata'));
    try {
      const streams = new Set(
        (await db.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'case-%'`)).map(
          (r) => r.stream_id,
        ),
      );
      const missing = acknowledged.filter((caseId) => !streams.has(`case-${caseId}`));
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      expect(missing).toEqual([]);
    } finally {
      await db.close();
    }
  }, 300_000);
});
