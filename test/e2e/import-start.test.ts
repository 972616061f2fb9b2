import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  importWorkflowId,
  resumeSignal,
  storeSyncWorkflowId,
  syncStatusQuery,
  type ImportProgress,
} from '../../src/contracts';
import { startStoreImport, syncWorkflowStart } from '../../src/temporal/store-workflow-starts';
import { initialImportWorkflow, storeSyncWorkflow } from '../../src/workflows';
import { stateDifferences } from '../support/import-assertions';
import { runCli, waitForWorker } from '../support/processes';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { readTestRuntime } from '../support/test-runtime';
import { until } from '../support/until';

/**
 * The CLI, the gateway and the demo start an import through one function (`startStoreImport`): the
 * store's sync holds its events first, a running or completed import is not started twice, and a new
 * import after a completed one needs `--again`. The gateway's route is covered by the store-sync test.
 */
describe('starting an import: the same rules from the CLI as from the gateway', () => {
  const store = smallStore('start');

  it('holds the sync, refuses a second start while one runs or after one completed, and imports again on --again', async () => {
    const { ctx, sandbox, storeId, taskQueue } = store;
    const env = { ...sandbox.env, TEMPORAL_ADDRESS: readTestRuntime().address, TEMPORAL_TASK_QUEUE: taskQueue };
    const cli = (...args: string[]) => runCli(['import', storeId, ...args], env);
    const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue });
    await worker.runUntil(async () => {
      await waitForWorker(ctx.client, taskQueue);
      // Slow Shopkit down so the first import is still running when the test looks at it.
      sandbox.shopkit.kit.setFaults({ latencyMs: 500, latencyRate: 1 });
      const first = await cli();
      expect(first.code).toBe(0);
      expect(first.output).toContain(`Started ${importWorkflowId(storeId)}`);

      // The sync exists and holds its events while the import runs.
      const sync = ctx.client.workflow.getHandle(storeSyncWorkflowId(storeId));
      expect((await sync.query(syncStatusQuery)).importGate).toBe('held');
      const again = await startStoreImport(ctx.client, storeId, { taskQueue, requireActivation: false });
      expect(again).toEqual({ workflowId: importWorkflowId(storeId), started: false });

      sandbox.shopkit.kit.setFaults({});
      const handle = ctx.client.workflow.getHandle(importWorkflowId(storeId));
      const progress = (await handle.result()) as ImportProgress;
      expect(stateDifferences(sandbox, progress)).toEqual([]);

      const completed = await cli();
      expect(completed.code).toBe(0);
      expect(completed.output).toMatch(/already ran \(completed\); pass --again/);
      const firstRun = (await handle.describe()).runId;

      // The new import meets a record ShopiMind refuses: it stays open for a replay until told to finish.
      const refusedOrder = sandbox.shopimind.state.entities('orders')[0]?.order_id;
      // (Changed, so its page is not an idempotent replay of the first import's write.)
      sandbox.shopkit.store.update('orders', Number(refusedOrder), { note: 'changed since' }, { silent: true });
      sandbox.shopimind.state.rejectRule = (resource, item) =>
        resource === 'orders' && item.order_id === refusedOrder ? 'refused by a test rule' : undefined;
      const rerun = await cli('--again', '--wait', '--json');
      expect(rerun.code).toBe(0);
      expect(rerun.output).toContain(`Started ${importWorkflowId(storeId)}`);
      const final = JSON.parse(rerun.output.trim().split('\n').at(-1) as string) as ImportProgress;
      expect(final.phase).toBe('done');
      expect((await ctx.client.workflow.getHandle(importWorkflowId(storeId)).describe()).runId).not.toBe(firstRun);
      expect(final.rejectedTotal).toBe(1);
      const reimport = ctx.client.workflow.getHandle(importWorkflowId(storeId));
      expect((await reimport.describe()).status.name).toBe('RUNNING');
      const finish = await runCli(['finish-import', storeId], env);
      expect(finish.output).toContain('1 rejected items were left as they are');
      expect(finish.code).toBe(0);
      expect((await reimport.describe()).status.name).toBe('COMPLETED');
    });
  }, 180_000);
});

/** `temporal workflow start` of an import does not signal the sync first: the import itself does. */
describe('an import started without the start function', () => {
  const store = smallStore('raw-start');

  it('holds a running sync at once, long before its next gate recheck', async () => {
    const { ctx, sandbox, storeId, taskQueue } = store;
    const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue });
    await worker.runUntil(async () => {
      await waitForWorker(ctx.client, taskQueue);
      // A sync whose gate is clear and rechecked only every 10 minutes (the default).
      await ctx.client.workflow.signalWithStart(storeSyncWorkflow, {
        ...syncWorkflowStart(storeId, { taskQueue, requireActivation: false }),
        signal: resumeSignal,
        signalArgs: [],
      });
      const sync = ctx.client.workflow.getHandle(storeSyncWorkflowId(storeId));
      const gateIs = (gate: string) => async () => (await sync.query(syncStatusQuery)).importGate === gate || undefined;
      await until('the sync to find the gate clear', gateIs('clear'), 30_000);

      sandbox.shopkit.kit.setFaults({ latencyMs: 500, latencyRate: 1 });
      const handle = await ctx.client.workflow.start(initialImportWorkflow, {
        taskQueue,
        workflowId: importWorkflowId(storeId),
        args: [{ storeId }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      // Held within seconds, not at the next recheck ten minutes away: the import told the sync itself.
      await until('the import to hold the sync', gateIs('held'), 10_000);

      sandbox.shopkit.kit.setFaults({});
      expect((await handle.result()).phase).toBe('done');
      await until('the sync to find the gate clear again', gateIs('clear'), 30_000);
    });
  }, 120_000);
});

interface SmallStore {
  ctx: TemporalTestContext;
  sandbox: Sandbox;
  storeId: string;
  taskQueue: string;
}

/** A small sandbox store on its own task queue and a Temporal connection, for the describe block calling it. */
function smallStore(name: string): SmallStore {
  const store = { storeId: `store-${name}-${Date.now()}`, taskQueue: uniqueTaskQueue(`import-${name}`) } as SmallStore;
  beforeAll(async () => {
    store.ctx = await connectTemporal();
    store.sandbox = await startSandbox({
      storeId: store.storeId,
      sizes: { products: 8, clients: 20, orders: 40 },
      shopkitPerSecond: 50,
      shopimindPerSecond: 1000,
    });
  });
  afterAll(async () => {
    await terminateStoreWorkflows(store.ctx.client, store.storeId);
    await store.sandbox?.close();
    await store.ctx?.close();
  });
  return store;
}
