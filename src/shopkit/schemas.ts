/**
 * Zod schemas of every Shopkit payload the connector reads (docs/shopkit-api-notes.md#payloads,
 * docs/shopkit-api-notes.md#webhook-payloads), parsed at the HTTP/webhook boundary. They accept the documented variants
 * and output one normalised shape:
 *
 * - Numbers: numeric strings become numbers wherever the value is numeric (ids, money, counts).
 * - Timestamps: an instant (ISO with offset, truncated `+00:0`, Unix seconds) becomes a UTC
 *   `toISOString()` string; a value without a zone is kept verbatim (see `timestampOrNull`);
 *   `""`/`null`/missing become `null`.
 * - `update_at` (orders) is renamed `updated_at`, so every resource spells it the same way.
 * - Missing or `null` collections become `[]`; `image: []` becomes `null`; `video_embed_url: false`
 *   becomes `null`; client `subscribe_newsletter` (webhook) becomes `accepts_marketing` (API).
 * - Unknown keys are accepted and dropped (zod's default): Shopkit adds fields in place, and
 *   keeping the output types exact lets the compiler catch a misspelt field in the mapping.
 */
import { z } from 'zod';
import {
  amount,
  dateOrNull,
  flag,
  id,
  idOrNull,
  isRecord,
  list,
  num,
  numOrNull,
  text,
  textOrNull,
  textRequired,
  timestamp,
  timestampOrNull,
} from './wire-primitives';

// ---------------------------------------------------------------------------------------------
// Enumerations (docs/shopkit-api-notes.md#enumerations)

export const SHOPKIT_PRODUCT_STATUSES = ['active', 'hidden', 'out_of_stock', 'soon'] as const;
export const ShopkitProductStatusSchema = z.enum(SHOPKIT_PRODUCT_STATUSES);

/**
 * Order status aliases in code order 1–11 (docs/shopkit-api-notes.md#enumerations): `SHOPKIT_ORDER_STATUSES[code - 1]`.
 */
export const SHOPKIT_ORDER_STATUSES = [
  'pending',
  'processing',
  'sent',
  'canceled',
  'waiting_confirmation',
  'waiting_payment',
  'waiting_stock',
  'delivered',
  'returned',
  'pickup_available',
  'waiting_shipment',
] as const;
export const ShopkitOrderStatusSchema = z.enum(SHOPKIT_ORDER_STATUSES);
export type ShopkitOrderStatus = z.infer<typeof ShopkitOrderStatusSchema>;

export const SHOPKIT_CARRIER_ALIASES = [
  'correos_express',
  'ctt',
  'dhl_express',
  'dhl_globalmail',
  'dhl_parcel',
  'dpd',
  'fedex',
  'gls',
  'mrw',
  'nacex',
  'rangel',
  'seur',
  'tnt',
  'ups',
  'vasp',
  'other',
] as const;

export const SHOPKIT_COUPON_TYPES = ['money', 'percent', 'shipping'] as const;
export const ShopkitCouponTypeSchema = z.enum(SHOPKIT_COUPON_TYPES);

/** The union of both editions' `applies_to` values (docs/shopkit-api-notes.md#other-payloads). */
export const SHOPKIT_COUPON_SCOPES = ['all_orders', 'orders_over', 'category', 'product', 'brand', 'tag'] as const;

// ---------------------------------------------------------------------------------------------
// Shared sub-objects (docs/shopkit-api-notes.md#shared-sub-objects)

export const ShopkitImageSchema = z.object({ thumb: text, square: text, full: text });
export type ShopkitImage = z.infer<typeof ShopkitImageSchema>;

/** An Image, or `null` for the `[]`/`null`/missing that stand for "no image". */
export const ShopkitImageOrNullSchema = z.preprocess(
  (v) => (Array.isArray(v) || v === undefined ? null : v),
  ShopkitImageSchema.nullable(),
);

export const ShopkitAddressSchema = z.object({
  name: text,
  phone: text,
  /** May hold real line breaks or the literal two characters `\n`; normalising is the mapping's job. */
  address: text,
  address_extra: textOrNull,
  country: text,
  country_code: text,
  country_code_alpha_2: textOrNull,
  /** Sent with trailing spaces at times; kept as received. */
  zip_code: text,
  city: text,
  /** Billing blocks only (newer edition); `false` elsewhere. */
  same_as_delivery: flag,
});
export type ShopkitAddress = z.infer<typeof ShopkitAddressSchema>;

const addressOrNull = z.preprocess((v) => (isRecord(v) ? v : null), ShopkitAddressSchema.nullable());

export const ShopkitTagSchema = z.object({
  id: idOrNull,
  title: text,
  handle: text,
  total_items: amount,
  created_at: timestampOrNull,
});

/** Client/product tags: element shape undocumented (input is `string[]`); objects contribute their title. */
const tagNames = list(z.union([z.string(), z.number()]).or(z.object({ title: textRequired }))).transform((tags) =>
  tags.map((tag) => (typeof tag === 'object' ? tag.title : String(tag))),
);

const wishlistLinks = z.preprocess(
  (v) => (isRecord(v) ? v : undefined),
  z.object({ add_url: text, remove_url: text }).optional(),
);

// ---------------------------------------------------------------------------------------------
// Product (docs/shopkit-api-notes.md#product)

export const ShopkitVariantSchema = z.object({
  id,
  id_variant_1: idOrNull,
  id_variant_2: idOrNull,
  id_variant_3: idOrNull,
  title: text,
  price: amount,
  price_formatted: text,
  price_without_tax: numOrNull,
  price_promo: numOrNull,
  price_promo_formatted: textOrNull,
  price_wholesale: numOrNull,
  price_wholesale_formatted: textOrNull,
  price_promo_percentage: numOrNull,
  promo: flag,
  price_on_request: flag,
  /** Inactive variants are listed too; absence means active. */
  active: z.preprocess((v) => v ?? true, flag),
  stock: amount,
  shipping: amount,
  weight: amount,
  reference: text,
  barcode: textOrNull,
  url: text,
  image: ShopkitImageOrNullSchema,
  wishlist: wishlistLinks,
});
export type ShopkitVariant = z.infer<typeof ShopkitVariantSchema>;

export const ShopkitOptionGroupSchema = z.object({
  id,
  title: text,
  options: list(z.object({ id, title: text })),
});

/** With stock tracking off Shopkit sends only `{stock_enabled: false}`; the rest default to off/0. */
export const ShopkitStockSchema = z.object({
  stock_enabled: flag,
  stock_qty: amount,
  stock_backorder: flag,
  stock_show: flag,
  stock_sold_single: flag,
  stock_notify: amount,
});

/** The category shape embedded in a product (smaller than a category, docs/shopkit-api-notes.md#category-and-brand). */
export const ShopkitProductCategorySchema = z.object({
  id,
  /** Parent category id, 0 for top level. */
  parent: amount,
  active: z.preprocess((v) => v ?? true, flag),
  title: text,
  description: text,
  handle: text,
  url: text,
  image: ShopkitImageOrNullSchema,
});

/** Product `brand`: `null` in every example; an object with `id` or a bare id is accepted (App. B). */
export const ShopkitBrandRefSchema = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'string' ? (v === '' ? null : { id: v }) : v === false ? null : v),
  z.object({ id, title: textOrNull, handle: textOrNull }).nullable().default(null),
);

export const ShopkitProductSchema = z.object({
  id,
  title: textRequired,
  reference: textOrNull,
  barcode: textOrNull,
  price: amount,
  price_formatted: text,
  price_promo: numOrNull,
  price_promo_formatted: textOrNull,
  price_wholesale: numOrNull,
  price_wholesale_formatted: textOrNull,
  promo_show_percentage: flag,
  price_promo_percentage: numOrNull,
  price_on_request: flag,
  price_without_tax: numOrNull,
  created_at: timestampOrNull,
  updated_at: timestampOrNull,
  /** 1 active, 2 hidden, 3 out of stock, 4 soon. */
  status: num,
  status_alias: ShopkitProductStatusSchema,
  position: amount,
  shipping: amount,
  shipping_alone: flag,
  featured: flag,
  new: flag,
  is_promotion: flag,
  promo: flag,
  description: textOrNull,
  excerpt: text,
  description_short: text,
  video_url: textOrNull,
  video_embed_url: z.preprocess((v) => (v === false || v === '' ? null : v), textOrNull),
  file: textOrNull,
  tax: amount,
  taxable: flag,
  reduced_rate: textOrNull,
  meta_description: textOrNull,
  meta_tags: textOrNull,
  page_title: textOrNull,
  handle: text,
  weight: amount,
  sales: amount,
  variants_same_values: flag,
  wholesale: flag,
  wholesale_exclusive: flag,
  url: text,
  permalink: text,
  add_cart_url: text,
  wishlist: wishlistLinks,
  /** Main image; a placeholder URL (`…/no-img.jpg`) when the product has none. */
  image: ShopkitImageOrNullSchema,
  /** Gallery; usually does not repeat the main image. */
  images: list(ShopkitImageSchema),
  categories: list(ShopkitProductCategorySchema),
  brand: ShopkitBrandRefSchema,
  tags: tagNames,
  options: list(ShopkitVariantSchema),
  option_groups: list(ShopkitOptionGroupSchema),
  stock: z.preprocess((v) => v ?? {}, ShopkitStockSchema),
});
export type ShopkitProduct = z.infer<typeof ShopkitProductSchema>;

// ---------------------------------------------------------------------------------------------
// Category and brand (docs/shopkit-api-notes.md#category-and-brand)

const categoryFields = {
  id,
  title: textRequired,
  is_parent: flag,
  is_child: flag,
  parent: amount,
  description: text,
  position: amount,
  active: z.preprocess((v) => v ?? true, flag),
  handle: text,
  page_title: textOrNull,
  meta_description: textOrNull,
  meta_tags: textOrNull,
  num_products: amount,
  url: text,
  permalink: text,
  image: ShopkitImageOrNullSchema,
};

/** A child summarised inside `children`; the full tree is rebuilt from `parent` across the list. */
export const ShopkitCategoryChildSchema = z.object(categoryFields);

export const ShopkitCategorySchema = z.object({
  ...categoryFields,
  parent_title: textOrNull,
  children: list(ShopkitCategoryChildSchema),
  created_at: timestampOrNull,
  updated_at: timestampOrNull,
});
export type ShopkitCategory = z.infer<typeof ShopkitCategorySchema>;

export const ShopkitBrandSchema = z.object({
  id,
  title: textRequired,
  description: text,
  position: amount,
  active: z.preprocess((v) => v ?? true, flag),
  handle: text,
  page_title: textOrNull,
  meta_description: textOrNull,
  meta_tags: textOrNull,
  num_products: amount,
  url: text,
  permalink: text,
  image: ShopkitImageOrNullSchema,
  created_at: timestampOrNull,
  updated_at: timestampOrNull,
});
export type ShopkitBrand = z.infer<typeof ShopkitBrandSchema>;

// ---------------------------------------------------------------------------------------------
// Order (docs/shopkit-api-notes.md#order)

export const ShopkitOrderShippingSchema = z.object({
  value: amount,
  tax: amount,
  /** `null` (older edition) or `""` (newer) when not applicable. */
  tax_percent: numOrNull,
  discount: amount,
  discount_percent: amount,
});

/** Both editions: the older has `description`, the newer `title`, `method`, `gateway`, `value`, `tax`. */
export const ShopkitPaymentSchema = z.object({
  type: text,
  method: textOrNull,
  title: textOrNull,
  description: textOrNull,
  gateway: textOrNull,
  value: numOrNull,
  tax: numOrNull,
  tax_percent: numOrNull,
  data: z.preprocess((v) => (isRecord(v) ? v : {}), z.record(z.string(), z.unknown())),
});

export const ShopkitOrderCouponSchema = z.object({ code: textRequired, type: text, value: amount });

/** The buyer snapshot on an order. `id` exists only in webhooks (as a string); `hash` only in newer payloads. */
export const ShopkitOrderClientSchema = z.object({
  id: idOrNull,
  hash: textOrNull,
  name: text,
  email: text,
  company: textOrNull,
  fiscal_id: textOrNull,
  is_registered: flag,
  picture: textOrNull,
  delivery: addressOrNull,
  billing: addressOrNull,
});

/** An order line. It carries no variant id: only the variant title (`option`) and `reference`. */
export const ShopkitOrderLineSchema = z.object({
  /** Product id. */
  id,
  title: text,
  option: textOrNull,
  reference: text,
  barcode: textOrNull,
  price: amount,
  price_with_tax: numOrNull,
  price_without_tax: numOrNull,
  /** VAT percent (23 = 23 %). */
  tax: amount,
  quantity: amount,
  discount: amount,
  discount_percent: amount,
  subtotal: amount,
  subtotal_with_tax: numOrNull,
  subtotal_without_tax: numOrNull,
  weight: amount,
  origin_country: textOrNull,
  origin_country_alpha_2: textOrNull,
  harmonized_code: textOrNull,
  type: textOrNull,
  url: text,
  description_short: text,
  image: ShopkitImageOrNullSchema,
  is_product: z.preprocess((v) => v ?? true, flag),
});
export type ShopkitOrderLine = z.infer<typeof ShopkitOrderLineSchema>;

function normaliseOrder(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const order = { ...raw };
  if (order.updated_at === undefined && 'update_at' in order) order.updated_at = order.update_at;
  // Older payloads may carry only the integer status; derive the alias from the code table
  // (docs/shopkit-api-notes.md#enumerations).
  const code = Number(order.status);
  if (order.status_alias === undefined && Number.isInteger(code)) order.status_alias = SHOPKIT_ORDER_STATUSES[code - 1];
  return order;
}

export const ShopkitOrderSchema = z.preprocess(
  normaliseOrder,
  z.object({
    id,
    hash: text,
    total: amount,
    subtotal: amount,
    product_tax: amount,
    total_tax: amount,
    discount: amount,
    shipping: z.preprocess((v) => v ?? {}, ShopkitOrderShippingSchema),
    created_at: timestamp,
    /** Shopkit's `update_at`; the newest-wins ordering key. */
    updated_at: timestampOrNull,
    sent_at: timestampOrNull,
    paid_at: timestampOrNull,
    currency: text,
    payment: z.preprocess((v) => v ?? {}, ShopkitPaymentSchema),
    status: num,
    status_alias: ShopkitOrderStatusSchema,
    /** Localised differently per channel: never key on it. */
    status_description: text,
    paid: flag,
    is_new: flag,
    wholesale: flag,
    is_digital: flag,
    invoice_url: textOrNull,
    weight: amount,
    observations: text,
    note: text,
    client_note: text,
    custom_field: text,
    tracking_code: text,
    tracking_carrier: text,
    tracking_created_at: timestampOrNull,
    tracking_url: text,
    shipping_url: text,
    at_code: text,
    expected_arrival_from: timestampOrNull,
    expected_arrival_until: timestampOrNull,
    billing_info_same_delivery: flag,
    coupon: z.preprocess((v) => (isRecord(v) ? v : null), ShopkitOrderCouponSchema.nullable()),
    shipment_method: text,
    /** A string in the API, a number in webhooks. */
    shipment_method_id: idOrNull,
    permalink: text,
    client: ShopkitOrderClientSchema,
    tags: list(ShopkitTagSchema),
    products_count: numOrNull,
    products_quantity: numOrNull,
    products: list(ShopkitOrderLineSchema),
  }),
);
export type ShopkitOrder = z.infer<typeof ShopkitOrderSchema>;

// ---------------------------------------------------------------------------------------------
// Client (docs/shopkit-api-notes.md#client; webhook client: docs/shopkit-api-notes.md#webhook-payloads)

/** `true`, `false` or `'pending'` (wholesale requested, not yet accepted). */
export const ShopkitWholesaleSchema = z.preprocess(
  (v) => (v === 'pending' || v === 'pendings' ? 'pending' : v),
  z.union([z.literal('pending'), flag]),
);

export const ShopkitOrdersSummarySchema = z.object({
  paid_count: amount,
  unpaid_count: amount,
  paid_value: amount,
  unpaid_value: amount,
  total_count: amount,
  total_value: amount,
});

function normaliseClient(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  if (raw.accepts_marketing !== undefined || raw.subscribe_newsletter === undefined) return raw;
  return { ...raw, accepts_marketing: raw.subscribe_newsletter };
}

/**
 * A client from `GET /client` or a client webhook. The webhook variant has no `id`, `hash`, `type`
 * or `orders_summary` (match it by e-mail), hence the nullable fields.
 */
export const ShopkitClientSchema = z.preprocess(
  normaliseClient,
  z.object({
    id: idOrNull,
    /** MD5 of the e-mail, 32 hex; the `GET /client/{hash}` key. */
    hash: textOrNull,
    name: text,
    email: textRequired,
    company: textOrNull,
    initials: textOrNull,
    fiscal_id: textOrNull,
    /** `"0"` in API examples, `"pt_PT"` in webhooks. */
    locale: textOrNull,
    gender: textOrNull,
    birthday: dateOrNull,
    picture: textOrNull,
    /** Marketing consent (`subscribe_newsletter` in webhooks); absent means no consent. */
    accepts_marketing: flag,
    wholesale: ShopkitWholesaleSchema,
    created_at: timestampOrNull,
    last_seen_at: timestampOrNull,
    /** `guest` or `registered`; `null` in webhooks. */
    type: z.preprocess((v) => v ?? null, z.enum(['guest', 'registered']).nullable()),
    is_registered: flag,
    is_banned: flag,
    is_deleted: flag,
    internal_notes: textOrNull,
    ip_address: textOrNull,
    tags: tagNames,
    delivery: addressOrNull,
    billing: addressOrNull,
    orders_summary: z.preprocess((v) => (isRecord(v) ? v : null), ShopkitOrdersSummarySchema.nullable()),
  }),
);
export type ShopkitClient = z.infer<typeof ShopkitClientSchema>;
/** The same type under a name that cannot be confused with the API client class `ShopkitClient`. */
export type ShopkitCustomer = ShopkitClient;

/** Newsletter events carry only this; `hash` is not the 32-char client hash, key on e-mail. */
export const ShopkitNewsletterClientSchema = z.object({ name: text, email: textRequired, hash: textOrNull });

// ---------------------------------------------------------------------------------------------
// Carrier, coupon, webhook subscription, store (docs/shopkit-api-notes.md#other-payloads)

export const ShopkitCarrierSchema = z.object({ alias: textRequired, title: text });
export type ShopkitCarrier = z.infer<typeof ShopkitCarrierSchema>;

/** Coupon scope targets have an undocumented shape (id, handle or object): kept raw, absent → null. */
const scopeTarget = z.preprocess((v) => v ?? null, z.unknown());

export const ShopkitCouponSchema = z.object({
  id,
  code: textRequired,
  /** Usage limit, 0 = unlimited. */
  limit: amount,
  used: amount,
  value: amount,
  type: ShopkitCouponTypeSchema,
  applies_to: z.enum(SHOPKIT_COUPON_SCOPES),
  applies_to_clients: textOrNull,
  orders_over: numOrNull,
  orders_under: numOrNull,
  category: scopeTarget,
  product: scopeTarget,
  brand: scopeTarget,
  tag: scopeTarget,
  countries: scopeTarget,
  date_from: dateOrNull,
  date_to: dateOrNull,
  shareable_url: textOrNull,
  /** Only the newer edition sends it; an older coupon is taken as active. */
  active: z.preprocess((v) => v ?? true, flag),
  created_at: timestampOrNull,
  updated_at: timestampOrNull,
  orders_total: amount,
  orders_discount: amount,
});
export type ShopkitCoupon = z.infer<typeof ShopkitCouponSchema>;

/** A webhook subscription; `active: false` is how a suspended subscription shows. */
export const ShopkitWebhookSchema = z.object({
  id,
  event: textRequired,
  url: textRequired,
  active: z.preprocess((v) => v ?? true, flag),
});
export type ShopkitWebhook = z.infer<typeof ShopkitWebhookSchema>;

export const ShopkitPaymentMethodSchema = z.object({
  active: flag,
  title: text,
  method: textOrNull,
  gateway: textOrNull,
  alias: textOrNull,
});

export const ShopkitStoreLocationSchema = z.object({
  id: text,
  title: text,
  name: text,
  address: text,
  city: text,
  zip_code: text,
  country: text,
  country_code: text,
  phone: text,
});

export const ShopkitStoreSchema = z.object({
  username: textRequired,
  name: textRequired,
  description: textOrNull,
  url: text,
  domain: text,
  is_ssl: flag,
  email: textOrNull,
  phone: textOrNull,
  cellphone: textOrNull,
  address: textOrNull,
  logo: textOrNull,
  /** ISO 4217. */
  currency: textRequired,
  taxes_included: flag,
  enable_shipping_methods: flag,
  payments: z.preprocess((v) => (isRecord(v) ? v : {}), z.record(z.string(), ShopkitPaymentMethodSchema)),
  locations: list(ShopkitStoreLocationSchema),
  /** Storefront settings (cart, abandoned carts, wholesale…): kept raw, the connector reads few of them. */
  settings: z.preprocess((v) => (isRecord(v) ? v : {}), z.record(z.string(), z.unknown())),
});
export type ShopkitStore = z.infer<typeof ShopkitStoreSchema>;

// ---------------------------------------------------------------------------------------------
// Webhook events (docs/shopkit-api-notes.md#webhook-events, docs/shopkit-api-notes.md#webhook-payloads)

const SHOPKIT_ORDER_EVENTS = [
  'order_created',
  'order_updated',
  'order_deleted',
  'order_paid',
  'order_sent',
  'order_canceled',
  'order_change_status',
  'order_change_payment',
  'order_payment_failed',
  'order_invoice',
  'order_shipping',
  'order_delivered',
  'order_returned',
  'order_pickup_available',
  'order_waiting_shipment',
  'order_invoiced',
  'order_tag_added',
  // Undocumented envelope; "order shipped" is read as an order event.
  'shipping_expedited',
] as const;
const SHOPKIT_CLIENT_EVENTS = [
  'client_created',
  'client_updated',
  'client_deleted',
  'client_tag_added',
  'client_wholesale_requested',
  'client_wholesale_accepted',
  'client_wholesale_revoked',
] as const;
export const SHOPKIT_NEWSLETTER_EVENTS = ['newsletter_subscribed', 'newsletter_unsubscribed'] as const;
const SHOPKIT_PRODUCT_EVENTS = [
  'product_created',
  'product_updated',
  'product_deleted',
  'product_updated_stock',
] as const;
const SHOPKIT_CART_EVENTS = ['cart_abandoned'] as const;

/** All 32 event names of the webhooks guide. */
export const SHOPKIT_EVENT_NAMES = [
  ...SHOPKIT_ORDER_EVENTS,
  ...SHOPKIT_CLIENT_EVENTS,
  ...SHOPKIT_NEWSLETTER_EVENTS,
  ...SHOPKIT_PRODUCT_EVENTS,
  ...SHOPKIT_CART_EVENTS,
] as const;
export const ShopkitEventNameSchema = z.enum(SHOPKIT_EVENT_NAMES);
export type ShopkitEventName = z.infer<typeof ShopkitEventNameSchema>;

/**
 * `cart_abandoned` has no documented envelope. This is the shape the sandbox sends and the connector
 * expects: the client (as in newsletter events) and the cart lines with product/variant ids.
 */
export const ShopkitAbandonedCartSchema = z.object({
  id,
  client: ShopkitNewsletterClientSchema,
  products: list(
    z.object({
      id,
      option_id: idOrNull,
      title: text,
      option: textOrNull,
      quantity: amount,
      price: amount,
    }),
  ),
  total: amount,
  currency: text,
  url: text,
  created_at: timestampOrNull,
  updated_at: timestampOrNull,
});
export type ShopkitAbandonedCart = z.infer<typeof ShopkitAbandonedCartSchema>;

/**
 * A webhook delivery: the `X-Shopkit-Event` header value as `event`, spread with the parsed body
 * (`{event, ...body}`), discriminated into the envelope of its family.
 */
export const ShopkitWebhookEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.enum(SHOPKIT_ORDER_EVENTS), order: ShopkitOrderSchema }),
  z.object({ event: z.enum(SHOPKIT_CLIENT_EVENTS), client: ShopkitClientSchema }),
  z.object({ event: z.enum(SHOPKIT_NEWSLETTER_EVENTS), client: ShopkitNewsletterClientSchema }),
  z.object({ event: z.enum(SHOPKIT_PRODUCT_EVENTS), product: ShopkitProductSchema }),
  z.object({ event: z.enum(SHOPKIT_CART_EVENTS), cart: ShopkitAbandonedCartSchema }),
]);
export type ShopkitWebhookEvent = z.infer<typeof ShopkitWebhookEventSchema>;

/** Validates a delivery from its `X-Shopkit-Event` header and its JSON body. */
export function parseShopkitWebhookEvent(eventHeader: string, body: unknown) {
  return ShopkitWebhookEventSchema.safeParse({ ...(isRecord(body) ? body : {}), event: eventHeader.trim() });
}
