import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { importWorkflowId, progressQuery } from '../../src/contracts';
import { initialImportWorkflow } from '../../src/workflows';
import { allRunHistories, minimalShopkitReads, stateDifferences } from '../support/import-assertions';
import { spawnCli, waitForWorker, type SpawnedProcess } from '../support/processes';
import { READS_LOST_PER_CRASH, shopkitReads } from '../support/sync-scenario';
import { secretsOf, startSandbox, type Sandbox } from '../support/sandbox';
import { readTestRuntime } from '../support/test-runtime';
import { connectClient } from '../../src/temporal/temporal-client';
import { testTemporalSettings } from '../support/temporal';

jest.setTimeout(300_000);

function workerEnv(sandbox: Sandbox, address: string, taskQueue: string): Record<string, string> {
  return { ...sandbox.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, SHUTDOWN_GRACE_MS: '2000' };
}

async function waitForPages(client: Client, storeId: string, atLeast: number): Promise<void> {
  const handle = client.workflow.getHandle(importWorkflowId(storeId));
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    const done = Object.values(progress?.resources ?? {}).reduce((sum, r) => sum + (r?.pagesDone ?? 0), 0);
    if (done >= atLeast) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import of ${storeId} did not reach ${atLeast} pages`);
}

describe('initial import with the worker as a separate process', () => {
  const workers: SpawnedProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });

  it('survives kill -9 of the worker mid-import: same exact state, at most the pages in flight read again', async () => {
    const { address } = readTestRuntime();
    const client = await connectClient(testTemporalSettings(address));
    const connection = client.connection;
    const storeId = `store-kill-${Date.now()}`;
    const taskQueue = `e2e-kill-${process.pid}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 150, clients: 500, orders: 2000 },
      shopkitPerSecond: 15,
      shopimindPerSecond: 1000,
    });
    try {
      workers.push(spawnCli(['worker'], workerEnv(sandbox, address, taskQueue)));
      await waitForWorker(client, taskQueue);
      const handle = await client.workflow.start(initialImportWorkflow, {
        taskQueue,
        workflowId: importWorkflowId(storeId),
        args: [{ storeId }],
      });
      const killAt = 5 + Math.floor(Math.random() * 40);
      await waitForPages(client, storeId, killAt);
      const killed = workers[0] as SpawnedProcess;
      expect(await killed.stop('SIGKILL')).toBeNull();

      workers.push(spawnCli(['worker'], workerEnv(sandbox, address, taskQueue)));
      const progress = await handle.result();

      expect({ killAt, differences: stateDifferences(sandbox, progress) }).toEqual({ killAt, differences: [] });
      expect(progress.rejectedTotal).toBe(0);
      const reads = shopkitReads(sandbox.shopkit.kit.stats());
      const guests = sandbox.shopkit.generator.guestBuyers;
      expect(reads).toBeGreaterThanOrEqual(minimalShopkitReads(progress, guests));
      // A restarted worker may search again for buyers without a client record whose row was not written yet.
      expect(reads).toBeLessThanOrEqual(minimalShopkitReads(progress, guests) + guests + READS_LOST_PER_CRASH);
      for (const history of await allRunHistories(client, handle.workflowId, handle.firstExecutionRunId)) {
        for (const secret of secretsOf(sandbox)) expect(history).not.toContain(secret);
      }
      // The worker's own logs are structured JSON and carry no secret either.
      const logs = workers.map((worker) => worker.output()).join('\n');
      for (const secret of secretsOf(sandbox)) expect(logs).not.toContain(secret);
    } finally {
      await sandbox.close();
      await connection.close();
    }
  });

  it('completes after the Temporal dev server restarts mid-import on the same SQLite file', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'restart-')), 'temporal.sqlite');
    const port = await freePort();
    let server: DevServer = await startDevServer({ dbFile, port, uiPort: false });
    const client = await connectClient(testTemporalSettings(server.address));
    const connection = client.connection;
    const storeId = `store-restart-${Date.now()}`;
    const taskQueue = `e2e-restart-${process.pid}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 100, clients: 300, orders: 1500 },
      shopkitPerSecond: 15,
      shopimindPerSecond: 1000,
    });
    try {
      workers.push(spawnCli(['worker'], workerEnv(sandbox, server.address, taskQueue)));
      await waitForWorker(client, taskQueue);
      const handle = await client.workflow.start(initialImportWorkflow, {
        taskQueue,
        workflowId: importWorkflowId(storeId),
        args: [{ storeId }],
      });
      await waitForPages(client, storeId, 20);
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      server = await startDevServer({ dbFile, port, uiPort: false });

      const progress = await handle.result();
      expect(progress.phase).toBe('done');
      expect(stateDifferences(sandbox, progress)).toEqual([]);
    } finally {
      await sandbox.close();
      await connection.close();
      await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
      await server.stop();
    }
  });
});
