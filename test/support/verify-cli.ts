import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { madeOnce } from '../../libs/testing/index.js';

export interface VerifyCli {
  /** Runs `verify` with these settings and arguments; its exit code and output. */
  run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/**
 * `npm run verify` compiled from the current source, as it runs. A test run compiles it once into its
 * own scratch folder (TEST_RUN_DIR, set by jest's global setup; compiling the project takes about 13 s
 * of CPU), beside the project's package.json and a link to its node_modules, so that it loads as it does
 * in place. Without that setup, each call compiles into a folder of its own inside the project.
 */
export async function buildVerifyCli(): Promise<VerifyCli> {
  const run = process.env.TEST_RUN_DIR;
  const build = run ? await sharedBuild(join(run, 'verify-cli')) : await compiled(await ownFolder());
  return {
    run: (env, ...args) =>
      new Promise((resolve) => {
        execFile('node', [join(build, 'src/verify.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      }),
    // The run's build is removed with the run's folder.
    remove: run ? async () => undefined : () => rm(build, { recursive: true, force: true }),
  };
}

async function compiled(folder: string): Promise<string> {
  await promisify(execFile)('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', folder]);
  return folder;
}

async function ownFolder(): Promise<string> {
  await mkdir('.test-build', { recursive: true });
  return mkdtemp(join('.test-build', 'verify-'));
}

function sharedBuild(path: string): Promise<string> {
  return madeOnce(path, 'src/verify.js', async (folder) => {
    await compiled(folder);
    await copyFile('package.json', join(folder, 'package.json'));
    await symlink(resolve('node_modules'), join(folder, 'node_modules'), 'dir');
  });
}
