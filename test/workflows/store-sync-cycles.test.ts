import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { importWorkflowId, storeSyncWorkflowId, syncStatusQuery, type ImportProgress } from '../../src/contracts';
import type { SyncSettings, SyncStatus } from '../../src/contracts/sync';
import { buildGateway, shopkitWebhookRegistrar, TemporalSyncBackend } from '../../src/gateway';
import { entitiesOf } from '../../src/sandbox/expected-state';
import { sandboxStoreEnv } from '../../src/sandbox/sandbox-env';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { freePort } from '../../src/temporal/free-port';
import { startStoreImport } from '../../src/temporal/store-workflow-starts';
import type { initialImportWorkflow } from '../../src/workflows';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { converge } from '../support/sync-scenario';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { until } from '../support/until';

const ADMIN = 'cycles-admin-token-0123456789';

/**
 * The sync's hand-over and its reconciliation cycle, run in seconds because the history budget and the
 * intervals are inputs (SyncSettings); the real timings stay with the defaults.
 */
describe('storeSyncWorkflow cycles with small budgets and short intervals, on a real dev server', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => ctx?.close());

  interface Store {
    storeId: string;
    shopkit: ShopkitSimulator;
    shopimind: ShopimindSimulator;
    taskQueue: string;
    config: Awaited<ReturnType<typeof createTestWorker>>['config'];
  }

  /** Simulators and an in-process worker for one store; `body` runs while the worker does. */
  async function withStore(name: string, body: (store: Store) => Promise<void>): Promise<void> {
    const storeId = `${name}-${Date.now()}`;
    const shopkit = await startShopkitSimulator({
      seed: 31,
      sizes: { products: 20, clients: 40, orders: 100 },
      quota: { requests: 100, windowMs: 1_000 },
      // Shopkit retries hourly; compressed to a quarter second.
      webhooks: { retries: 40, retryIntervalMs: 250, timeoutMs: 5_000 },
    });
    const shopimind = await startShopimindSimulator({ quota: { requests: 1_000, windowMs: 1_000 } });
    const taskQueue = uniqueTaskQueue(name);
    const env = sandboxStoreEnv({ storeId, shopkit, shopimind, shopkitPerSecond: 100, shopimindPerSecond: 1_000 });
    const { worker, config } = await createTestWorker(ctx, env, { taskQueue });
    try {
      await worker.runUntil(body({ storeId, shopkit, shopimind, taskQueue, config }));
    } finally {
      await terminateStoreWorkflows(ctx.client, storeId);
      await shopkit.close();
      await shopimind.close();
    }
  }

  /** Runs the store's import (the sync holds its events meanwhile) and returns its final progress. */
  async function importStore(store: Store, settings: Partial<SyncSettings>): Promise<ImportProgress> {
    await startStoreImport(ctx.client, store.storeId, {
      taskQueue: store.taskQueue,
      requireActivation: false,
      settings,
    });
    return ctx.client.workflow.getHandle<typeof initialImportWorkflow>(importWorkflowId(store.storeId)).result();
  }

  const status = (storeId: string): Promise<SyncStatus> =>
    ctx.client.workflow.getHandle(storeSyncWorkflowId(storeId)).query(syncStatusQuery);

  it('hands over to new runs while events keep arriving, losing no pending event, written version or count', async () => {
    await withStore('handover', async (store) => {
      const { storeId, shopkit, shopimind } = store;
      // A hand-over every few seconds of traffic; each event waits a second before its flush, so runs end
      // with events pending.
      const settings: Partial<SyncSettings> = {
        historyBudget: 100,
        flushDelayMs: 1_000,
        ordersReconcileMs: 0,
        scanIntervalMs: 0,
        gateHeldIdleRecheckMs: 1_000,
      };
      const port = await freePort();
      const gateway: FastifyInstance = buildGateway({
        stores: store.config.stores,
        backend: new TemporalSyncBackend(ctx.client, { taskQueue: store.taskQueue, syncSettings: settings }),
        adminToken: ADMIN,
        publicUrl: `http://127.0.0.1:${port}`,
        registerWebhooks: shopkitWebhookRegistrar(store.config.stores),
      });
      await gateway.listen({ host: '127.0.0.1', port });
      try {
        const registered = await request(`http://127.0.0.1:${port}/stores/${storeId}/webhooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        expect(registered.statusCode).toBe(200);
        await registered.body.dump();
        const progress = await importStore(store, settings);
        await until('the sync to see the import done', async () =>
          (await status(storeId)).importGate === 'clear' ? true : undefined,
        );

        // An order's older version is held back by Shopkit's delivery and arrives after a newer one was
        // written, in a later run: only the carried written-version memory can tell it is stale.
        const orderIds = entitiesOf(shopkit.store, 'orders').map((o) => Number(o.id));
        const lateOrder = orderIds[0] as number;
        const lateAt = Date.now();
        const heldMs = 20_000;
        shopkit.store.update('orders', lateOrder, { status_alias: 'sent', note: 'older' }, { delayMs: heldMs });
        await new Promise((r) => setTimeout(r, 1_100));
        shopkit.store.update('orders', lateOrder, { status_alias: 'delivered', note: 'newer' });
        const newerWrittenIn = (
          await until('the newer version to be written', async () => {
            const now = await status(storeId);
            return now.counters.received === 1 && now.pending + now.inFlight === 0 ? now : undefined;
          })
        ).run;

        // Traffic until the sync has handed over at least twice more, all before the older version arrives.
        let handedOverAt = 0;
        for (let round = 0; handedOverAt === 0; round++) {
          traffic(shopkit, orderIds.slice(1), round);
          await new Promise((r) => setTimeout(r, 200));
          if ((await status(storeId)).run >= newerWrittenIn + 2) handedOverAt = Date.now();
          if (Date.now() - lateAt > heldMs - 1_000) throw new Error('no hand-over before the held delivery');
        }
        await shopkit.webhooks.idle();

        const { differences } = await converge(ctx.client, storeId, shopkit, shopimind, progress, 60_000);
        expect(differences).toEqual([]);
        const final = await status(storeId);
        expect(final.run).toBeGreaterThanOrEqual(newerWrittenIn + 2);
        expect(final.counters.stale).toBeGreaterThan(0);
        // Counters are the sum over every run: each accepted delivery was received once, in some run.
        const accepted = shopkit.webhooks.deliveries().filter((d) => d.ok).length;
        expect(final.counters.received).toBeGreaterThanOrEqual(accepted);
        expect(final.counters.received).toBeLessThanOrEqual(shopkit.webhooks.deliveries().length);
      } finally {
        await gateway.close();
      }
    });
  }, 180_000);

  it('repairs silent Shopkit changes by its own reconciliation, cycle after cycle', async () => {
    await withStore('reconcile', async (store) => {
      const { storeId, shopkit, shopimind } = store;
      const progress = await importStore(store, {
        ordersReconcileMs: 2_000,
        scanIntervalMs: 3_000,
        gateHeldIdleRecheckMs: 1_000,
      });
      const before = await until('the sync to see the import done', async () => {
        const now = await status(storeId);
        return now.importGate === 'clear' && now.provisioned ? now : undefined;
      });
      const orders = entitiesOf(shopkit.store, 'orders').map((o) => Number(o.id));

      // Round 1: an order changed, a product and a client created, with no webhook at all. The client does
      // not consent to marketing: the clients scan writes customers, not newsletter subscribers.
      shopkit.store.update('orders', orders[1] as number, { status_alias: 'returned' }, { silent: true });
      shopkit.store.create('products', {}, { silent: true });
      shopkit.store.create('clients', { accepts_marketing: false }, { silent: true });
      const afterFirst = await repaired(store, progress, before);

      // Round 2, after a first repair: the same kinds of change again, repaired by later cycles.
      shopkit.store.update('orders', orders[2] as number, { status_alias: 'canceled' }, { silent: true });
      shopkit.store.update('products', product(shopkit), { title: 'Produto silencioso' }, { silent: true });
      shopkit.store.create('clients', { accepts_marketing: false }, { silent: true });
      const afterSecond = await repaired(store, progress, afterFirst);

      expect(afterSecond.counters.received).toBe(0);
      // Every client is a customer, and so is every buyer known only from orders (the generator's guests).
      expect(shopimind.state.entities('customers')).toHaveLength(
        entitiesOf(shopkit.store, 'clients').length + shopkit.generator.guestBuyers,
      );
    });
  }, 120_000);

  /**
   * Waits until ShopiMind equals the mapping of the changed store again, then until both reconciliations
   * have run once more since then (the cycle goes on), and checks what moved since `since`.
   */
  async function repaired(store: Store, progress: ImportProgress, since: SyncStatus): Promise<SyncStatus> {
    const { differences } = await converge(ctx.client, store.storeId, store.shopkit, store.shopimind, progress, 60_000);
    expect(differences).toEqual([]);
    const converged = await status(store.storeId);
    const after = await until('both reconciliations to run again', async () => {
      const now = await status(store.storeId);
      return later(now.reconcile.lastOrdersAt, converged.reconcile.lastOrdersAt) &&
        later(now.reconcile.lastScanAt, converged.reconcile.lastScanAt)
        ? now
        : undefined;
    });
    expect(later(after.reconcile.lastOrdersAt, since.reconcile.lastOrdersAt)).toBe(true);
    expect(later(after.reconcile.lastScanAt, since.reconcile.lastScanAt)).toBe(true);
    expect(after.counters.reconciledOrders).toBeGreaterThan(since.counters.reconciledOrders);
    expect(after.counters.scanUpserted).toBeGreaterThan(since.counters.scanUpserted);
    return after;
  }
});

/** A product of the generated store (not one a test created). */
function product(shopkit: ShopkitSimulator): number {
  return Number(entitiesOf(shopkit.store, 'products')[0]?.id);
}

function later(a: string | null, b: string | null): boolean {
  return a !== null && (b === null || Date.parse(a) > Date.parse(b));
}

/**
 * Ten webhook-emitting changes, none to the excluded orders; some delivered twice. No newsletter change:
 * the expected state holds subscribers as the import writes them (consenting clients only), while the
 * sync also keeps the row of a client who unsubscribed.
 */
function traffic(shopkit: ShopkitSimulator, orderIds: number[], round: number): void {
  const clients = entitiesOf(shopkit.store, 'clients').map((c) => Number(c.id));
  const products = entitiesOf(shopkit.store, 'products').map((p) => Number(p.id));
  const pick = (ids: number[], i: number) => ids[(round * 10 + i) % ids.length] as number;
  for (let i = 0; i < 10; i++) {
    const options = { duplicate: i % 4 === 0 };
    if (i % 5 <= 1)
      shopkit.store.update('orders', pick(orderIds, i), { status_alias: i % 2 ? 'sent' : 'processing' }, options);
    else if (i % 5 === 3)
      shopkit.store.update('products', pick(products, i), { title: `Produto ${round}-${i}` }, options);
    else shopkit.store.update('clients', pick(clients, i), { company: `Empresa ${round}-${i}` }, options);
  }
}
