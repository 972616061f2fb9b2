import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@temporalio/client';

const root = resolve(__dirname, '..', '..');

export interface SpawnedProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM (or the given signal) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `shopkit-sync <args>` from the checkout as a separate process, capturing its output. Node loads
 * the TypeScript through tsx's hooks in the same process (not the `tsx` wrapper, which would leave its
 * child running when killed with SIGKILL); `built` runs `npm run build`'s output instead, as the
 * container image does. `PROFILE_CLI_DIR` writes a CPU profile of each process there (`--cpu-prof`). `cwd` runs it
 * outside the checkout, so that what it writes relative to its working directory (`.data/…`) lands there.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  options: { built?: boolean; cwd?: string } = {},
): SpawnedProcess {
  // tsx and the project's tsconfig named by path: the working directory may be anywhere.
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
  const entry = options.built
    ? [resolve(root, 'dist/cli/main.js')]
    : ['--import', tsx, resolve(root, 'src/cli/main.ts')];
  const profile = process.env.PROFILE_CLI_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_CLI_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...entry, ...args], {
    cwd: options.cwd ?? root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.json'),
      ...env,
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const proc = spawnCli(args, env);
  const code = await new Promise<number | null>((done) => proc.child.once('exit', (c) => done(c)));
  return { code, output: proc.output() };
}

/**
 * Waits until `workers` worker processes (distinct poller identities) poll the task queue, so a test does not
 * race the workers' start-up.
 */
export async function waitForWorker(client: Client, taskQueue: string, timeoutMs = 60_000, workers = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // The server lists the pollers of one partition of a task queue: look at each (a real server has four).
  const partitions = [taskQueue, ...[1, 2, 3].map((n) => `/_sys/${taskQueue}/${n}`)];
  const seen = new Set<string>();
  while (Date.now() < deadline) {
    for (const name of partitions) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name },
      });
      for (const poller of pollers ?? []) seen.add(poller.identity ?? '');
    }
    if (seen.size >= workers) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fewer than ${workers} workers polled ${taskQueue} within ${timeoutMs} ms`);
}
