import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { importWorkflowId, type ImportProgress } from '../../src/contracts';
import { stateDifferences } from '../support/import-assertions';
import { startSandbox } from '../support/sandbox';
import { connectTemporal, createTestWorker, uniqueTaskQueue } from '../support/temporal';
import { readTestRuntime } from '../support/test-runtime';

const run = promisify(execFile);

describe('operating the import with the official Temporal CLI', () => {
  it('starts an import with `temporal workflow start` and lists it with `temporal workflow list`', async () => {
    const ctx = await connectTemporal();
    const storeId = `store-cli-${Date.now()}`;
    const taskQueue = uniqueTaskQueue('cli');
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 10, clients: 30, orders: 60 },
      shopkitPerSecond: 100,
      shopimindPerSecond: 1000,
    });
    const temporal = findTemporalCli();
    const { address } = readTestRuntime();
    try {
      const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue });
      await worker.runUntil(async () => {
        // The README's command, with this test's address and task queue.
        await run(temporal, [
          'workflow',
          'start',
          '--address',
          address,
          '--type',
          'initialImportWorkflow',
          '--task-queue',
          taskQueue,
          '--workflow-id',
          importWorkflowId(storeId),
          '--input',
          JSON.stringify({ storeId }),
        ]);
        const progress = (await ctx.client.workflow.getHandle(importWorkflowId(storeId)).result()) as ImportProgress;
        expect(progress.phase).toBe('done');
        expect(stateDifferences(sandbox, progress)).toEqual([]);
      });

      // Visibility is updated asynchronously: poll briefly for the completed run.
      let listed: { execution: { workflowId: string }; status: string }[] = [];
      for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
        const { stdout } = await run(temporal, [
          'workflow',
          'list',
          '--address',
          address,
          '--query',
          `ShopkitStore = "${storeId}"`,
          '--output',
          'json',
        ]);
        listed = JSON.parse(stdout || '[]') as typeof listed;
        if (listed.some((entry) => entry.status === 'WORKFLOW_EXECUTION_STATUS_COMPLETED')) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(listed.map((run) => [run.execution.workflowId, run.status])).toEqual([
        [importWorkflowId(storeId), 'WORKFLOW_EXECUTION_STATUS_COMPLETED'],
      ]);
    } finally {
      await sandbox.close();
      await ctx.close();
    }
  });
});
