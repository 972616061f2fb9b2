import {
  catalogIndexRecordOf,
  catalogLookupOf,
  collectCouponCodes,
  customerLookupOf,
  DEFAULT_MAPPING_CONFIG,
  mapCarriers,
  mapCategories,
  mapClientAddresses,
  mapCustomerGroups,
  mapCustomerProfiles,
  mapCustomers,
  mapManufacturers,
  mapNewsletterSubscribers,
  mapOrderAddresses,
  mapOrderCustomers,
  mapOrders,
  mapOrderStatuses,
  mapProductImages,
  mapProducts,
  mapProductVariations,
  mapShipmentMethodCarriers,
  mapVouchers,
  SEED_CARRIERS,
  type MappingContext,
  type MappingResult,
} from '../mapping';
import { externalIdOf, shopimindResources, type ShopimindResourceName } from '../shopimind';
import {
  ShopkitBrandSchema,
  ShopkitCarrierSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
} from '../shopkit';
import type { ShopimindSimulatorState } from './shopimind-simulator';
import type { ShopkitSandboxStore } from './shopkit-sandbox-store';
import type { ShopkitStoreGenerator } from './store-generator';

/** The settings an import ran with (its progress query reports them). */
export interface ImportMappingSettings {
  dataSourceId: number;
  seedTimestamp: string;
  customDataDefinitionId: number | null;
  catalogDefinitionId: number | null;
}

/** Expected ShopiMind items per collection, keyed like the simulator keys them. */
export type ExpectedState = Map<string, Map<string, unknown>>;

/** Custom data collections, named like the import's targets, and the definition each lives in. */
const CUSTOM_DATA = {
  customerProfiles: (settings: ImportMappingSettings) => settings.customDataDefinitionId,
  catalogIndex: (settings: ImportMappingSettings) => settings.catalogDefinitionId,
} as const;
type CustomDataCollection = keyof typeof CUSTOM_DATA;
const isCustomData = (collection: string): collection is CustomDataCollection => collection in CUSTOM_DATA;
const customDataKeys: Record<CustomDataCollection, string> = {
  customerProfiles: 'customer_id',
  catalogIndex: 'product_id',
};

/**
 * What ShopiMind must hold after a complete import of the sandbox store: every Shopkit record, mapped
 * with the whole store as context. Computed from the mapping functions over the full store, not page
 * by page, so it checks the import's paging, lookups and write order rather than repeating them.
 */
export function expectedImportState(
  store: ShopkitSandboxStore,
  generator: ShopkitStoreGenerator,
  settings: ImportMappingSettings,
): ExpectedState {
  const shop = generator.store() as { currency: string; url: string; taxes_included: boolean };
  const ctx: MappingContext = {
    ...DEFAULT_MAPPING_CONFIG,
    dataSourceId: settings.dataSourceId,
    seedTimestamp: settings.seedTimestamp,
    storeCurrency: shop.currency,
    storeUrl: shop.url,
    taxesIncluded: Boolean(shop.taxes_included),
  };
  const all = <T>(resource: Parameters<typeof entitiesOf>[1], schema: { parse(v: unknown): T }) =>
    entitiesOf(store, resource).map((entity) => schema.parse(entity));
  const products = all('products', ShopkitProductSchema);
  const clients = all('clients', ShopkitClientSchema);
  const orders = all('orders', ShopkitOrderSchema);
  const carriers = generator.carriers().map((carrier) => ShopkitCarrierSchema.parse(carrier));

  const state: ExpectedState = new Map();
  const put = (collection: ShopimindResourceName, result: MappingResult<unknown>) => {
    const keys = shopimindResources[collection].keys;
    upsertAll(state, collection, result, (item) => externalIdOf(keys, item) as string);
  };
  put('customersGroups', mapCustomerGroups(ctx));
  put('ordersStatuses', mapOrderStatuses(ctx));
  put('ordersCarriers', mapCarriers(carriers.length > 0 ? carriers : [...SEED_CARRIERS], ctx));
  put('productsCategories', mapCategories(all('categories', ShopkitCategorySchema), ctx));
  put('productsManufacturers', mapManufacturers(all('brands', ShopkitBrandSchema), ctx));
  put('products', mapProducts(products, ctx));
  put('productVariations', mapProductVariations(products, ctx));
  put('productImages', mapProductImages(products, ctx));

  const customers = mapCustomers(clients, ctx);
  put('customers', customers);
  put('customerAddresses', mapClientAddresses(clients, ctx));
  put('newsletterSubscribers', mapNewsletterSubscribers(clients, ctx));
  if (settings.customDataDefinitionId !== null) {
    upsertAll(state, 'customerProfiles', mapCustomerProfiles(clients, ctx), (record) => {
      return (record as { customer_id: string }).customer_id;
    });
  }
  if (settings.catalogDefinitionId !== null) {
    const records = { items: products.map(catalogIndexRecordOf), rejected: [] };
    upsertAll(state, 'catalogIndex', records, (record) => (record as { product_id: string }).product_id);
  }

  // Buyers without a client record: one row each from all their orders (D28), which their orders then name.
  const guests = mapOrderCustomers(orders, { ...ctx, customers: customerLookupOf(customers.items) });
  const orderCtx = {
    ...ctx,
    catalog: catalogLookupOf(products),
    customers: customerLookupOf([...customers.items, ...guests.items]),
  };
  put('ordersCarriers', mapShipmentMethodCarriers(orders, orderCtx));
  put('customers', guests);
  put('customerAddresses', mapOrderAddresses(orders, orderCtx));
  put('orders', mapOrders(orders, orderCtx));

  const couponsByCode = new Map(entitiesOf(store, 'coupons').map((coupon) => [coupon.code, coupon]));
  const coupons = [...collectCouponCodes(orders)].flatMap((code) => {
    const coupon = couponsByCode.get(code);
    return coupon ? [ShopkitCouponSchema.parse(coupon)] : [];
  });
  put('vouchers', mapVouchers(coupons, ctx));
  return state;
}

/** Every visible entity of a sandbox collection, generated and mutated alike. */
export function entitiesOf(store: ShopkitSandboxStore, resource: keyof ShopkitSandboxStore['collections']) {
  const collection = store.collections[resource];
  return collection.slice(0, collection.size) as Record<string, unknown>[];
}

function upsertAll(
  state: ExpectedState,
  collection: string,
  result: MappingResult<unknown>,
  keyOf: (item: unknown) => string,
): void {
  if (result.rejected.length > 0) {
    const sample = result.rejected.slice(0, 3).map((r) => `${r.sourceId}: ${r.reasons.join('; ')}`);
    throw new Error(`the sandbox store does not map cleanly to ${collection}: ${sample.join(' | ')}`);
  }
  let items = state.get(collection);
  if (!items) state.set(collection, (items = new Map<string, unknown>()));
  for (const item of result.items) items.set(keyOf(item), item);
}

export interface CollectionDiff {
  collection: string;
  expected: number;
  actual: number;
  missing: string[];
  unexpected: string[];
  different: string[];
}

export interface DiffOptions {
  /** Only these collections (default: every expected one). */
  collections?: readonly string[];
  /** Fields left out of the comparison per collection, e.g. times that follow webhook receipt. */
  ignore?: Readonly<Record<string, readonly string[]>>;
}

/** Compares the simulator's visible entities with the expected ones, field by field. */
export function diffState(
  expected: ExpectedState,
  actual: ShopimindSimulatorState,
  settings: ImportMappingSettings,
  options: DiffOptions = {},
): CollectionDiff[] {
  const chosen = [...expected].filter(
    ([collection]) => !options.collections || options.collections.includes(collection),
  );
  return chosen.map(([collection, want]) => {
    const custom = isCustomData(collection);
    const simulated = custom ? `customDataRecords-${String(CUSTOM_DATA[collection](settings))}` : collection;
    const keys = custom ? [customDataKeys[collection]] : shopimindResources[collection as ShopimindResourceName].keys;
    // The simulator numbers custom data records itself; that id is not ours to compare.
    const ignored = [...(options.ignore?.[collection] ?? []), ...(custom ? ['id'] : [])];
    const comparable = (item: unknown) =>
      canonical(
        Object.fromEntries(Object.entries(item as Record<string, unknown>).filter(([k]) => !ignored.includes(k))),
      );
    const got = new Map(actual.entities(simulated).map((item) => [externalIdOf(keys, item) as string, item] as const));
    const missing = [...want.keys()].filter((key) => !got.has(key));
    const unexpected = [...got.keys()].filter((key) => !want.has(key));
    const different = [...want]
      .filter(([key, item]) => got.has(key) && comparable(item) !== comparable(got.get(key)))
      .map(([key]) => key);
    return { collection, expected: want.size, actual: got.size, missing, unexpected, different };
  });
}

/** JSON with sorted keys and without `undefined` members, so equal items compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
