import type { Client } from '@temporalio/client';
import { loadRuntimeConfig, type RuntimeConfig } from '../config';
import { connectClient } from '../temporal/temporal-client';
import { CliExit, EXIT } from './exit-codes';

/** Connects to the configured Temporal frontend, failing with exit code 3 when it is unreachable. */
export async function withTemporalClient<T>(body: (client: Client, runtime: RuntimeConfig) => Promise<T>): Promise<T> {
  const runtime = loadRuntimeConfig();
  let client: Client;
  try {
    client = await connectClient(runtime.temporal, 5_000);
  } catch (err) {
    throw new CliExit(
      `Temporal is not reachable at ${runtime.temporal.address} (${(err as Error).message}). Start it with \`shopkit-sync dev-server\` or set TEMPORAL_ADDRESS.`,
      EXIT.unavailable,
    );
  }
  try {
    return await body(client, runtime);
  } finally {
    await client.connection.close();
  }
}

/** Says so on stderr when no worker polls the task queue, since a started workflow would then wait. */
export async function warnIfNoWorker(client: Client, runtime: RuntimeConfig): Promise<void> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: runtime.temporal.namespace,
    taskQueue: { name: runtime.temporal.taskQueue },
  });
  if (!pollers || pollers.length === 0) {
    process.stderr.write(
      `warning: no worker is polling task queue "${runtime.temporal.taskQueue}" yet; start one with \`shopkit-sync worker\`\n`,
    );
  }
}
