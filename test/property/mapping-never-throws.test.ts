import fc from 'fast-check';
import type { z } from 'zod';
import {
  mapCartAbandonedTriggers,
  mapCategories,
  mapClientAddresses,
  mapCustomerProfiles,
  mapCustomers,
  mapManufacturers,
  mapNewsletterSubscribers,
  mapOrderAddresses,
  mapOrderCustomers,
  mapOrderPaymentFailedTriggers,
  mapOrders,
  mapProductImages,
  mapProducts,
  mapProductVariations,
  mapShipmentMethodCarriers,
  mapVouchers,
  catalogLookupOf,
  CustomerProfileRecordSchema,
  type EventTrigger,
  type MappingContext,
  type MappingResult,
} from '../../src/mapping';
import {
  ShopimindCustomerAddressSchema,
  ShopimindCustomerSchema,
  ShopimindNewsletterSubscriberSchema,
  ShopimindOrderSchema,
  ShopimindOrdersCarrierSchema,
  ShopimindProductImageSchema,
  ShopimindProductSchema,
  ShopimindProductsCategorySchema,
  ShopimindProductsManufacturerSchema,
  ShopimindProductVariationSchema,
  ShopimindVoucherSchema,
  ShopimindEventTriggerSchema,
} from '../../src/shopimind/schemas';
import {
  ShopkitAbandonedCartSchema,
  ShopkitBrandSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
} from '../../src/shopkit/schemas';

const ctx: MappingContext = {
  defaultLang: 'pt',
  timezone: 'Europe/Lisbon',
  dataSourceId: 7,
  seedTimestamp: '2025-01-01T00:00:00.000Z',
  stockSentinel: 999,
  imageSize: 'full',
  storeCurrency: 'EUR',
  storeUrl: 'https://shop.shopk.it',
  taxesIncluded: true,
};

// --- Shopkit-like wire values, quirks included -------------------------------------------------

const numericString = fc.integer({ min: -100_000_000, max: 100_000_000 }).map((cents) => (cents / 10_000).toFixed(4));
const money = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 100_000 }),
  numericString,
  fc.constantFrom('', null, 7.731999999999999, 16.0052),
);
const id = fc.oneof(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000 }).map(String));
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', '  ', 'Caf&eacute; &amp; Bar&#8230;', '<p>HTML</p>', 'Rua A\\nBloco 2', 'Linha 1\nLinha 2', 'é'),
);
const optionalText = fc.oneof(text, fc.constant(null));
const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.integer({ min: 0, max: 4_000_000_000 }).map(String),
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2017-05-17T10:45:05+01:00',
    '2020-11-27T14:07:10+00:0',
    '2021-05-07 01:05:51',
    '2021-05-07',
    '2017-02-30 10:00:00',
    '',
    null,
  ),
);
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('', 'https://shop.shopk.it/assets/store/img/no-img.jpg', 'not a url'),
);
const image = fc.oneof(fc.constant(null), fc.constant([]), fc.record({ thumb: url, square: url, full: url }));
const email = fc.oneof(fc.emailAddress(), fc.constantFrom('', ' Info@Shopk.IT ', 'no-at-sign', 'a@b'), fc.string());
const flag = fc.oneof(fc.boolean(), fc.constantFrom('1', '0', 1, 0, null));
const address = fc.record({
  name: text,
  phone: fc.oneof(text, fc.constantFrom('969057993', '+351 969 057 993', '00351969057993')),
  address: text,
  address_extra: fc.oneof(optionalText, fc.integer({ min: 0, max: 99 })),
  country: text,
  country_code: fc.constantFrom('PRT', 'ESP', 'prt', 'ZZZ', ''),
  country_code_alpha_2: fc.constantFrom('PT', 'es', '', null, 'XX'),
  zip_code: fc.constantFrom('6000-767', '6000-767 ', ''),
  city: text,
  same_as_delivery: flag,
});

const variant = fc.record({
  id,
  title: text,
  price: money,
  price_promo: fc.oneof(money, fc.constant(null)),
  promo: flag,
  price_on_request: flag,
  active: fc.oneof(flag, fc.constant(undefined)),
  stock: money,
  reference: text,
  barcode: fc.oneof(optionalText, fc.constantFrom('4006381333931', '012345678905')),
  url,
  image,
});

const product = fc.record({
  id,
  title: text,
  reference: optionalText,
  barcode: fc.oneof(optionalText, fc.constantFrom('4006381333931', '012345678905')),
  price: money,
  price_promo: fc.oneof(money, fc.constant(null)),
  price_on_request: flag,
  promo: flag,
  created_at: timestamp,
  updated_at: timestamp,
  status: fc.integer({ min: 1, max: 4 }),
  status_alias: fc.constantFrom('active', 'hidden', 'out_of_stock', 'soon'),
  description: optionalText,
  excerpt: text,
  description_short: text,
  video_embed_url: fc.oneof(fc.constant(false), url),
  wholesale_exclusive: flag,
  url,
  permalink: url,
  image,
  images: fc.array(fc.record({ thumb: url, square: url, full: url }), { maxLength: 4 }),
  categories: fc.array(fc.record({ id, parent: fc.oneof(id, fc.constant(0)), title: text, image }), { maxLength: 3 }),
  brand: fc.oneof(fc.constant(null), id, fc.record({ id })),
  tags: fc.oneof(fc.constant(null), fc.array(fc.string(), { maxLength: 3 })),
  options: fc.array(variant, { maxLength: 4 }),
  stock: fc.oneof(
    fc.constant({ stock_enabled: false }),
    fc.record({ stock_enabled: flag, stock_qty: money }),
    fc.constant(null),
  ),
});

const orderLine = fc.record({
  id,
  title: text,
  option: optionalText,
  price: money,
  price_without_tax: fc.oneof(money, fc.constant(undefined)),
  tax: fc.constantFrom(0, 6, 13, 23, '23', ''),
  quantity: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('2')),
  discount_percent: fc.oneof(money, fc.constantFrom(0, 10, 100)),
  subtotal_with_tax: fc.oneof(money, fc.constant(undefined)),
  is_product: fc.oneof(flag, fc.constant(undefined)),
});

const order = fc.record({
  id,
  total: money,
  total_tax: money,
  discount: money,
  shipping: fc.oneof(
    fc.constant(null),
    fc.record({ value: money, tax: money, tax_percent: fc.constantFrom('', null, 23), discount: money }),
  ),
  created_at: fc.constantFrom('2017-05-17T10:45:05+01:00', '2024-01-01T00:00:00Z', 1416357859, '2021-05-07 01:05:51'),
  update_at: timestamp,
  currency: fc.constantFrom('EUR', '', ' usd '),
  status: fc.integer({ min: 1, max: 11 }),
  paid: flag,
  wholesale: flag,
  tracking_code: text,
  tracking_carrier: fc.constantFrom('', 'ctt', 'asp', ' DPD ', 'unknown_carrier'),
  expected_arrival_from: fc.constant(null),
  expected_arrival_until: fc.constant(null),
  billing_info_same_delivery: flag,
  coupon: fc.oneof(
    fc.constant(null),
    fc.record({ code: text, type: fc.constantFrom('percent', 'money', 'shipping', ''), value: money }),
  ),
  shipment_method: text,
  shipment_method_id: fc.oneof(id, fc.constantFrom(null, '')),
  permalink: url,
  payment: fc.oneof(fc.constant(null), fc.record({ type: text, method: optionalText, title: optionalText })),
  client: fc.record({
    id: fc.oneof(id, fc.constant(null)),
    name: text,
    email,
    company: optionalText,
    delivery: fc.oneof(address, fc.constant(null)),
    billing: fc.oneof(address, fc.constant(null)),
  }),
  products: fc.array(orderLine, { maxLength: 4 }),
});

const client = fc.record({
  id: fc.oneof(id, fc.constant(null)),
  name: text,
  email,
  company: optionalText,
  fiscal_id: optionalText,
  locale: fc.constantFrom('0', 'pt_PT', 'en-GB', null, 'xx_XX_YY'),
  birthday: fc.constantFrom('1990-02-28', '1990-02-30', null, ''),
  accepts_marketing: flag,
  wholesale: fc.oneof(flag, fc.constant('pending')),
  created_at: timestamp,
  last_seen_at: timestamp,
  is_banned: flag,
  is_deleted: flag,
  tags: fc.oneof(
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), fc.record({ title: fc.string() })), { maxLength: 3 }),
  ),
  delivery: fc.oneof(address, fc.constant(null)),
  billing: fc.oneof(address, fc.constant(null)),
  orders_summary: fc.oneof(
    fc.constant(null),
    fc.record({ paid_count: money, paid_value: money, total_count: money, total_value: money }),
  ),
});

const category = fc.record({
  id,
  title: text,
  parent: fc.oneof(id, fc.constant(0)),
  description: optionalText,
  active: flag,
  handle: text,
  url,
  permalink: url,
  image,
  children: fc.oneof(
    fc.constant(null),
    fc.array(fc.record({ id, title: text, parent: id, url, permalink: url }), { maxLength: 2 }),
  ),
  created_at: timestamp,
  updated_at: timestamp,
});

const brand = fc.record({ id, title: text, active: flag, created_at: timestamp, updated_at: timestamp });

const coupon = fc.record({
  id,
  code: text,
  limit: money,
  used: money,
  value: money,
  type: fc.constantFrom('money', 'percent', 'shipping'),
  applies_to: fc.constantFrom('all_orders', 'orders_over', 'category', 'product', 'brand', 'tag'),
  orders_over: fc.oneof(money, fc.constant(null)),
  category: fc.constant(null),
  product: fc.constant(null),
  brand: fc.constant(null),
  tag: fc.constant(null),
  countries: fc.constant(null),
  date_from: fc.constantFrom(null, '2024-07-01', '2024-02-30'),
  date_to: fc.constantFrom(null, '2024-07-31'),
  active: fc.oneof(flag, fc.constant(undefined)),
  created_at: timestamp,
  updated_at: timestamp,
});

const cart = fc.record({
  id,
  client: fc.record({ name: text, email }),
  products: fc.array(
    fc.record({ id, option_id: fc.oneof(id, fc.constant(null)), title: text, quantity: money, price: money }),
    { maxLength: 3 },
  ),
  total: money,
  currency: text,
  url,
  created_at: timestamp,
  updated_at: timestamp,
});

/** Parsed through the real input schema; the items the boundary would reject never reach a mapper. */
function parsedList<S extends z.ZodType>(schema: S, raw: fc.Arbitrary<unknown>) {
  return fc.array(raw, { maxLength: 6 }).map((items) =>
    items.flatMap((item) => {
      const parsed = schema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }),
  );
}

/** Every item passes the ShopiMind schema; every rejection names its source and gives a deliberate reason. */
function expectWellFormed<T>(result: MappingResult<T>, schema: z.ZodType): void {
  for (const item of result.items) expect(schema.safeParse(item).error).toBeUndefined();
  for (const rejection of result.rejected) {
    expect(typeof rejection.sourceId).toBe('string');
    expect(rejection.reasons.length).toBeGreaterThan(0);
    // A thrown TypeError would also end up as a rejection: only documented or schema reasons are acceptable.
    for (const reason of rejection.reasons) expect(reason).not.toMatch(/^unexpected mapping error/);
  }
}

/** Triggers are checked on their body, the part sent to ShopiMind. */
function bodiesOf(result: MappingResult<EventTrigger>): MappingResult<EventTrigger['body']> {
  return { items: result.items.map((trigger) => trigger.body), rejected: result.rejected };
}

const RUNS = { numRuns: 150 };

describe('mapping is total over Shopkit-like input', () => {
  it('catalogue: categories, manufacturers, products, variations, images', () => {
    fc.assert(
      fc.property(
        parsedList(ShopkitCategorySchema, category),
        parsedList(ShopkitBrandSchema, brand),
        parsedList(ShopkitProductSchema, product),
        (categories, brands, products) => {
          expectWellFormed(mapCategories(categories, ctx), ShopimindProductsCategorySchema);
          const manufacturers = mapManufacturers(brands, ctx);
          expectWellFormed(manufacturers, ShopimindProductsManufacturerSchema);
          expect(manufacturers.items.length + manufacturers.rejected.length).toBe(brands.length);
          const mapped = mapProducts(products, ctx);
          expectWellFormed(mapped, ShopimindProductSchema);
          expect(mapped.items.length + mapped.rejected.length).toBe(products.length);
          expectWellFormed(mapProductVariations(products, ctx), ShopimindProductVariationSchema);
          expectWellFormed(mapProductImages(products, ctx), ShopimindProductImageSchema);
        },
      ),
      RUNS,
    );
  });

  it('customers: customers, addresses, newsletter subscribers, profiles', () => {
    fc.assert(
      fc.property(parsedList(ShopkitClientSchema, client), fc.date({ noInvalidDate: true }), (clients, observed) => {
        const observedAt = observed.toISOString();
        const customers = mapCustomers(clients, { ...ctx, observedAt });
        expectWellFormed(customers, ShopimindCustomerSchema);
        expect(customers.items.length + customers.rejected.length).toBe(clients.filter((c) => !c.is_deleted).length);
        expectWellFormed(mapClientAddresses(clients, ctx), ShopimindCustomerAddressSchema);
        expectWellFormed(mapNewsletterSubscribers(clients, ctx), ShopimindNewsletterSubscriberSchema);
        expectWellFormed(mapCustomerProfiles(clients, { ...ctx, observedAt }), CustomerProfileRecordSchema);
      }),
      RUNS,
    );
  });

  it('orders: orders, their addresses, customers, carriers, payment-failed triggers', () => {
    fc.assert(
      fc.property(
        parsedList(ShopkitOrderSchema, order),
        parsedList(ShopkitProductSchema, product),
        (orders, products) => {
          const mapped = mapOrders(orders, { ...ctx, catalog: catalogLookupOf(products) });
          expectWellFormed(mapped, ShopimindOrderSchema);
          expect(mapped.items.length + mapped.rejected.length).toBe(orders.length);
          expectWellFormed(mapOrderAddresses(orders, ctx), ShopimindCustomerAddressSchema);
          expectWellFormed(mapOrderCustomers(orders, ctx), ShopimindCustomerSchema);
          expectWellFormed(mapShipmentMethodCarriers(orders, ctx), ShopimindOrdersCarrierSchema);
          expectWellFormed(bodiesOf(mapOrderPaymentFailedTriggers(orders, ctx)), ShopimindEventTriggerSchema);
        },
      ),
      RUNS,
    );
  });

  it('vouchers and abandoned carts', () => {
    fc.assert(
      fc.property(
        parsedList(ShopkitCouponSchema, coupon),
        parsedList(ShopkitAbandonedCartSchema, cart),
        (coupons, carts) => {
          const vouchers = mapVouchers(coupons, ctx);
          expectWellFormed(vouchers, ShopimindVoucherSchema);
          expect(vouchers.items.length + vouchers.rejected.length).toBe(coupons.length);
          const triggers = mapCartAbandonedTriggers(carts, ctx);
          expectWellFormed(bodiesOf(triggers), ShopimindEventTriggerSchema);
          expect(triggers.items.length + triggers.rejected.length).toBe(carts.length);
        },
      ),
      RUNS,
    );
  });
});
