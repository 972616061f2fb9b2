import type { z } from 'zod';
import {
  ShopimindCustomerAddressSchema,
  ShopimindCustomerSchema,
  ShopimindCustomersGroupSchema,
  ShopimindNewsletterSubscriberSchema,
  ShopimindOrderSchema,
  ShopimindOrdersCarrierSchema,
  ShopimindOrdersStatusSchema,
  ShopimindProductImageSchema,
  ShopimindProductSchema,
  ShopimindProductVariationSchema,
  ShopimindProductsCategorySchema,
  ShopimindProductsManufacturerSchema,
  ShopimindVoucherSchema,
  type BulkDeleteKey,
} from './schemas';

export interface ShopimindResource<S extends z.ZodObject = z.ZodObject> {
  /** Item schema, used by the client before sending and by the simulator on receipt. */
  schema: S;
  /** `POST` bulk upsert route (below `/v1`). */
  upsertPath: string;
  /**
   * Items per upsert call: the reference's maximum, else the SDK chunk size
   * (docs/shopimind-api-notes.md#resources-and-limits).
   */
  upsertMax: number;
  /** Fields that identify an item: the upsert key (docs/shopimind-api-notes.md#resources-and-limits). */
  keys: readonly (keyof z.infer<S> & string)[];
  /** Paginated `GET` route, when the resource can be read back; `{param}` segments come from `parent`. */
  listPath?: string;
  /** `POST` bulk-delete route, its body key and its maximum; absent when ShopiMind has none. */
  bulkDelete?: { path: string; bodyKey: BulkDeleteKey; max: number };
  /** Path parameter naming the parent of a sub-resource, for its delete and list routes. */
  parent?: string;
}

/** Checks an entry against `ShopimindResource` while keeping its literal shape (which routes it has). */
const define = <S extends z.ZodObject, const E extends Omit<ShopimindResource<S>, 'schema'>>(schema: S, entry: E) => ({
  schema,
  ...entry,
});

/**
 * Only the customers bulk-delete limit (20) is documented; the SDK sends the others unchunked, so 20 is the
 * safe maximum for all of them (docs/shopimind-api-notes.md#bulk-deletes).
 */
const DELETE_MAX = 20;

/**
 * Every resource the connector writes. Sub-resources (addresses, variations, images) are upserted through
 * their cross-parent routes so one call carries items of many parents; their deletes are per parent.
 */
export const shopimindResources = {
  customers: define(ShopimindCustomerSchema, {
    upsertPath: '/customers',
    upsertMax: 50,
    keys: ['customer_id'],
    listPath: '/customers',
    bulkDelete: { path: '/customers/bulk-delete', bodyKey: 'customer_ids', max: DELETE_MAX },
  }),
  customerAddresses: define(ShopimindCustomerAddressSchema, {
    upsertPath: '/customers/addresses/bulk',
    upsertMax: 50,
    keys: ['customer_id', 'address_id'],
    listPath: '/customers/{customer_id}/addresses',
    bulkDelete: { path: '/customers/{customer_id}/addresses/bulk-delete', bodyKey: 'address_ids', max: DELETE_MAX },
    parent: 'customer_id',
  }),
  customersGroups: define(ShopimindCustomersGroupSchema, {
    upsertPath: '/customers-groups',
    upsertMax: 100,
    keys: ['group_id', 'lang'],
    listPath: '/customers-groups',
    bulkDelete: { path: '/customers-groups/bulk-delete', bodyKey: 'group_ids', max: DELETE_MAX },
  }),
  newsletterSubscribers: define(ShopimindNewsletterSubscriberSchema, {
    upsertPath: '/newsletter-subscribers',
    upsertMax: 50,
    // Undocumented (docs/shopimind-api-notes.md#open-points); the email is the only candidate.
    keys: ['email'],
  }),
  products: define(ShopimindProductSchema, {
    upsertPath: '/products',
    upsertMax: 50,
    keys: ['product_id', 'lang'],
    listPath: '/products',
    bulkDelete: { path: '/products/bulk-delete', bodyKey: 'product_ids', max: DELETE_MAX },
  }),
  productVariations: define(ShopimindProductVariationSchema, {
    upsertPath: '/products/variations/bulk',
    upsertMax: 50,
    keys: ['product_id', 'variation_id'],
    bulkDelete: {
      path: '/products/{product_id}/variations/bulk-delete',
      bodyKey: 'variation_ids',
      max: DELETE_MAX,
    },
    parent: 'product_id',
  }),
  productImages: define(ShopimindProductImageSchema, {
    upsertPath: '/products/images/bulk',
    upsertMax: 50,
    keys: ['product_id', 'image_id'],
    bulkDelete: { path: '/products/{product_id}/images/bulk-delete', bodyKey: 'image_ids', max: DELETE_MAX },
    parent: 'product_id',
  }),
  productsCategories: define(ShopimindProductsCategorySchema, {
    upsertPath: '/products-categories',
    upsertMax: 100,
    keys: ['category_id', 'lang'],
    listPath: '/products-categories',
    bulkDelete: { path: '/products-categories/bulk-delete', bodyKey: 'category_ids', max: DELETE_MAX },
  }),
  productsManufacturers: define(ShopimindProductsManufacturerSchema, {
    upsertPath: '/products-manufacturers',
    upsertMax: 100,
    keys: ['manufacturer_id'],
    listPath: '/products-manufacturers',
    bulkDelete: { path: '/products-manufacturers/bulk-delete', bodyKey: 'manufacturer_ids', max: DELETE_MAX },
  }),
  orders: define(ShopimindOrderSchema, {
    upsertPath: '/orders',
    upsertMax: 50,
    keys: ['order_id'],
    listPath: '/orders',
    bulkDelete: { path: '/orders/bulk-delete', bodyKey: 'order_ids', max: DELETE_MAX },
  }),
  ordersCarriers: define(ShopimindOrdersCarrierSchema, {
    upsertPath: '/orders-carriers',
    upsertMax: 100,
    keys: ['carrier_id'],
    listPath: '/orders-carriers',
    bulkDelete: { path: '/orders-carriers/bulk-delete', bodyKey: 'carrier_ids', max: DELETE_MAX },
  }),
  ordersStatuses: define(ShopimindOrdersStatusSchema, {
    upsertPath: '/orders-statuses',
    upsertMax: 100,
    // Undocumented; the entity is per language like groups and categories.
    keys: ['status_id', 'lang'],
    listPath: '/orders-statuses',
    bulkDelete: { path: '/orders-statuses/bulk-delete', bodyKey: 'status_ids', max: DELETE_MAX },
  }),
  vouchers: define(ShopimindVoucherSchema, {
    upsertPath: '/vouchers',
    upsertMax: 50,
    keys: ['voucher_id'],
    listPath: '/vouchers',
    bulkDelete: { path: '/vouchers/bulk-delete', bodyKey: 'voucher_ids', max: DELETE_MAX },
  }),
} as const;

export type ShopimindResources = typeof shopimindResources;
export type ShopimindResourceName = keyof ShopimindResources;
/** The item type a resource's upsert accepts. */
export type ShopimindItem<R extends ShopimindResourceName> = z.infer<ShopimindResources[R]['schema']>;
/** Resources with a bulk-delete route and no parent. */
export type TopLevelDeletable = {
  [R in ShopimindResourceName]: ShopimindResources[R] extends { bulkDelete: object; parent?: undefined } ? R : never;
}[ShopimindResourceName];
/** Sub-resources, deleted per parent. */
export type ChildResource = {
  [R in ShopimindResourceName]: ShopimindResources[R] extends { parent: string } ? R : never;
}[ShopimindResourceName];
/** Resources with a paginated list route and no parent. */
export type TopLevelListable = {
  [R in ShopimindResourceName]: ShopimindResources[R] extends { listPath: string; parent?: undefined } ? R : never;
}[ShopimindResourceName];

/** Custom-data records (docs/shopimind-api-notes.md#records): 20 per call per the SDK, although a guide says 50. */
export const CUSTOM_DATA_RECORDS_MAX = 20;

/** The external id of an item as one string (key values joined by `/`), or undefined if a key is missing. */
export function externalIdOf(keys: readonly string[], item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const values = keys.map((key) => (item as Record<string, unknown>)[key]);
  return values.every((v) => typeof v === 'string' || typeof v === 'number') ? values.join('/') : undefined;
}

/**
 * Fills `{param}` segments of a route, percent-encoding each value (docs/shopimind-api-notes.md#essentials: encode
 * every path segment).
 */
export function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}
