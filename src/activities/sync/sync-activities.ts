import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  catalogEntryOf,
  CUSTOMER_PROFILE_DEFINITION,
  DEFAULT_MAPPING_CONFIG,
  mapCartAbandonedTriggers,
  mapCategories,
  mapClientAddresses,
  mapCustomerProfiles,
  mapCustomers,
  mapManufacturers,
  mapNewsletterEvents,
  mapOrderAddresses,
  mapOrderCustomers,
  mapOrderPaymentFailedTriggers,
  mapOrders,
  mapProductImages,
  mapProducts,
  mapProductVariations,
  mapShipmentMethodCarriers,
  type MappingContext,
  type MappingResult,
  type NewsletterEvent,
} from '../../mapping';
import { ApiError } from '../../http';
import {
  type ShopimindCustomDataRecord,
  type ShopimindResourceName,
  type ShopimindStoredCustomDataDefinition,
} from '../../shopimind';
import type { ShopkitCustomer, ShopkitOrder, ShopkitProduct } from '../../shopkit';
import type { MappingSettings } from '../../workflows/import-contract';
import { importWorkflowId } from '../../workflows/initial-import';
import type {
  ImportGateResult,
  IntegrationState,
  OrdersReconcileInput,
  OrdersReconcileResult,
  ScanInput,
  ScanResult,
  SyncBatchInput,
  SyncBatchResult,
  TriggerBatchInput,
  TriggerBatchResult,
} from '../../workflows/sync-contract';
import { asActivity } from '../failures';
import { CATALOG_INDEX_DEFINITION, catalogIndexRecordOf } from '../import/catalog-index';
import { mappingContextOf } from '../import/page-readers';
import { indexedCatalog, StoreMemory } from '../import/store-memory';
import type { StoreClientFactory, StoreClients } from '../store-clients';
import { orderVersionOf } from './order-version';

const SHOPKIT_IDS_PER_CALL = 50;
const REJECT_SAMPLE = 20;
const LIST_PAGE = 100;

/** Items of one write, in dependency order (parents first), each with its source for reject messages. */
class SyncWrites {
  private readonly targets = new Map<string, { items: unknown[]; owners: string[] }>();
  readonly rejected: string[] = [];
  rejectedCount = 0;

  add<T>(target: string, owner: string, result: MappingResult<T>): void {
    let batch = this.targets.get(target);
    if (!batch) this.targets.set(target, (batch = { items: [], owners: [] }));
    for (const item of result.items) {
      batch.items.push(item);
      batch.owners.push(owner);
    }
    for (const rejection of result.rejected) this.reject(target, owner, rejection.reasons.join('; '));
  }

  reject(target: string, owner: string, reason: string): void {
    this.rejectedCount += 1;
    if (this.rejected.length < REJECT_SAMPLE) this.rejected.push(`${target} ${owner}: ${reason}`);
  }

  batches() {
    return [...this.targets.entries()].filter(([, batch]) => batch.items.length > 0);
  }
}

/**
 * The sync's activities. Unlike the import, they keep no lookups from one call to the next: products and
 * clients change while the sync runs, and a cache another worker cannot see would let this worker map an
 * order with a catalogue entry the store has since changed. Each call starts from ShopiMind's records.
 */
export function createSyncActivities(clients: StoreClientFactory) {
  /** Maps and queues the orders' rows (carriers, buyers, addresses, then orders), resolving lookups. */
  async function addOrders(
    api: StoreClients,
    memory: StoreMemory,
    mapping: MappingSettings,
    writes: SyncWrites,
    orders: readonly ShopkitOrder[],
  ): Promise<void> {
    const ctx = mappingContextOf(mapping);
    if (orders.length === 0) return;
    const storeId = api.store.storeId;
    const { catalog, customers } = await memory.orderLookups(storeId, orders, api, mapping, 'shopkit');
    const orderCtx = { ...ctx, catalog, customers };
    writes.add('ordersCarriers', 'orders', mapShipmentMethodCarriers(orders, orderCtx));
    for (const order of orders) {
      writes.add('customers', `order ${order.id}`, mapOrderCustomers([order], orderCtx));
      writes.add('customerAddresses', `order ${order.id}`, mapOrderAddresses([order], orderCtx));
    }
    for (const order of orders) writes.add('orders', `order ${order.id}`, mapOrders([order], orderCtx));
  }

  function addClient(
    ctx: MappingContext,
    mapping: MappingSettings,
    writes: SyncWrites,
    client: ShopkitCustomer,
    observedAt?: string,
  ): void {
    const owner = `client ${client.email}`;
    writes.add('customers', owner, mapCustomers([client], { ...ctx, observedAt }));
    writes.add('customerAddresses', owner, mapClientAddresses([client], ctx));
    if (mapping.customDataDefinitionId !== null) {
      writes.add('customerProfiles', owner, mapCustomerProfiles([client], ctx));
    }
  }

  function addProduct(
    ctx: MappingContext,
    mapping: MappingSettings,
    writes: SyncWrites,
    product: ShopkitProduct,
  ): void {
    const owner = `product ${product.id}`;
    writes.add('products', owner, mapProducts([product], ctx));
    writes.add('productVariations', owner, mapProductVariations([product], ctx));
    writes.add('productImages', owner, mapProductImages([product], ctx));
    if (mapping.catalogDefinitionId !== null) {
      writes.add('catalogIndex', owner, { items: [catalogIndexRecordOf(product)], rejected: [] });
    }
  }

  /** Sends every queued target in order; returns the accepted counts and records ShopiMind's rejects. */
  async function send(
    api: StoreClients,
    mapping: MappingSettings,
    writes: SyncWrites,
  ): Promise<Record<string, number>> {
    const sent: Record<string, number> = {};
    for (const [target, batch] of writes.batches()) {
      const definition = customDataTargets[target]?.(mapping);
      const result = definition
        ? await api.shopimind.writeCustomDataRecords(definition, batch.items as ShopimindCustomDataRecord[])
        : await api.shopimind.upsert(target as ShopimindResourceName, batch.items as never);
      sent[target] = (sent[target] ?? 0) + result.sent;
      for (const rejection of result.rejected) {
        writes.reject(
          target,
          batch.owners[rejection.index] ?? `#${rejection.index}`,
          rejection.reasons.map((r) => (r.path ? `${r.path}: ${r.message}` : r.message)).join('; '),
        );
      }
      Context.current().heartbeat({ target });
    }
    return sent;
  }

  async function deleteCustomers(api: StoreClients, customerIds: readonly string[]): Promise<number> {
    if (customerIds.length === 0) return 0;
    // D31: a deleted client is erased with its addresses; its orders stay.
    for (const customerId of customerIds) {
      const { data } = await api.shopimind.listCustomerAddresses(customerId, {
        limit: LIST_PAGE,
        fields: ['address_id'],
      });
      const ids = data.flatMap((row) => (typeof row.address_id === 'number' ? [row.address_id] : []));
      if (ids.length > 0) await api.shopimind.deleteChildren('customerAddresses', customerId, ids);
    }
    return (await api.shopimind.deleteMany('customers', customerIds)).sent;
  }

  /**
   * Variations ShopiMind holds for these products that their options no longer justify (an option
   * disabled or removed, D23): the connector's catalog index, read before this write replaces it, says
   * which options were pushed.
   */
  async function variationsToDelete(
    api: StoreClients,
    mapping: MappingSettings,
    products: readonly ShopkitProduct[],
  ): Promise<Map<number, number[]>> {
    const stale = new Map<number, number[]>();
    if (mapping.catalogDefinitionId === null || products.length === 0) return stale;
    const pushed = await indexedCatalog(
      api.shopimind,
      mapping.catalogDefinitionId,
      products.map((product) => product.id),
    );
    for (const product of products) {
      const kept = new Set(catalogEntryOf(product).options.map((option) => option.optionId));
      const gone = (pushed.get(product.id)?.options ?? []).map((o) => o.optionId).filter((id) => !kept.has(id));
      if (gone.length > 0) stale.set(product.id, gone);
    }
    return stale;
  }

  /**
   * The daily scan's last step: finds orders in ShopiMind whose lines name a variation the connector's
   * catalog index no longer lists (an option disabled after the order), re-reads them from Shopkit (50
   * a request) and writes them again, mapped against today's catalogue.
   */
  async function repairOrderLines(
    api: StoreClients,
    mapping: MappingSettings,
    spacing: () => Promise<void>,
  ): Promise<ScanResult> {
    const result: ScanResult = { resource: 'orderLines', read: 0, upserted: 0, deleted: 0, calls: api.calls };
    if (mapping.catalogDefinitionId === null) return result;
    const catalog = new Map<number, Set<number> | null>();
    const dangling: number[] = [];
    const memory = new StoreMemory();
    const repair = async (ids: number[]) => {
      await spacing();
      const { items } = await api.shopkit.getOrders(ids);
      result.read += items.length;
      const writes = new SyncWrites();
      await addOrders(api, memory, mapping, writes, items);
      result.upserted += (await send(api, mapping, writes)).orders ?? 0;
    };
    const filters = [{ field: 'id_data_source', operator: 'EQUALS' as const, values: mapping.dataSourceId }];
    const page: { orderId: number; lines: [number, number][] }[] = [];
    const check = async () => {
      const unknown = [...new Set(page.flatMap((o) => o.lines.map(([productId]) => productId)))].filter(
        (id) => !catalog.has(id),
      );
      const indexed = await indexedCatalog(api.shopimind, mapping.catalogDefinitionId as number, unknown);
      // A product without a readable index entry cannot be judged here; its orders are left as they are.
      for (const id of unknown) {
        const entry = indexed.get(id);
        catalog.set(id, entry ? new Set(entry.options.map((option) => option.optionId)) : null);
      }
      for (const order of page.splice(0)) {
        const stale = order.lines.some(
          ([productId, variationId]) => catalog.get(productId)?.has(variationId) === false,
        );
        if (stale) dangling.push(order.orderId);
      }
      while (dangling.length >= SHOPKIT_IDS_PER_CALL) await repair(dangling.splice(0, SHOPKIT_IDS_PER_CALL));
    };
    for await (const row of api.shopimind.iterate('orders', { limit: LIST_PAGE, filters })) {
      const lines = Array.isArray(row.products) ? (row.products as Record<string, unknown>[]) : [];
      const refs = lines.flatMap((line): [number, number][] =>
        typeof line.product_id === 'number' && typeof line.product_variation_id === 'number'
          ? [[line.product_id, line.product_variation_id]]
          : [],
      );
      if (refs.length > 0 && Number.isInteger(Number(row.order_id)))
        page.push({ orderId: Number(row.order_id), lines: refs });
      if (page.length >= LIST_PAGE) await check();
    }
    await check();
    if (dangling.length > 0) await repair(dangling.splice(0));
    Context.current().heartbeat({ resource: 'orderLines', repaired: result.upserted });
    result.calls = { ...api.calls };
    return result;
  }

  async function deleteVariations(api: StoreClients, stale: ReadonlyMap<number, number[]>): Promise<number> {
    let deleted = 0;
    for (const [productId, ids] of stale) {
      deleted += (await api.shopimind.deleteChildren('productVariations', productId, ids)).sent;
    }
    return deleted;
  }

  return {
    /** Whether `import/<storeId>` is running: the sync workflow holds its events until it is not. */
    importGateStatus(input: { storeId: string }): Promise<ImportGateResult> {
      return asActivity(async () => {
        try {
          const description = await Context.current()
            .client.workflow.getHandle(importWorkflowId(input.storeId))
            .describe();
          return { status: description.status.name === 'RUNNING' ? 'running' : 'closed' };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return { status: 'none' };
          throw err;
        }
      });
    },

    /**
     * One flush of coalesced events: re-reads products, clients and held orders from Shopkit (the re-read
     * is the truth; what Shopkit no longer has is deleted), maps everything, and writes it in bulk in the
     * connector guide's order. Returns counts and the order versions written.
     */
    applySyncBatch(input: SyncBatchInput): Promise<SyncBatchResult> {
      return asActivity(async () => {
        assertActive(input.storeId, input.integration);
        const api = await clients.forStore(input.storeId);
        const ctx = mappingContextOf(input.mapping);
        const writes = new SyncWrites();
        const memory = new StoreMemory();
        const refreshed: ShopkitProduct[] = [];
        await waitUntil(input.notBefore);
        const spacing = paced(input.shopkitIntervalMs);

        const productDeletes = new Set(input.products.deletes);
        for (let i = 0; i < input.products.refresh.length; i += SHOPKIT_IDS_PER_CALL) {
          const ids = input.products.refresh.slice(i, i + SHOPKIT_IDS_PER_CALL);
          await spacing();
          const { items, invalid } = await api.shopkit.getProducts(ids);
          for (const bad of invalid)
            writes.reject('products', `product ${bad.sourceId ?? '?'}`, bad.reasons.join('; '));
          const found = new Set(items.map((p) => p.id));
          for (const id of ids)
            if (!found.has(id) && !invalid.some((bad) => bad.sourceId === String(id))) productDeletes.add(id);
          for (const product of items) addProduct(ctx, input.mapping, writes, product);
          memory.rememberProducts(input.storeId, items);
          refreshed.push(...items);
        }

        const customerDeletes = new Set(input.clients.deletes);
        const reread = new Map<string, ShopkitCustomer>();
        for (const { customerId, observedAt } of input.clients.refresh) {
          await spacing();
          const client = await api.shopkit.getClientByHash(customerId);
          if (!client || client.is_deleted) {
            customerDeletes.add(customerId);
            continue;
          }
          reread.set(customerId, client);
          addClient(ctx, input.mapping, writes, client, observedAt);
        }
        memory.rememberCustomers(
          input.storeId,
          [...reread.values()].flatMap((client) => mapCustomers([client], ctx).items),
        );

        if (input.newsletters.length > 0) {
          // The re-read client's consent decides (deliveries may arrive out of order); the event only
          // when Shopkit no longer has the client.
          const events = input.newsletters
            .filter((row) => !customerDeletes.has(row.customerId))
            .map((row) => {
              const client = reread.get(row.customerId);
              const subscribed = client ? client.accepts_marketing : row.subscribed;
              const event: NewsletterEvent = {
                event: subscribed ? 'newsletter_subscribed' : 'newsletter_unsubscribed',
                client: { name: row.name, email: row.email, hash: null },
              };
              return { event, observedAt: row.observedAt };
            });
          writes.add(
            'newsletterSubscribers',
            'newsletter',
            mapNewsletterEvents(events, { ...ctx, clients: (id) => reread.get(id) }),
          );
        }

        const orderDeletes = new Set(input.orders.deletes);
        const orders = [...input.orders.upserts];
        for (let i = 0; i < input.orders.reread.length; i += SHOPKIT_IDS_PER_CALL) {
          const ids = input.orders.reread.slice(i, i + SHOPKIT_IDS_PER_CALL);
          await spacing();
          const { items } = await api.shopkit.getOrders(ids);
          const found = new Set(items.map((o) => o.id));
          for (const id of ids) if (!found.has(id)) orderDeletes.add(id);
          orders.push(...items);
        }
        await addOrders(api, memory, input.mapping, writes, orders);
        const staleVariations = await variationsToDelete(api, input.mapping, refreshed);
        Context.current().heartbeat({ stage: 'mapped' });

        const sent = await send(api, input.mapping, writes);
        const deleted: Record<string, number> = {};
        const variations = await deleteVariations(api, staleVariations);
        if (variations > 0) deleted.productVariations = variations;
        if (orderDeletes.size > 0) {
          deleted.orders = (await api.shopimind.deleteMany('orders', [...orderDeletes].map(String))).sent;
        }
        if (productDeletes.size > 0)
          deleted.products = (await api.shopimind.deleteMany('products', [...productDeletes])).sent;
        if (customerDeletes.size > 0) deleted.customers = await deleteCustomers(api, [...customerDeletes]);

        return {
          sent,
          deleted,
          rejectedCount: writes.rejectedCount,
          rejected: writes.rejected,
          orderVersions: [
            ...orders.map((order): [number, number] => [order.id, orderVersionOf(order)]),
            ...[...orderDeletes].map((id): [number, number] => [id, -1]),
          ],
          calls: { ...api.calls },
        };
      });
    },

    /**
     * Fires event triggers once each. Never throws for one trigger: each digest is reported `done` (fired,
     * or refused for good) or `retry` (refused before ShopiMind could have acted on it).
     */
    fireSyncTriggers(input: TriggerBatchInput): Promise<TriggerBatchResult> {
      return asActivity(async () => {
        const all = input.triggers.map((t) => t.digest);
        if (input.integration !== 'active')
          return { done: [], retry: all, errors: [], calls: { shopkit: 0, shopimind: 0 } };
        const api = await clients.forStore(input.storeId);
        const ctx = { timezone: DEFAULT_MAPPING_CONFIG.timezone };
        const result: TriggerBatchResult = { done: [], retry: [], errors: [], calls: { shopkit: 0, shopimind: 0 } };
        for (const trigger of input.triggers) {
          const mapped = trigger.cart
            ? mapCartAbandonedTriggers([trigger.cart], ctx)
            : mapOrderPaymentFailedTriggers(trigger.order ? [trigger.order] : [], ctx);
          const [item] = mapped.items;
          if (!item) {
            result.done.push(trigger.digest);
            result.errors.push(
              `${trigger.codeName}: ${mapped.rejected.flatMap((r) => r.reasons).join('; ') || 'nothing to send'}`,
            );
            continue;
          }
          try {
            await api.shopimind.triggerEvent(item.codeName, item.body);
            result.done.push(trigger.digest);
          } catch (err) {
            const retryable = err instanceof ApiError && err.retryable && err.status !== undefined;
            (retryable ? result.retry : result.done).push(trigger.digest);
            result.errors.push(`${trigger.codeName}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        result.calls = { ...api.calls };
        return result;
      });
    },

    /** Re-reads orders updated on or after `fromDay` (`date_type=update_at`) and upserts them. */
    reconcileOrders(input: OrdersReconcileInput): Promise<OrdersReconcileResult> {
      return asActivity(async () => {
        assertActive(input.storeId, input.integration);
        const api = await clients.forStore(input.storeId);
        await waitUntil(input.notBefore);
        const spacing = paced(input.shopkitIntervalMs);
        const memory = new StoreMemory();
        let read = 0;
        let sent = 0;
        let rejectedCount = 0;
        let newestDay = input.fromDay;
        const versions: [number, number][] = [];
        for await (const page of pages(spacing, (n) =>
          api.shopkit.readPage('orders', n, { dateType: 'update_at', dateFrom: input.fromDay }),
        )) {
          read += page.received;
          const writes = new SyncWrites();
          await addOrders(api, memory, input.mapping, writes, page.items);
          sent += (await send(api, input.mapping, writes)).orders ?? 0;
          rejectedCount += writes.rejectedCount + page.invalid.length;
          for (const order of page.items) {
            versions.push([order.id, orderVersionOf(order)]);
            const day = order.updated_at?.slice(0, 10);
            if (day && day > newestDay) newestDay = day;
          }
          Context.current().heartbeat({ page: page.page });
        }
        // Shopkit filters by day: the next run starts again from the newest day seen (or yesterday).
        const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
        return {
          read,
          sent,
          rejectedCount,
          nextFromDay: newestDay > yesterday ? yesterday : newestDay < input.fromDay ? input.fromDay : newestDay,
          orderVersions: versions.slice(-2_000),
          calls: { ...api.calls },
        };
      });
    },

    /**
     * One resource of the daily rescan: streams Shopkit's full list, upserts what ShopiMind lacks or holds
     * older, and deletes what ShopiMind has (for this data source) and Shopkit no longer lists. The id sets
     * live in this activity's memory only (≈ 100 bytes per id); a retry starts the resource over.
     */
    scanResource(input: ScanInput): Promise<ScanResult> {
      return asActivity(async () => {
        assertActive(input.storeId, input.integration);
        const api = await clients.forStore(input.storeId);
        const ctx = mappingContextOf(input.mapping);
        const spacing = paced(input.shopkitIntervalMs);
        const resource = input.resource;
        if (resource === 'orderLines') return repairOrderLines(api, input.mapping, spacing);
        const spec = SCAN_SPECS[resource];
        const known = new Map<string, string | null>();
        const filters = [{ field: 'id_data_source', operator: 'EQUALS' as const, values: input.mapping.dataSourceId }];
        for await (const row of api.shopimind.iterate(spec.target, {
          limit: LIST_PAGE,
          fields: [spec.key, 'updated_at'],
          filters,
        })) {
          const id = row[spec.key];
          if (typeof id === 'string' || typeof id === 'number') {
            known.set(String(id), typeof row.updated_at === 'string' ? row.updated_at : null);
          }
        }
        Context.current().heartbeat({ resource: input.resource, stage: 'listed', known: known.size });

        const seen = new Set<string>();
        const result: ScanResult = {
          resource: input.resource,
          read: 0,
          upserted: 0,
          deleted: 0,
          calls: { shopkit: 0, shopimind: 0 },
        };
        for await (const page of pages(spacing, (n) => api.shopkit.readPage(resource, n))) {
          result.read += page.received;
          const writes = new SyncWrites();
          const refreshed: ShopkitProduct[] = [];
          for (const item of page.items)
            spec.map(
              ctx,
              input.mapping,
              writes,
              item as never,
              seen,
              known,
              (i) => {
                addProduct(ctx, input.mapping, writes, i);
                refreshed.push(i);
              },
              (c) => addClient(ctx, input.mapping, writes, c),
            );
          // Invalid records still exist in Shopkit: never delete them.
          for (const bad of page.invalid) if (bad.sourceId) seen.add(spec.idOfInvalid(bad.sourceId));
          const staleVariations = await variationsToDelete(api, input.mapping, refreshed);
          result.upserted += Object.values(await send(api, input.mapping, writes)).reduce((a, b) => a + b, 0);
          result.deleted += await deleteVariations(api, staleVariations);
          Context.current().heartbeat({ resource: input.resource, page: page.page });
        }
        const gone = [...known.keys()].filter((id) => !seen.has(id));
        if (gone.length > 0) {
          if (input.resource === 'clients') result.deleted += await deleteCustomers(api, gone);
          else if (input.resource === 'categories')
            result.deleted += (await api.shopimind.deleteMany('productsCategories', gone.map(Number))).sent;
          else if (input.resource === 'brands')
            result.deleted += (await api.shopimind.deleteMany('productsManufacturers', gone)).sent;
          else result.deleted += (await api.shopimind.deleteMany('products', gone.map(Number))).sent;
        }
        result.calls = { ...api.calls };
        return result;
      });
    },
  };
}

/** Custom data targets: the definition each writes to (the same ones the import writes). */
const customDataTargets: Record<string, (mapping: MappingSettings) => ShopimindStoredCustomDataDefinition | undefined> =
  {
    customerProfiles: (mapping) =>
      mapping.customDataDefinitionId === null
        ? undefined
        : { ...CUSTOMER_PROFILE_DEFINITION, id: mapping.customDataDefinitionId },
    catalogIndex: (mapping) =>
      mapping.catalogDefinitionId === null
        ? undefined
        : { ...CATALOG_INDEX_DEFINITION, id: mapping.catalogDefinitionId },
  };

type Adder<T> = (item: T) => void;

interface ScanSpec {
  target: 'productsCategories' | 'productsManufacturers' | 'products' | 'customers';
  key: string;
  idOfInvalid: (sourceId: string) => string;
  map: (
    ctx: MappingContext,
    mapping: MappingSettings,
    writes: SyncWrites,
    item: never,
    seen: Set<string>,
    known: ReadonlyMap<string, string | null>,
    addProduct: Adder<ShopkitProduct>,
    addClient: Adder<ShopkitCustomer>,
  ) => void;
}

/** Whether ShopiMind lacks an item or holds an older version of it. */
function outdated(
  known: ReadonlyMap<string, string | null>,
  id: string,
  updatedAt: string | null | undefined,
): boolean {
  if (!known.has(id)) return true;
  const stored = known.get(id);
  return !stored || !updatedAt || Date.parse(updatedAt) > Date.parse(stored);
}

const SCAN_SPECS: Record<Exclude<ScanInput['resource'], 'orderLines'>, ScanSpec> = {
  // No webhooks exist for categories and brands: the scan upserts them all (a small set).
  categories: {
    target: 'productsCategories',
    key: 'category_id',
    idOfInvalid: (id) => id,
    map: (ctx, _m, writes, item, seen) => {
      const result = mapCategories([item], ctx);
      for (const row of result.items) seen.add(String(row.category_id));
      writes.add('productsCategories', 'categories', result);
    },
  },
  brands: {
    target: 'productsManufacturers',
    key: 'manufacturer_id',
    idOfInvalid: (id) => id,
    map: (ctx, _m, writes, item, seen) => {
      const result = mapManufacturers([item], ctx);
      for (const row of result.items) seen.add(row.manufacturer_id);
      writes.add('productsManufacturers', 'brands', result);
    },
  },
  products: {
    target: 'products',
    key: 'product_id',
    idOfInvalid: (id) => id,
    map: (ctx, _m, _writes, item: ShopkitProduct, seen, known, addProduct) => {
      const [row] = mapProducts([item], ctx).items;
      seen.add(String(item.id));
      if (row && outdated(known, String(item.id), row.updated_at)) addProduct(item);
    },
  },
  clients: {
    target: 'customers',
    key: 'customer_id',
    idOfInvalid: (id) => id,
    map: (ctx, _m, _writes, item: ShopkitCustomer, seen, known, _p, addClient) => {
      if (item.is_deleted) return;
      const [row] = mapCustomers([item], ctx).items;
      if (!row) return;
      seen.add(row.customer_id);
      if (outdated(known, row.customer_id, row.updated_at)) addClient(item);
    },
  },
};

function assertActive(storeId: string, integration: IntegrationState): void {
  if (integration !== 'active') {
    throw ApplicationFailure.nonRetryable(
      `Store ${storeId}: the ShopiMind integration is ${integration}; no ShopiMind call is made until it is activated`,
      'IntegrationInactive',
    );
  }
}

/** Every page of a Shopkit list, spaced by the caller's pacing. */
async function* pages<P extends { done: boolean; page: number }>(
  spacing: () => Promise<void>,
  read: (page: number) => Promise<P>,
) {
  for (let n = 1; ; n++) {
    await spacing();
    const page = await read(n);
    yield page;
    if (page.done) return;
  }
}

/** A gate that spaces successive Shopkit calls of one activity by `intervalMs` (the first passes at once). */
function paced(intervalMs: number): () => Promise<void> {
  let last = 0;
  return async () => {
    const wait = last + intervalMs - Date.now();
    if (wait > 0) await waitUntil(Date.now() + wait);
    last = Date.now();
  };
}

/** Sleeps until `at`, heartbeating so a long wait is not taken for a dead worker. */
async function waitUntil(at: number): Promise<void> {
  for (let wait = at - Date.now(); wait > 0; wait = at - Date.now()) {
    await Context.current().sleep(Math.min(wait, 5_000));
    Context.current().heartbeat({ waitingUntil: at });
  }
}
