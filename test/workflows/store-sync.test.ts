import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import type { AppConfig } from '../../src/config';
import { buildGateway, shopkitWebhookRegistrar, signShopimindLifecycle, TemporalSyncBackend } from '../../src/gateway';
import { customerIdOf, normaliseEmail } from '../../src/mapping';
import { canonical, entitiesOf, expectedImportState } from '../../src/sandbox/expected-state';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { freePort } from '../../src/temporal/free-port';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import type { MutationOptions } from '../../src/sandbox/shopkit-sandbox-store';
import { importWorkflowId, storeSyncWorkflowId, syncStatusQuery } from '../../src/contracts';
import { SCAN_RESOURCES, type ScanResult, type SyncStatus } from '../../src/contracts/sync';
import { mappingSettingsOf } from '../../src/contracts/import';
import { until } from '../support/until';
import { localActivityRuns, scheduledActivities } from '../support/history';
import { soldOption } from '../support/sync-scenario';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

const STORE = 'sync-wf';
const SHOPKIT_KEY = 'shopkit-sync-test-key-0123456789';
const SHOPIMIND_KEY = 'shopimind-sync-test-key-0123456789';
const WEBHOOK_SECRET = 'sync-webhook-secret-0123456789';
const ADMIN = 'sync-admin-token-0123456789';
const LIFECYCLE_SECRET = 'sync-lifecycle-secret-0123456789';

/** Deterministic PRNG (mulberry32): a failing interleaving can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The top-level fields two items disagree on, with both values, so a failure says what to look at. */
function fieldsApart(want: unknown, got: unknown): string {
  const a = want as Record<string, unknown>;
  const b = got as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => canonical(a[k]) !== canonical(b[k]))
    .map((k) => `${k}: want ${canonical(a[k])} got ${canonical(b[k])}`)
    .join('; ');
}

describe('storeSyncWorkflow: webhooks → gateway → Temporal → ShopiMind, on a real dev server', () => {
  const seed = Number(process.env.SYNC_TEST_SEED ?? 20260301);
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  let ctx: TemporalTestContext;
  let shopkit: ShopkitSimulator;
  let shopimind: ShopimindSimulator;
  let worker: Worker;
  let running: Promise<void>;
  let config: AppConfig;
  let taskQueue: string;
  let gateway: FastifyInstance;
  let port = 0;

  async function startGateway(): Promise<void> {
    gateway = buildGateway({
      stores: config.stores,
      backend: new TemporalSyncBackend(ctx.client, {
        taskQueue,
        syncSettings: { ordersReconcileMs: 0, scanIntervalMs: 0, gateRecheckMs: 2_000 },
      }),
      adminToken: ADMIN,
      publicUrl: `http://127.0.0.1:${port}`,
      registerWebhooks: shopkitWebhookRegistrar(config.stores),
      shopimindWebhookSecret: LIFECYCLE_SECRET,
    });
    await gateway.listen({ host: '127.0.0.1', port });
  }

  async function admin(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const response = await request(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const body = await response.body.json();
    if (response.statusCode !== 200)
      throw new Error(`${method} ${path}: ${response.statusCode} ${JSON.stringify(body)}`);
    return body;
  }

  beforeAll(async () => {
    ctx = await connectTemporal();
    shopkit = await startShopkitSimulator({
      seed,
      apiKey: SHOPKIT_KEY,
      webhookSecret: WEBHOOK_SECRET,
      sizes: { products: 40, clients: 40, orders: 150 },
      quota: null,
      // Shopkit retries hourly; the test compresses that to a quarter second, with room for an outage.
      webhooks: { retries: 40, retryIntervalMs: 250, timeoutMs: 5_000 },
    });
    shopimind = await startShopimindSimulator({ apiKey: SHOPIMIND_KEY, quota: null });
    taskQueue = uniqueTaskQueue('store-sync');
    const env = {
      STORE_ID: STORE,
      SHOPKIT_BASE_URL: shopkit.baseUrl,
      SHOPKIT_API_KEY: SHOPKIT_KEY,
      SHOPKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SHOPKIT_QUOTA_PER_HOUR: '3600000',
      SHOPIMIND_BASE_URL: shopimind.baseUrl,
      SHOPIMIND_API_KEY: SHOPIMIND_KEY,
      SHOPIMIND_QUOTA_PER_MINUTE: '600000',
    };
    ({ worker, config } = await createTestWorker(ctx, env, { taskQueue }));
    running = worker.run();
    port = await freePort();
    await startGateway();
  });

  afterAll(async () => {
    if (ctx) await terminateStoreWorkflows(ctx.client, STORE);
    await gateway?.close();
    worker?.shutdown();
    await running;
    await shopkit?.close();
    await shopimind?.close();
    await ctx?.close();
  });

  /** One random mutation; its webhook may be duplicated or delayed (out-of-order delivery). */
  const createdProducts: number[] = [];
  const createdClients: number[] = [];
  const newsletterClients = new Set<number>();
  let carts = 0;
  function mutate(): void {
    const webhook: MutationOptions = {
      duplicate: random() < 0.25,
      delayMs: random() < 0.3 ? Math.floor(random() * 600) : 0,
    };
    const orders = entitiesOf(shopkit.store, 'orders').map((o) => Number(o.id));
    const clients = entitiesOf(shopkit.store, 'clients')
      .map((c) => Number(c.id))
      .filter((id) => !createdClients.includes(id));
    const products = entitiesOf(shopkit.store, 'products')
      .map((p) => Number(p.id))
      .filter((id) => !createdProducts.includes(id));
    const roll = random();
    const statuses = ['processing', 'sent', 'delivered', 'canceled', 'waiting_payment'];
    if (roll < 0.3) {
      shopkit.store.update(
        'orders',
        pick(orders),
        { status_alias: pick(statuses), note: `n${Math.floor(random() * 1e6)}` },
        webhook,
      );
    } else if (roll < 0.4) {
      shopkit.store.create('orders', { client_id: pick(clients) }, webhook);
    } else if (roll < 0.45) {
      // Not an order of a buyer without a client record: its row keeps the creation of its first order
      // even once that order is gone (D28), which the expected state, built from today's orders, cannot see.
      const owned = orders.filter((id) => shopkit.store.orderClientId(id) !== undefined);
      shopkit.store.remove('orders', pick(owned), webhook);
    } else if (roll < 0.6) {
      shopkit.store.update('products', pick(products), { title: `Produto ${Math.floor(random() * 1e6)}` }, webhook);
    } else if (roll < 0.65) {
      createdProducts.push(Number(shopkit.store.create('products', {}, webhook).entity.id));
    } else if (roll < 0.7 && createdProducts.length > 0) {
      shopkit.store.remove('products', createdProducts.shift() as number, webhook);
    } else if (roll < 0.8) {
      shopkit.store.update('clients', pick(clients), { company: `Empresa ${Math.floor(random() * 1e6)}` }, webhook);
    } else if (roll < 0.85) {
      createdClients.push(Number(shopkit.store.create('clients', {}, webhook).entity.id));
    } else if (roll < 0.88 && createdClients.length > 0) {
      shopkit.store.remove('clients', createdClients.shift() as number, webhook);
    } else if (roll < 0.96) {
      const client = pick(clients);
      newsletterClients.add(client);
      shopkit.store.setNewsletter(client, random() < 0.5, webhook);
    } else {
      carts += 1;
      shopkit.store.abandonCart(pick(clients), [pick(products)], { ...webhook, duplicate: true });
    }
  }

  async function syncStatus(): Promise<SyncStatus> {
    return ctx.client.workflow.getHandle(storeSyncWorkflowId(STORE)).query(syncStatusQuery);
  }

  /** Differences between ShopiMind and the mapping of the final Shopkit store (compared collections). */
  function compare(): string[] {
    const dataSource = shopimind.state.entities('dataSources')[0] as { id_data_source: number };
    const settings = {
      dataSourceId: dataSource.id_data_source,
      seedTimestamp: new Date().toISOString(),
      customDataDefinitionId: null,
      catalogDefinitionId: null,
    };
    return (() => {
      const expected = expectedImportState(shopkit.store, shopkit.generator, settings);
      const problems: string[] = [];
      for (const collection of ['orders', 'products', 'customers'] as const) {
        const want = expected.get(collection) ?? new Map<string, unknown>();
        const key = collection === 'orders' ? 'order_id' : collection === 'products' ? 'product_id' : 'customer_id';
        // Customers' updated_at moves with webhook receipt times (D27); everything else must match.
        const strip = (item: unknown) => {
          const { updated_at: _u, ...rest } = item as Record<string, unknown>;
          return canonical(collection === 'customers' ? rest : item);
        };
        const got = new Map(shopimind.state.entities(collection).map((item) => [String(item[key]), item]));
        const wantById = new Map(
          [...want.values()].map((item) => [String((item as Record<string, unknown>)[key]), item]),
        );
        for (const [id, item] of wantById) {
          if (!got.has(id)) problems.push(`${collection} ${id} missing`);
          else if (strip(item) !== strip(got.get(id)))
            problems.push(`${collection} ${id} differs: ${fieldsApart(item, got.get(id))}`);
        }
        for (const id of got.keys()) if (!wantById.has(id)) problems.push(`${collection} ${id} unexpected`);
      }
      const subscribers = new Map(
        shopimind.state.entities('newsletterSubscribers').map((row) => [String(row.email), row]),
      );
      for (const clientId of newsletterClients) {
        const client = shopkit.store.collections.clients.get(clientId);
        if (!client) continue;
        const email = normaliseEmail(String(client.email)) as string;
        if (subscribers.get(email)?.is_subscribed !== Boolean(client.accepts_marketing)) {
          problems.push(`subscriber ${customerIdOf(email)} consent differs`);
        }
      }
      const triggers = shopimind.state.entities('eventTriggers').filter((t) => t.code_name === 'cart_abandoned');
      if (triggers.length !== carts) problems.push(`cart triggers ${triggers.length} ≠ ${carts}`);
      return problems;
    })();
  }

  async function converge(): Promise<void> {
    let problems: string[] = [];
    await until(
      'ShopiMind to converge',
      async () => {
        const status = await syncStatus();
        problems = compare();
        const idle = status.pending + status.inFlight + status.pendingTriggers === 0;
        return idle && problems.length === 0 ? true : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; ${problems.length} problems, e.g. ${problems.slice(0, 10).join(', ')}`);
    });
  }

  it('ends with ShopiMind equal to the mapping of the final Shopkit store, through an import and an outage', async () => {
    const registration = (await admin('POST', `/stores/${STORE}/webhooks`)) as { created: string[]; failed: unknown[] };
    expect(registration.failed).toEqual([]);
    expect(registration.created).toContain('order_updated');
    expect((await admin('POST', `/stores/${STORE}/webhooks`)) as { created: string[] }).toMatchObject({ created: [] });

    // Phase 1: mutations while the initial import runs (Shopkit slowed down so the import lasts).
    shopkit.kit.setFaults({ latencyMs: 250, latencyRate: 1 });
    expect(await admin('POST', `/stores/${STORE}/import`)).toEqual({
      workflowId: importWorkflowId(STORE),
      started: true,
    });
    expect(await admin('POST', `/stores/${STORE}/import`)).toEqual({
      workflowId: importWorkflowId(STORE),
      started: false,
    });
    for (let i = 0; i < 40; i++) mutate();
    const during = await until('events held during the import', async () => {
      const status = await syncStatus();
      return status.counters.received > 0 ? status : undefined;
    });
    shopkit.kit.setFaults({});
    await until('the import to finish', async () => {
      const { import: progress } = (await admin('GET', `/stores/${STORE}/status`)) as {
        import: { phase: string } | null;
      };
      return progress?.phase === 'done' ? true : undefined;
    });

    await until('the sync to apply what it held', async () => {
      const status = await syncStatus();
      return status.importGate === 'clear' && status.pending + status.inFlight === 0 ? true : undefined;
    });
    const afterImport = await syncStatus();
    expect(afterImport.counters.flushes).toBeGreaterThan(0);

    // Phase 2: after the import, then a burst while the gateway is down; Shopkit's redelivery brings it.
    for (let i = 0; i < 30; i++) mutate();
    await gateway.close();
    for (let i = 0; i < 30; i++) mutate();
    await new Promise((r) => setTimeout(r, 1_500));
    await startGateway();
    for (let i = 0; i < 10; i++) mutate();
    await shopkit.webhooks.idle();

    const failedDeliveries = shopkit.webhooks.deliveries().filter((d) => !d.ok);
    expect(failedDeliveries.length).toBeGreaterThan(0);
    expect(shopkit.webhooks.list({ active: false })).toEqual([]);

    await converge();

    const final = await syncStatus();
    expect(final.counters.duplicates).toBeGreaterThan(0);
    expect(final.counters.flushes).toBeGreaterThan(afterImport.counters.flushes);
    expect(final.importGate).toBe('clear');
    expect(during.counters.received).toBeGreaterThan(0);

    // Phase 3: one order change alone, once the store is quiet: its payload needs no Shopkit read.
    const order = Number(entitiesOf(shopkit.store, 'orders')[0]?.id);
    shopkit.store.update('orders', order, { note: 'a quiet change' });
    await until('the lone order change to be written', async () => {
      const status = await syncStatus();
      return status.counters.flushes > final.counters.flushes && status.pending + status.inFlight === 0
        ? true
        : undefined;
    });
    await converge();

    const events = (await ctx.client.workflow.getHandle(storeSyncWorkflowId(STORE)).fetchHistory()).events ?? [];
    const history = JSON.stringify(events);
    for (const secret of [SHOPKIT_KEY, SHOPIMIND_KEY, WEBHOOK_SECRET, ADMIN]) expect(history).not.toContain(secret);
    // Flushes of webhook orders alone ran inside their workflow task; those re-reading Shopkit as activity tasks.
    expect(localActivityRuns(events, 'applySyncBatch')).toBeGreaterThan(0);
    expect(scheduledActivities(events, 'applySyncBatch')).toBeGreaterThan(0);
    // Waits share one timer until it fires: no signal costs a timer started and cancelled.
    const count = (type: string) => events.filter((e) => e[type as keyof typeof e]).length;
    expect(count('timerCanceledEventAttributes')).toBe(0);
    expect(count('timerStartedEventAttributes')).toBeLessThan(count('workflowExecutionSignaledEventAttributes') / 2);
  }, 170_000);

  it('holds events while the integration is deactivated and applies them once it is activated again', async () => {
    async function lifecycle(event: string): Promise<void> {
      const body = JSON.stringify({ event, store_id: STORE });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const response = await request(`http://127.0.0.1:${port}/shopimind/lifecycle`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-shopimind-timestamp': timestamp,
          'x-shopimind-signature': signShopimindLifecycle(body, timestamp, LIFECYCLE_SECRET),
        },
      });
      expect(await response.body.json()).toEqual({ success: true });
    }
    await lifecycle('deactivate');
    await until('the sync to be inactive', async () =>
      (await syncStatus()).integration === 'inactive' ? true : undefined,
    );
    const requestsBefore = shopimind.kit.stats().requests;
    for (let i = 0; i < 15; i++) mutate();
    await shopkit.webhooks.idle();
    const held = await until('events to be held', async () => {
      const status = await syncStatus();
      return status.pending > 0 ? status : undefined;
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(shopimind.kit.stats().requests).toBe(requestsBefore);
    expect(held.paused).toBe(true);

    await lifecycle('activate');
    await converge();
    expect((await syncStatus()).integration).toBe('active');
  }, 120_000);

  it('reconciliation catches what no webhook said: order re-read by update_at, deletions found by the rescan', async () => {
    const activities = createActivities({ stores: config.stores });
    const env = new MockActivityEnvironment();
    const run = <T>(body: () => Promise<T>): Promise<T> => env.run<[], T, () => Promise<T>>(body);
    const provision = await run(() => activities.provisionStore({ storeId: STORE, dryRun: false }));
    const mapping = {
      dataSourceId: provision.dataSourceId,
      seedTimestamp: new Date().toISOString(),
      storeCurrency: provision.storeCurrency,
      storeUrl: provision.storeUrl,
      taxesIncluded: provision.taxesIncluded,
      customDataDefinitionId: provision.customDataDefinitionId,
      catalogDefinitionId: provision.catalogDefinitionId,
    };
    // Changes Shopkit made without (or with a lost) webhook.
    const orderId = Number(entitiesOf(shopkit.store, 'orders')[3]?.id);
    shopkit.store.update('orders', orderId, { status_alias: 'returned' }, { silent: true });
    const product = shopkit.store.create('products', {}, { silent: true }).entity;
    const client = shopkit.store.create('clients', { accepts_marketing: true }, { silent: true }).entity;
    const goneProduct =
      createdProducts.shift() ?? Number(shopkit.store.create('products', {}, { silent: true }).entity.id);
    shopkit.store.remove('products', goneProduct, { silent: true });
    // A client removed without a webhook (an erasure): created by the first test, so it has no orders.
    const goneClientId = createdClients.shift();
    const goneClient = goneClientId === undefined ? undefined : shopkit.store.collections.clients.get(goneClientId);
    if (goneClientId !== undefined) shopkit.store.remove('clients', goneClientId, { silent: true });
    // An option disabled after it sold, without a webhook: orders still name it by title.
    const sold = soldOption(shopkit);
    shopkit.store.update(
      'products',
      sold.productId,
      { options: sold.options.map((option) => (option.id === sold.optionId ? { ...option, active: false } : option)) },
      { silent: true },
    );
    expect(compare().length).toBeGreaterThan(0);

    const common = { storeId: STORE, mapping, integration: 'active' as const, shopkitIntervalMs: 0 };
    const orders = await run(() =>
      activities.reconcileOrders({
        ...common,
        fromDay: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
        notBefore: 0,
      }),
    );
    expect(orders.read).toBeGreaterThan(0);
    expect(orders.orderVersions.map(([id]) => id)).toContain(orderId);
    const scans: ScanResult[] = [];
    for (const resource of SCAN_RESOURCES) {
      scans.push(await run(() => activities.scanResource({ ...common, resource })));
    }
    const byResource = Object.fromEntries(scans.map((scan) => [scan.resource, scan]));
    // The removed product and the disabled option's variation; the orders naming it are written again.
    expect(byResource.products?.deleted).toBeGreaterThanOrEqual(2);
    expect(byResource.orderLines?.upserted).toBeGreaterThanOrEqual(1);
    const variations = shopimind.state.entities('productVariations').map((v) => Number(v.variation_id));
    expect(variations).not.toContain(sold.optionId);
    const named = shopimind.state
      .entities('orders')
      .flatMap((order) => order.products as { product_variation_id: number | null }[])
      .map((line) => line.product_variation_id);
    expect(named).not.toContain(sold.optionId);
    expect(byResource.products?.upserted).toBeGreaterThanOrEqual(1);
    expect(byResource.clients?.upserted).toBeGreaterThanOrEqual(1);
    expect(shopimind.state.entities('products').some((p) => p.product_id === product.id)).toBe(true);
    const email = normaliseEmail(String(client.email)) as string;
    expect(shopimind.state.entities('customers').some((c) => c.customer_id === customerIdOf(email))).toBe(true);
    expect(compare()).toEqual([]);
    // A new client found by the scan is subscribed when it consents, as the import would (D25).
    const subscriber = shopimind.state.entities('newsletterSubscribers').find((row) => row.email === email);
    expect(subscriber?.is_subscribed).toBe(true);
    // The removed product leaves no catalog index record vouching for it.
    const index = `customDataRecords-${String(provision.catalogDefinitionId)}`;
    expect(shopimind.state.entities(index).filter((row) => String(row.product_id) === String(goneProduct))).toEqual([]);
    // D31: the erased client leaves no customer, address or profile behind.
    expect(goneClient).toBeDefined();
    const goneCustomer = customerIdOf(normaliseEmail(String(goneClient?.email)) as string);
    const left = (collection: string) =>
      shopimind.state.entities(collection).filter((row) => row.customer_id === goneCustomer).length;
    const profiles = `customDataRecords-${String(provision.customDataDefinitionId)}`;
    expect({ customers: left('customers'), addresses: left('customerAddresses'), profiles: left(profiles) }).toEqual({
      customers: 0,
      addresses: 0,
      profiles: 0,
    });

    // Refused outright while the integration is not active: no ShopiMind call.
    await expect(
      run(() => activities.scanResource({ ...common, integration: 'inactive', resource: 'products' })),
    ).rejects.toThrow(/inactive/);
  }, 120_000);

  describe('order lines written before the fix, naming an option never pushed as a variation', () => {
    const activities = () => createActivities({ stores: config.stores });
    const env = new MockActivityEnvironment();
    const run = <T>(body: () => Promise<T>): Promise<T> => env.run<[], T, () => Promise<T>>(body);

    /**
     * What the earlier version left behind: an option disabled in Shopkit (no webhook), no variation for it
     * in ShopiMind, orders whose lines still name it, and the product's index record in the `[id, title]`
     * format of every option, which this version cannot read.
     */
    async function danglingFromBeforeTheFix() {
      const provision = await run(() => activities().provisionStore({ storeId: STORE, dryRun: false }));
      const mapping = mappingSettingsOf(provision);
      const found = soldOption(shopkit);
      // Some generated products carry option ids as numeric strings.
      const sold = { productId: Number(found.productId), optionId: Number(found.optionId), options: found.options };
      shopkit.store.update(
        'products',
        sold.productId,
        { options: sold.options.map((o) => (Number(o.id) === sold.optionId ? { ...o, active: false } : o)) },
        { silent: true },
      );
      const variations = shopimind.state.collection('productVariations');
      for (const [key, row] of variations) {
        if (Number(row.product_id) === sold.productId && Number(row.variation_id) === sold.optionId) {
          variations.delete(key);
        }
      }
      const index = shopimind.state.collection(`customDataRecords-${String(provision.catalogDefinitionId)}`);
      const oldFormat = sold.options.map((o) => [Number(o.id), String(o.title)]);
      for (const row of index.values()) if (row.product_id === String(sold.productId)) row.options = oldFormat;
      const dangling = namingOption(sold.productId, sold.optionId);
      expect(dangling.length).toBeGreaterThan(0);
      return { sold, mapping, index, dangling };
    }

    /** Ids of the orders in ShopiMind whose lines name this product's variation. */
    function namingOption(productId: number, optionId: number): number[] {
      return shopimind.state
        .entities('orders')
        .filter((order) =>
          (order.products as { product_id: number; product_variation_id: number | null }[]).some(
            (line) => line.product_id === productId && line.product_variation_id === optionId,
          ),
        )
        .map((order) => Number(order.order_id));
    }

    it('the daily scan repairs them and rewrites the index record in the readable format', async () => {
      const { sold, mapping, index } = await danglingFromBeforeTheFix();
      const scan = await run(() =>
        activities().scanResource({
          storeId: STORE,
          mapping,
          integration: 'active',
          shopkitIntervalMs: 0,
          resource: 'orderLines',
        }),
      );
      expect(namingOption(sold.productId, sold.optionId)).toEqual([]);
      expect(scan.upserted).toBeGreaterThan(0);
      const record = [...index.values()].find((row) => row.product_id === String(sold.productId));
      expect(record?.options).toEqual(
        sold.options
          .filter((o) => o.active === true && Number(o.id) !== sold.optionId)
          .map((o) => ({ id: Number(o.id), title: String(o.title) })),
      );
    });

    it('reconciliation alone repairs an order it re-reads', async () => {
      const { sold, mapping, dangling } = await danglingFromBeforeTheFix();
      const touched = dangling[0] as number;
      shopkit.store.update('orders', touched, { note: 'changed without a webhook' }, { silent: true });
      await run(() =>
        activities().reconcileOrders({
          storeId: STORE,
          mapping,
          integration: 'active',
          shopkitIntervalMs: 0,
          notBefore: 0,
          fromDay: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
        }),
      );
      expect(namingOption(sold.productId, sold.optionId)).not.toContain(touched);
    });
  });
});
