import type { Client, ConnectionLike } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../src/config';
import { connectClient, connectWorkerConnection, type TemporalSettings } from '../../src/temporal/temporal-client';
import { createWorker, type CreateWorkerOptions } from '../../src/worker';
import { readTestRuntime } from './test-runtime';

export interface TemporalTestContext {
  client: Client;
  connection: ConnectionLike;
  nativeConnection: NativeConnection;
  address: string;
  close(): Promise<void>;
}

/** The run's dev server and payload key, as the product's Temporal client module takes them. */
export function testTemporalSettings(address = readTestRuntime().address): TemporalSettings {
  const runtime = readTestRuntime();
  return { address, namespace: runtime.namespace, payloadKey: runtime.payloadKey };
}

/** Connects a client and a worker connection to the run's dev server, with the product's payload codec. */
export async function connectTemporal(): Promise<TemporalTestContext> {
  quietRuntime();
  const settings = testTemporalSettings();
  const client = await connectClient(settings);
  const connection = client.connection;
  const nativeConnection = await connectWorkerConnection(settings);
  return {
    client,
    connection,
    nativeConnection,
    address: settings.address,
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

/**
 * A worker on the shared workflow bundle, for a configuration built from `env`. Another worker on the same
 * task queue in this process needs a `connection` of its own (the SDK allows one per queue and connection).
 */
export async function createTestWorker(
  ctx: TemporalTestContext,
  env: Record<string, string>,
  options: Omit<CreateWorkerOptions, 'config' | 'connection'> & { taskQueue: string; connection?: NativeConnection },
): Promise<{ worker: Worker; config: AppConfig }> {
  const runtime = readTestRuntime();
  const config = loadConfig({
    TEMPORAL_PAYLOAD_KEY: runtime.payloadKey,
    ...env,
    TEMPORAL_ADDRESS: runtime.address,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
  });
  const { connection = ctx.nativeConnection, ...rest } = options;
  const worker = await createWorker({
    config,
    connection,
    workflowBundle: { codePath: runtime.bundlePath },
    ...rest,
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
