import { importWorkflowId, progressQuery } from '../../src/contracts';
import { initialImportWorkflow } from '../../src/workflows';
import { stateDifferences } from '../support/import-assertions';
import { startSandbox } from '../support/sandbox';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

jest.setTimeout(480_000);

const OUTAGE_MS = 45_000;

/**
 * A load balancer answers 502 with an HTML page while the API behind it is down. The failure is
 * retryable by its own flag, so the import must ride out a 45-second outage of each API and finish by
 * itself, with the exact state.
 */
describe('import through 45-second HTML 502 outages', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => ctx?.close());

  it('finishes by itself after Shopkit, then ShopiMind, answered 502 pages mid-import', async () => {
    const storeId = `store-outage-${Date.now()}`;
    const sandbox = await startSandbox({
      storeId,
      sizes: { products: 40, clients: 150, orders: 600 },
      shopkitPerSecond: 4,
      shopimindPerSecond: 600,
    });
    const taskQueue = uniqueTaskQueue(storeId);
    const { worker } = await createTestWorker(ctx, sandbox.env, { taskQueue });
    try {
      const progress = await worker.runUntil(async () => {
        const handle = await ctx.client.workflow.start(initialImportWorkflow, {
          taskQueue,
          workflowId: importWorkflowId(storeId),
          args: [{ storeId }],
        });
        await until(async () => ((await handle.query(progressQuery)).resources.orders?.pagesDone ?? 0) >= 2);
        const answered = () => sandbox.shopkit.kit.stats().statuses['200'] ?? 0;
        const before = answered();
        const shopkitBack = Date.now() + OUTAGE_MS;
        sandbox.shopkit.kit.outage(OUTAGE_MS);
        // ShopiMind goes down once Shopkit answers again, so the import's next pages certainly meet it (a
        // fixed delay raced the import's retry back-off, which may come back after a fixed outage ended).
        await until(() => Promise.resolve(Date.now() >= shopkitBack && answered() > before), 180_000);
        sandbox.shopimind.kit.outage(OUTAGE_MS);
        const deadline = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the import did not finish by itself')), 200_000).unref(),
        );
        return Promise.race([handle.result(), deadline]);
      });

      expect(sandbox.shopkit.kit.stats().faultsByKind.errors).toBeGreaterThan(0);
      expect(sandbox.shopimind.kit.stats().faultsByKind.errors).toBeGreaterThan(0);
      expect(progress.phase).toBe('done');
      expect(progress.rejectedTotal).toBe(0);
      expect(progress.resources.orders).toMatchObject({ total: 600, read: 600, done: true });
      expect(stateDifferences(sandbox, progress)).toEqual([]);
    } finally {
      await ctx.client.workflow
        .getHandle(importWorkflowId(storeId))
        .terminate('test over')
        .catch(() => undefined);
      await sandbox.close();
    }
  });
});

async function until(probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}
