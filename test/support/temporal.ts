import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../src/config';
import { createWorker, type CreateWorkerOptions } from '../../src/worker';
import { readTestRuntime } from './test-runtime';

export interface TemporalTestContext {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  address: string;
  close(): Promise<void>;
}

/** Connects a client and a worker connection to the run's dev server. */
export async function connectTemporal(): Promise<TemporalTestContext> {
  quietRuntime();
  const runtime = readTestRuntime();
  const connection = await Connection.connect({ address: runtime.address });
  const nativeConnection = await NativeConnection.connect({ address: runtime.address });
  return {
    client: new Client({ connection, namespace: runtime.namespace }),
    connection,
    nativeConnection,
    address: runtime.address,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

let queueCounter = 0;
/** A task queue unique to this test, so workers of parallel test files never steal each other's tasks. */
export function uniqueTaskQueue(name: string): string {
  queueCounter += 1;
  return `test-${name}-${process.pid}-${queueCounter}`;
}

/** A worker on the shared workflow bundle, for a configuration built from `env`. */
export async function createTestWorker(
  ctx: TemporalTestContext,
  env: Record<string, string>,
  options: Omit<CreateWorkerOptions, 'config' | 'connection'> & { taskQueue: string },
): Promise<{ worker: Worker; config: AppConfig }> {
  const runtime = readTestRuntime();
  const config = loadConfig({ ...env, TEMPORAL_ADDRESS: runtime.address, TEMPORAL_TASK_QUEUE: options.taskQueue });
  const worker = await createWorker({
    config,
    connection: ctx.nativeConnection,
    workflowBundle: { codePath: runtime.bundlePath },
    ...options,
  });
  return { worker, config };
}

/** Worker logs below WARN are noise in test output; the runtime can be installed once per process. */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier test file in this jest worker.
  }
}
