import { heartbeat } from '../heartbeat';
import {
  catalogEntryOf,
  catalogIndexRecordOf,
  deletedCustomerIds,
  mapCategories,
  mapCustomers,
  mapManufacturers,
  mapNewsletterSubscribers,
  mapProducts,
  type CatalogProduct,
  type MappingContext,
} from '../../mapping';
import type { ShopkitCustomer, ShopkitProduct } from '../../shopkit';
import type { MappingSettings } from '../../contracts/import';
import type { ScanInput, ScanResult } from '../../contracts/sync';
import { mappingContextOf } from '../import/page-readers';
import { indexedCatalog, StoreMemory } from '../import/store-memory';
import type { StoreClients } from '../store-clients';
import { pages, slots } from '../activity-pacing';
import {
  addClient,
  addOrders,
  addProduct,
  deleteCustomers,
  deleteProducts,
  LIST_PAGE,
  SHOPKIT_IDS_PER_CALL,
  SyncWrites,
} from './sync-writes';
import { deleteVariations, variationsToDelete } from './variation-cleanup';

/**
 * One resource of the daily rescan: streams Shopkit's full list, upserts what ShopiMind lacks or holds
 * older, and deletes what ShopiMind has (for this data source) and Shopkit no longer lists.
 */
export async function scanResource(api: StoreClients, input: ScanInput): Promise<ScanResult> {
  const ctx = mappingContextOf(input.mapping);
  // The first read waits an interval too: the previous resource's scan (another activity, maybe on
  // another worker) made its last call at most then.
  const spacing = slots(Date.now() + input.shopkitIntervalMs, input.shopkitIntervalMs);
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
  heartbeat({ resource: input.resource, stage: 'listed', known: known.size });

  const seen = new Set<string>();
  const result: ScanResult = {
    resource: input.resource,
    read: 0,
    upserted: 0,
    deleted: 0,
    calls: { shopkit: 0, shopimind: 0 },
  };
  const erased = new Set<string>();
  for await (const page of pages(spacing, (n) => api.shopkit.readPage(resource, n))) {
    result.read += page.received;
    if (resource === 'clients') for (const id of deletedCustomerIds(page.items as ShopkitCustomer[])) erased.add(id);
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
    result.upserted += Object.values(await writes.write(api.shopimind, input.mapping)).reduce((a, b) => a + b, 0);
    result.deleted += await deleteVariations(api, staleVariations);
    heartbeat({ resource: input.resource, page: page.page });
  }
  const gone = [...known.keys()].filter((id) => !seen.has(id));
  if (gone.length > 0) {
    if (input.resource === 'clients')
      result.deleted += await deleteCustomers(api, input.mapping, await erasable(api, input.mapping, gone, erased));
    else if (input.resource === 'categories')
      result.deleted += (await api.shopimind.deleteMany('productsCategories', gone.map(Number))).sent;
    else if (input.resource === 'brands')
      result.deleted += (await api.shopimind.deleteMany('productsManufacturers', gone)).sent;
    else result.deleted += await deleteProducts(api, input.mapping, gone.map(Number));
  }
  result.calls = { ...api.calls };
  return result;
}

/**
 * The daily scan's last step: finds orders in ShopiMind whose lines name a variation the connector's
 * catalog index no longer lists (an option disabled after the order), re-reads them from Shopkit (50
 * a request) and writes them again, mapped against today's catalogue. Products without a readable index
 * record are judged against Shopkit's catalogue instead ({@link unindexedCatalog}).
 */
export async function repairOrderLines(
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
    result.upserted += (await writes.write(api.shopimind, mapping)).orders ?? 0;
  };
  const filters = [{ field: 'id_data_source', operator: 'EQUALS' as const, values: mapping.dataSourceId }];
  const page: { orderId: number; lines: [number, number][] }[] = [];
  const check = async () => {
    const unknown = [...new Set(page.flatMap((o) => o.lines.map(([productId]) => productId)))].filter(
      (id) => !catalog.has(id),
    );
    const indexed = await indexedCatalog(api.shopimind, mapping.catalogDefinitionId as number, unknown);
    const current = await unindexedCatalog(
      api,
      mapping,
      memory,
      spacing,
      unknown.filter((id) => !indexed.has(id)),
    );
    for (const id of unknown) {
      const entry = indexed.get(id) ?? current.get(id);
      catalog.set(id, entry ? new Set(entry.options.map((option) => option.optionId)) : null);
    }
    for (const order of page.splice(0)) {
      const stale = order.lines.some(([productId, variationId]) => catalog.get(productId)?.has(variationId) === false);
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
  heartbeat({ resource: 'orderLines', repaired: result.upserted });
  result.calls = { ...api.calls };
  return result;
}

/**
 * Catalogue entries of products the index holds no readable record for (a record of an earlier format, or
 * none), read from Shopkit 50 a request. Each is written back to the index in this version's format and
 * remembered for the repair's own lookups, so it is read once. A product Shopkit no longer has names no
 * option; one whose payload does not parse cannot be judged (`null`: its lines are left as they are).
 */
async function unindexedCatalog(
  api: StoreClients,
  mapping: MappingSettings,
  memory: StoreMemory,
  spacing: () => Promise<void>,
  productIds: readonly number[],
): Promise<Map<number, CatalogProduct | null>> {
  const entries = new Map<number, CatalogProduct | null>();
  for (let i = 0; i < productIds.length; i += SHOPKIT_IDS_PER_CALL) {
    const ids = productIds.slice(i, i + SHOPKIT_IDS_PER_CALL);
    await spacing();
    const { items, invalid } = await api.shopkit.getProducts(ids);
    for (const id of ids) entries.set(id, NO_OPTIONS);
    for (const bad of invalid) if (bad.sourceId) entries.set(Number(bad.sourceId), null);
    const writes = new SyncWrites();
    for (const product of items) {
      entries.set(product.id, catalogEntryOf(product));
      writes.add('catalogIndex', `product ${product.id}`, { items: [catalogIndexRecordOf(product)], rejected: [] });
    }
    await writes.write(api.shopimind, mapping);
    memory.rememberProducts(api.store.storeId, items);
  }
  return entries;
}

const NO_OPTIONS: CatalogProduct = { brandId: null, options: [] };

/**
 * Of the customers no Shopkit client vouches for, those to delete: a client flagged deleted (D31), or a
 * customer no order in ShopiMind names. The others are buyers Shopkit knows only from their orders (D28).
 */
async function erasable(
  api: StoreClients,
  mapping: MappingSettings,
  gone: readonly string[],
  erased: ReadonlySet<string>,
): Promise<string[]> {
  const buyers = new Set<string>();
  const filters = [{ field: 'id_data_source', operator: 'EQUALS' as const, values: mapping.dataSourceId }];
  for await (const row of api.shopimind.iterate('orders', { limit: LIST_PAGE, fields: ['customer'], filters })) {
    const customer = row.customer as { customer_id?: unknown } | null | undefined;
    if (typeof customer?.customer_id === 'string') buyers.add(customer.customer_id);
  }
  return gone.filter((id) => erased.has(id) || !buyers.has(id));
}

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
    map: (ctx, _m, writes, item: ShopkitCustomer, seen, known, _p, addClient) => {
      if (item.is_deleted) return;
      const [row] = mapCustomers([item], ctx).items;
      if (!row) return;
      seen.add(row.customer_id);
      // A client ShopiMind never had is new to the newsletter too: subscribed if it consents, as the import
      // does (D25). A known client's consent changes arrive as newsletter events.
      if (!known.has(row.customer_id))
        writes.add('newsletterSubscribers', 'clients', mapNewsletterSubscribers([item], ctx));
      if (outdated(known, row.customer_id, row.updated_at)) addClient(item);
    },
  },
};
