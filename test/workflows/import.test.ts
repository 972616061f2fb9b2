import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { ShopkitStoreAttribute, SyncPhaseAttribute } from '../../src/temporal/search-attributes';
import {
  importWorkflowId,
  reserveShopkitUpdate,
  pauseSignal,
  progressQuery,
  rejectedQuery,
  replayRejectedUpdate,
  resumeSignal,
  type ImportProgress,
} from '../../src/contracts';
import type { temporal } from '@temporalio/proto';
import { compressedShopkitQuota } from '../../src/sandbox/shopkit-simulator';
import { connectWorkerConnection } from '../../src/temporal/temporal-client';
import { initialImportWorkflow } from '../../src/workflows';
import { acceptedUpdates } from '../support/history';
import { allRunHistories, minimalShopkitReads, stateDifferences } from '../support/import-assertions';
import { secretsOf, startSandbox, type Sandbox } from '../support/sandbox';
import {
  connectTemporal,
  createTestWorker,
  testTemporalSettings,
  uniqueTaskQueue,
  type TemporalTestContext,
} from '../support/temporal';

jest.setTimeout(240_000);

describe('initialImportWorkflow with an in-process worker on the real dev server', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => ctx?.close());

  async function withImport<T>(
    sandbox: Sandbox,
    storeId: string,
    body: (worker: Worker, taskQueue: string) => Promise<T>,
  ): Promise<T> {
    const taskQueue = uniqueTaskQueue(storeId);
    const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue });
    return worker.runUntil(body(worker, taskQueue));
  }

  it('imports a 5k-order store exactly, across runs, without a 429, a reject or a secret in history', async () => {
    const storeId = `store-5k-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 400, clients: 1700, orders: 5000 },
      shopkitPerSecond: 60,
      shopimindPerSecond: 600,
    });
    try {
      const { progress, histories } = await withImport(sandbox, storeId, async (_worker, taskQueue) => {
        const handle = await ctx.client.workflow.start(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          // A small history budget makes the import hand over to new runs several times.
          args: [{ storeId, historyBudget: 600 }],
        });
        const progress = await handle.result();
        const description = await ctx.client.workflow.getHandle(importWorkflowId(storeId)).describe();
        expect(description.typedSearchAttributes.get(ShopkitStoreAttribute)).toBe(storeId);
        expect(description.typedSearchAttributes.get(SyncPhaseAttribute)).toBe('done');
        expect(description.memo).toEqual({ storeId });
        return {
          progress,
          histories: await allRunHistories(ctx.client, handle.workflowId, handle.firstExecutionRunId),
        };
      });

      expect(stateDifferences(sandbox, progress)).toEqual([]);
      expect(progress.phase).toBe('done');
      expect(progress.rejectedTotal).toBe(0);
      expect(progress.run).toBeGreaterThan(1);
      expect(histories.length).toBe(progress.run);
      expect(progress.resources.orders).toMatchObject({
        total: 5000,
        read: 5000,
        pagesDone: 100,
        pageCount: 100,
        done: true,
      });
      expect(progress.resources.customers).toMatchObject({ total: 1700, read: 1700, pagesDone: 34, done: true });

      // The quotas held: neither simulator had to refuse a request.
      expect(sandbox.shopkit.kit.stats().rateLimited).toBe(0);
      expect(sandbox.shopimind.kit.stats().rateLimited).toBe(0);
      // One Shopkit read per page, plus store, one per coupon code and one order search per buyer without a
      // client record: nothing read twice.
      expect(sandbox.shopkit.kit.stats().requests).toBe(
        minimalShopkitReads(progress, sandbox.shopkit.generator.guestBuyers),
      );
      // Those searches were reserved in the import's schedule before they were made: at least one
      // reservation, never more than one per buyer searched.
      const reservations = acceptedUpdates(
        histories.flatMap((history) => (JSON.parse(history) as temporal.api.history.v1.IHistory).events ?? []),
        reserveShopkitUpdate.name,
      );
      expect(reservations).toBeGreaterThan(0);
      expect(reservations).toBeLessThanOrEqual(sandbox.shopkit.generator.guestBuyers);

      for (const history of histories) {
        for (const secret of secretsOf(sandbox)) expect(history).not.toContain(secret);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('on three workers, order pages search buyers without a client record within the store quota', async () => {
    const storeId = `store-searches-${Date.now()}`;
    // 20 such buyers, all met on the first order pages, which run side by side on different workers; the
    // customers stage's 40 pages fill the 10-second window first, so searches beside the paced reads show.
    // (Without the reservations this run met 4 refusals.)
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 100, clients: 2000, orders: 2000 },
      shopkitPerSecond: 5,
      shopimindPerSecond: 600,
      shopkitQuota: compressedShopkitQuota(5),
    });
    const taskQueue = uniqueTaskQueue(storeId);
    const connections = [
      await connectWorkerConnection(testTemporalSettings()),
      await connectWorkerConnection(testTemporalSettings()),
    ];
    const { worker: first } = await createTestWorker(ctx, sandbox.env, { taskQueue });
    const others: Worker[] = [];
    const running: Promise<void>[] = [];
    try {
      for (const connection of connections) {
        const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue, connection });
        others.push(worker);
        running.push(worker.run());
      }
      const handle = await ctx.client.workflow.start(initialImportWorkflow, {
        taskQueue,
        workflowId: importWorkflowId(storeId),
        args: [{ storeId }],
      });
      const progress = await first.runUntil(handle.result());
      expect(stateDifferences(sandbox, progress)).toEqual([]);
      expect(sandbox.shopkit.generator.guestBuyers).toBe(20);
      // Each worker's token bucket alone would let its searches go at the store's full rate beside the
      // other workers' calls; reserved in the workflow's schedule, they never exceed the quota.
      expect(sandbox.shopkit.kit.stats().rateLimited).toBe(0);
      const { events } = await handle.fetchHistory();
      expect(acceptedUpdates(events ?? [], reserveShopkitUpdate.name)).toBeGreaterThan(0);
    } finally {
      for (const worker of others) worker.shutdown();
      await Promise.all(running);
      await Promise.all(connections.map((connection) => connection.close()));
      await sandbox.close();
    }
  });

  it('reaches the same exact state through 10% 5xx and 5% 429 on both APIs', async () => {
    const storeId = `store-faults-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 60, clients: 300, orders: 800 },
      shopkitPerSecond: 200,
      shopimindPerSecond: 1000,
    });
    const faults = { seed: 11, errorRate: 0.1, errorStatus: 503, rateLimitRate: 0.05, rateLimitRetryAfterS: 1 };
    sandbox.shopkit.kit.setFaults(faults);
    sandbox.shopimind.kit.setFaults({ ...faults, seed: 12 });
    try {
      const progress = await withImport(sandbox, storeId, (_worker, taskQueue) =>
        ctx.client.workflow.execute(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          args: [{ storeId }],
        }),
      );
      const injected = [sandbox.shopkit.kit.stats(), sandbox.shopimind.kit.stats()];
      for (const stats of injected) {
        expect(stats.faultsByKind.errors).toBeGreaterThan(0);
        expect(stats.faultsByKind.rateLimits).toBeGreaterThan(0);
      }
      expect(progress.rejectedTotal).toBe(0);
      expect(stateDifferences(sandbox, progress)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('pauses and resumes between pages, lists remote rejects and replays only them after a fix', async () => {
    const storeId = `store-replay-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 30, clients: 120, orders: 400 },
      shopkitPerSecond: 100,
      shopimindPerSecond: 1000,
    });
    const refusedProduct = 20_003;
    const refusedOrder = '100007';
    sandbox.shopimind.state.rejectRule = (resource, item) =>
      (resource === 'products' && item.product_id === refusedProduct) ||
      (resource === 'orders' && item.order_id === refusedOrder)
        ? 'refused by a test rule'
        : undefined;
    try {
      await withImport(sandbox, storeId, async (_worker, taskQueue) => {
        const handle = await ctx.client.workflow.start(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          args: [{ storeId }],
        });
        await handle.signal(pauseSignal);
        const paused = await pollUntil(
          () => handle.query(progressQuery),
          (p) => p.paused,
        );
        const pagesAtPause = pagesDone(paused);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect(pagesDone(await handle.query(progressQuery))).toBe(pagesAtPause);
        expect((await handle.describe()).typedSearchAttributes.get(SyncPhaseAttribute)).toBe('paused');
        await handle.signal(resumeSignal);

        // With rejects, a completed import stays open for `replayRejected`.
        const progress = await pollUntil(
          () => handle.query(progressQuery),
          (p) => p.phase === 'done',
        );
        const rejected = await handle.query(rejectedQuery);
        expect(progress.rejectedTotal).toBe(rejected.length);
        // Two records were refused; the product's variations could not attach to it and were refused too.
        const records = new Set(rejected.map((item) => `${item.resource}/${item.sourceId}/${item.stage}`));
        expect([...records].sort()).toEqual([`orders/${refusedOrder}/remote`, `products/${refusedProduct}/remote`]);
        expect(new Set(rejected.map((item) => item.target))).toEqual(
          new Set(['orders', 'products', 'productVariations']),
        );
        const ruleRejects = rejected.filter((item) => item.target !== 'productVariations');
        expect(
          ruleRejects.every((item) => item.reasons.some((reason) => reason.includes('refused by a test rule'))),
        ).toBe(true);
        // The refused product's variations could not attach to it either: the mapping of the source
        // is incomplete until the replay.
        expect(stateDifferences(sandbox, progress)).not.toEqual([]);
        // Open for the replay but done importing: the store's sync must not hold its events any longer.
        const gate = await new MockActivityEnvironment(undefined, { client: ctx.client }).run(() =>
          createActivities({ stores: new Map() }).importGateStatus({ storeId }),
        );
        expect(gate).toEqual({ status: 'closed' });

        sandbox.shopimind.state.rejectRule = undefined;
        const writesBefore = sandbox.shopimind.state.writes.itemsAccepted;
        const summary = await handle.executeUpdate(replayRejectedUpdate);
        expect(summary).toEqual({ resent: 2, stillRejected: 0 });
        expect(await handle.query(rejectedQuery)).toEqual([]);
        // Only the two records went out again: a product with its variations and images, an order
        // with its customer row (if a guest) and addresses — nowhere near a page of items.
        expect(sandbox.shopimind.state.writes.itemsAccepted - writesBefore).toBeLessThan(30);
        expect(stateDifferences(sandbox, progress)).toEqual([]);
        // Nothing left to replay: the import ends by itself.
        expect((await handle.result()).rejectedTotal).toBe(0);
      });
    } finally {
      await sandbox.close();
    }
  });

  it('reads and maps everything in a dry run but writes nothing', async () => {
    const storeId = `store-dry-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 20, clients: 60, orders: 150 },
      shopkitPerSecond: 100,
      shopimindPerSecond: 1000,
    });
    try {
      const progress = await withImport(sandbox, storeId, (_worker, taskQueue) =>
        ctx.client.workflow.execute(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          args: [{ storeId, dryRun: true }],
        }),
      );
      expect(progress.dryRun).toBe(true);
      expect(progress.resources.orders).toMatchObject({ read: 150, done: true });
      expect(progress.resources.orders?.sentByTarget.orders).toBe(150);
      expect(sandbox.shopimind.state.writes.batches).toBe(0);
      const writes = Object.keys(sandbox.shopimind.kit.stats().routes).filter((route) => !route.startsWith('GET'));
      expect(writes).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('stops cleanly when cancelled and says so in its search attributes', async () => {
    const storeId = `store-cancel-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 20, clients: 60, orders: 2000 },
      shopkitPerSecond: 5,
      shopimindPerSecond: 1000,
    });
    try {
      await withImport(sandbox, storeId, async (_worker, taskQueue) => {
        const handle = await ctx.client.workflow.start(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          args: [{ storeId }],
        });
        await pollUntil(
          () => handle.query(progressQuery),
          (p) => pagesDone(p) >= 3,
        );
        await handle.cancel();
        const error = await handle.result().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(WorkflowFailedError);
        expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
        expect((await handle.describe()).typedSearchAttributes.get(SyncPhaseAttribute)).toBe('cancelled');
        // The in-flight pages' cancellation is handled, not an unhandled rejection failing workflow tasks.
        const { events } = await handle.fetchHistory();
        expect(events?.filter((event) => event.workflowTaskFailedEventAttributes)).toEqual([]);
      });
    } finally {
      await sandbox.close();
    }
  });
});

function pagesDone(progress: ImportProgress): number {
  return Object.values(progress.resources).reduce((sum, r) => sum + (r?.pagesDone ?? 0), 0);
}

async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
