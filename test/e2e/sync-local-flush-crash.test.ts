import { sandboxStoreEnv } from '../../src/sandbox/sandbox-env';
import { startShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { entitiesOf } from '../../src/sandbox/expected-state';
import { freePort } from '../../src/temporal/free-port';
import { importWorkflowId, storeSyncWorkflowId, syncStatusQuery, type ImportProgress } from '../../src/contracts';
import { waitForWorker } from '../support/processes';
import { converge, loopbackGatewayEnv, postAdmin, startGateway, workerPool } from '../support/sync-scenario';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { connectTemporal, type TemporalTestContext } from '../support/temporal';
import { readTestRuntime } from '../support/test-runtime';
import { until } from '../support/until';
import { localActivityRuns } from '../support/history';

jest.setTimeout(300_000);

const ADMIN = 'admin-token-for-local-flush-crash';
/** Long enough that the worker is certainly killed while the flush waits for ShopiMind's next answer. */
const SHOPIMIND_LATENCY_MS = 3_000;

/**
 * A sync flush of webhook orders runs as a local activity inside its workflow task. A worker killed in the
 * middle of one leaves no activity task behind: the workflow task times out, another worker replays the
 * history and runs the flush again. The order must arrive exactly, and the repeated writes must be
 * ShopiMind idempotency replays, not second applications.
 */
describe('a worker killed during a local flush', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => ctx.close());

  it('leaves the flush to the next worker: the order arrives once, exactly', async () => {
    const storeId = `store-local-flush-${Date.now()}`;
    const shopkit = await startShopkitSimulator({
      sizes: { products: 10, clients: 20, orders: 40 },
      quota: null,
      webhooks: { retries: 20, retryIntervalMs: 300, timeoutMs: 5_000 },
    });
    const shopimind = await startShopimindSimulator({ quota: null });
    const port = await freePort();
    const env = {
      ...sandboxStoreEnv({ storeId, shopkit, shopimind, shopkitPerSecond: 50, shopimindPerSecond: 1000 }),
      TEMPORAL_ADDRESS: readTestRuntime().address,
      TEMPORAL_TASK_QUEUE: `e2e-local-flush-${process.pid}`,
      SHUTDOWN_GRACE_MS: '2000',
      ...loopbackGatewayEnv(port, ADMIN),
      // Nothing but the flush writes to ShopiMind: no reconciliation, no rescan.
      SYNC_SCAN_INTERVAL_MS: '0',
      SYNC_ORDERS_RECONCILE_MS: '0',
    };
    const pool = workerPool(env);
    try {
      pool.start();
      await waitForWorker(ctx.client, env.TEMPORAL_TASK_QUEUE);
      pool.processes.push(await startGateway(port, env));
      await postAdmin(port, `/stores/${storeId}/webhooks`, ADMIN);
      await postAdmin(port, `/stores/${storeId}/import`, ADMIN);
      const progress: ImportProgress = await ctx.client.workflow.getHandle(importWorkflowId(storeId)).result();
      const sync = ctx.client.workflow.getHandle(storeSyncWorkflowId(storeId));
      const idle = await until('the sync to be idle after the import', async () => {
        const status = await sync.query(syncStatusQuery);
        return status.importGate === 'clear' && status.pending + status.inFlight === 0 ? status : undefined;
      });

      // One order change; ShopiMind answers each call slowly, and the worker dies once the flush's first
      // write is applied, while it waits for the next.
      shopimind.kit.setFaults({ latencyMs: SHOPIMIND_LATENCY_MS, latencyRate: 1 });
      const batchesBefore = shopimind.state.writes.batches;
      const orderId = Number(entitiesOf(shopkit.store, 'orders')[3]?.id);
      shopkit.store.update('orders', orderId, { status_alias: 'sent', note: 'changed before the crash' });
      await until('the flush to write its first batch', () =>
        shopimind.state.writes.batches > batchesBefore ? true : undefined,
      );
      expect(await pool.workers[0]?.stop('SIGKILL')).toBeNull();
      shopimind.kit.setFaults({});
      const replaysBefore = shopimind.state.writes.replays;
      pool.start();

      const { differences } = await converge(ctx.client, storeId, shopkit, shopimind, progress);
      expect(differences).toEqual([]);
      expect(shopimind.state.entities('orders').some((o) => String(o.order_id) === String(orderId))).toBe(true);
      const status = await sync.query(syncStatusQuery);
      expect(status.counters.flushes).toBe(idle.counters.flushes + 1);
      // The write the killed worker had sent was applied once; the new worker's identical request replayed it.
      expect(shopimind.state.writes.replays).toBeGreaterThan(replaysBefore);

      const events = (await sync.fetchHistory()).events ?? [];
      expect(localActivityRuns(events, 'applySyncBatch')).toBeGreaterThanOrEqual(1);
      // The killed worker's workflow task timed out; the next worker's run of it recorded the flush.
      expect(events.filter((e) => e.workflowTaskTimedOutEventAttributes).length).toBeGreaterThanOrEqual(1);
    } finally {
      await terminateStoreWorkflows(ctx.client, storeId);
      await Promise.all(pool.processes.map((proc) => proc.stop('SIGKILL')));
      await shopkit.close();
      await shopimind.close();
    }
  });
});
