import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface VerifyCli {
  /** Runs `verify` with these settings and arguments; its exit code and output. */
  run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/** `npm run verify` compiled, as it runs; inside the project, so the compiled code resolves node_modules. */
export async function buildVerifyCli(): Promise<VerifyCli> {
  await mkdir('.test-build', { recursive: true });
  const build = await mkdtemp(join('.test-build', 'verify-'));
  await promisify(execFile)('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', build]);
  return {
    run: (env, ...args) =>
      new Promise((resolve) => {
        execFile('node', [join(build, 'src/verify.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      }),
    remove: () => rm(build, { recursive: true, force: true }),
  };
}
