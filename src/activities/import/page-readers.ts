import {
  catalogIndexRecordOf,
  collectCouponCodes,
  customerIdOf,
  DEFAULT_MAPPING_CONFIG,
  deletedCustomerIds,
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
  normaliseEmail,
  SEED_CARRIERS,
  type CatalogLookup,
  type CustomerLookup,
  type MappingContext,
} from '../../mapping';
import type { ShopkitClient, ShopkitCoupon, ShopkitOrder, ShopkitProduct } from '../../shopkit';
import type { ImportResource, MappingSettings } from '../../contracts/import';
import { PageBatch } from './page-batch';

export interface PageRead {
  batch: PageBatch;
  total: number | null;
  pageCount: number;
  done: boolean;
  read: number;
  couponCodes: string[];
  /** Ids of customers to delete (clients flagged deleted). */
  deletes: { target: 'customers'; ids: string[] }[];
  /** Products read on this page: order pages look up their option titles. */
  products: ShopkitProduct[];
}

export interface ReadContext {
  shopkit: ShopkitClient;
  resource: ImportResource;
  page: number;
  mapping: MappingSettings;
  /** Coupon codes of a voucher batch. */
  codes: string[];
  /** Awaited before each of several Shopkit calls made by one activity (voucher batches): their slots. */
  spacing: () => Promise<void>;
  /** Lookups an order page needs; resolved by the caller because they may cost API calls. */
  orderLookups: (orders: readonly ShopkitOrder[]) => Promise<{ catalog: CatalogLookup; customers: CustomerLookup }>;
  /** When set, only records with these source keys are mapped (replaying rejects). */
  only?: ReadonlySet<string>;
}

export function mappingContextOf(settings: MappingSettings): MappingContext {
  return {
    ...DEFAULT_MAPPING_CONFIG,
    dataSourceId: settings.dataSourceId,
    seedTimestamp: settings.seedTimestamp,
    storeCurrency: settings.storeCurrency,
    storeUrl: settings.storeUrl,
    taxesIncluded: settings.taxesIncluded,
  };
}

/** The source key replays use: the Shopkit id, the e-mail hash for clients, the code for coupons. */
export const sourceKeys = {
  product: (product: { id: number }) => String(product.id),
  order: (order: { id: number }) => String(order.id),
  client: (client: { email: string | null; id: number | null }) => {
    const email = normaliseEmail(client.email);
    return email ? customerIdOf(email) : `client ${client.id ?? '?'}`;
  },
  coupon: (coupon: { code: string }) => coupon.code,
};

type Reader = (ctx: ReadContext) => Promise<PageRead>;

/** One reader per import lane: read one Shopkit page (or batch), map it, nothing written yet. */
export const pageReaders: Record<ImportResource, Reader> = {
  customerGroups: (ctx) =>
    Promise.resolve(fixedPage(ctx, 'customersGroups', mapCustomerGroups(mappingContextOf(ctx.mapping)))),
  orderStatuses: (ctx) =>
    Promise.resolve(fixedPage(ctx, 'ordersStatuses', mapOrderStatuses(mappingContextOf(ctx.mapping)))),

  carriers: async (ctx) => {
    const listed = await ctx.shopkit.listCarriers();
    // Shopkit documents the carrier list only in its newer edition; the fixed list of
    // docs/mapping-decisions.md#carriers stands in.
    const carriers = listed.items.length > 0 ? listed.items : [...SEED_CARRIERS];
    const read = fixedPage(ctx, 'ordersCarriers', mapCarriers(carriers, mappingContextOf(ctx.mapping)));
    for (const invalid of listed.invalid) {
      read.batch.reject('ordersCarriers', invalid.sourceId ?? `#${invalid.index}`, invalid.reasons, 'read');
    }
    return { ...read, read: listed.items.length + listed.invalid.length };
  },

  categories: async (ctx) => {
    const page = await ctx.shopkit.readPage('categories', ctx.page);
    const batch = pageBatch(ctx, 'productsCategories', page.invalid);
    const mapping = mappingContextOf(ctx.mapping);
    // Children arrive nested in their parent; the mapper flattens them, so map the page as a whole.
    batch.addShared('productsCategories', mapCategories(page.items, mapping));
    return listPage(page, batch);
  },

  manufacturers: async (ctx) => {
    const page = await ctx.shopkit.readPage('brands', ctx.page);
    const batch = pageBatch(ctx, 'productsManufacturers', page.invalid);
    const mapping = mappingContextOf(ctx.mapping);
    for (const brand of selected(ctx, page.items, (b) => String(b.id))) {
      batch.add('productsManufacturers', String(brand.id), mapManufacturers([brand], mapping));
    }
    return listPage(page, batch);
  },

  products: async (ctx) => {
    const page = await ctx.shopkit.readPage('products', ctx.page);
    const batch = pageBatch(ctx, 'products', page.invalid);
    const mapping = mappingContextOf(ctx.mapping);
    for (const product of selected(ctx, page.items, sourceKeys.product)) {
      const key = sourceKeys.product(product);
      batch.add('products', key, mapProducts([product], mapping));
      batch.add('productVariations', key, mapProductVariations([product], mapping));
      batch.add('productImages', key, mapProductImages([product], mapping));
      if (ctx.mapping.catalogDefinitionId !== null) {
        batch.add('catalogIndex', key, { items: [catalogIndexRecordOf(product)], rejected: [] });
      }
    }
    return { ...listPage(page, batch), products: page.items };
  },

  customers: async (ctx) => {
    const page = await ctx.shopkit.readPage('clients', ctx.page);
    const batch = pageBatch(ctx, 'customers', page.invalid);
    const mapping = mappingContextOf(ctx.mapping);
    const clients = selected(ctx, page.items, sourceKeys.client);
    for (const client of clients) {
      const key = sourceKeys.client(client);
      batch.add('customers', key, mapCustomers([client], mapping));
      batch.add('customerAddresses', key, mapClientAddresses([client], mapping));
      batch.add('newsletterSubscribers', key, mapNewsletterSubscribers([client], mapping));
      if (ctx.mapping.customDataDefinitionId !== null) {
        batch.add('customerProfiles', key, mapCustomerProfiles([client], mapping));
      }
    }
    const deleted = deletedCustomerIds(clients);
    return { ...listPage(page, batch), deletes: deleted.length > 0 ? [{ target: 'customers', ids: deleted }] : [] };
  },

  orders: async (ctx) => {
    const page = await ctx.shopkit.readPage('orders', ctx.page);
    const batch = pageBatch(ctx, 'orders', page.invalid);
    const orders = selected(ctx, page.items, sourceKeys.order);
    const { catalog, customers } = await ctx.orderLookups(orders);
    const mapping = { ...mappingContextOf(ctx.mapping), catalog, customers };
    // Parents first: the carrier rows, the customers and the addresses the orders reference.
    batch.addShared('ordersCarriers', mapShipmentMethodCarriers(orders, mapping));
    for (const order of orders) {
      const key = sourceKeys.order(order);
      batch.add('customers', key, mapOrderCustomers([order], mapping));
      batch.add('customerAddresses', key, mapOrderAddresses([order], mapping));
    }
    for (const order of orders) batch.add('orders', sourceKeys.order(order), mapOrders([order], mapping));
    return { ...listPage(page, batch), couponCodes: [...collectCouponCodes(page.items)] };
  },

  vouchers: async (ctx) => {
    const batch = new PageBatch(ctx.resource, ctx.page);
    const mapping = mappingContextOf(ctx.mapping);
    const codes = ctx.codes.filter((code) => !ctx.only || ctx.only.has(code));
    let read = 0;
    for (const code of codes) {
      await ctx.spacing();
      const coupon: ShopkitCoupon | null = await ctx.shopkit.getCoupon({ code });
      if (!coupon) {
        batch.reject('vouchers', code, ['Shopkit has no coupon with this code any more'], 'read');
        continue;
      }
      read += 1;
      batch.add('vouchers', sourceKeys.coupon(coupon), mapVouchers([coupon], mapping));
    }
    return { batch, total: null, pageCount: ctx.page, done: false, read, couponCodes: [], deletes: [], products: [] };
  },
};

function fixedPage(ctx: ReadContext, target: string, result: Parameters<PageBatch['addShared']>[1]): PageRead {
  const batch = new PageBatch(ctx.resource, ctx.page);
  batch.addShared(target, result);
  return {
    batch,
    total: result.items.length,
    pageCount: 1,
    done: true,
    read: 0,
    couponCodes: [],
    deletes: [],
    products: [],
  };
}

function pageBatch(
  ctx: ReadContext,
  target: string,
  invalid: readonly { index: number; sourceId: string | null; reasons: string[] }[],
): PageBatch {
  const batch = new PageBatch(ctx.resource, ctx.page);
  for (const item of invalid) {
    const sourceId = item.sourceId ?? `page ${ctx.page} item ${item.index}`;
    if (!ctx.only || ctx.only.has(sourceId)) batch.reject(target, sourceId, item.reasons, 'read');
  }
  return batch;
}

function selected<T>(ctx: ReadContext, items: readonly T[], key: (item: T) => string): T[] {
  return ctx.only ? items.filter((item) => ctx.only?.has(key(item))) : [...items];
}

function listPage(
  page: { total: number | undefined; pageCount: number | undefined; done: boolean; page: number; received: number },
  batch: PageBatch,
): PageRead {
  return {
    batch,
    total: page.total ?? null,
    pageCount: page.pageCount ?? (page.done ? page.page : page.page + 1),
    done: page.done,
    read: page.received,
    couponCodes: [],
    deletes: [],
    products: [],
  };
}
