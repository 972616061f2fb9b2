/**
 * The field tables of docs/shopimind-api-notes.md#write-models, transcribed independently of src/shopimind/schemas.ts
 * so that the conformance tests compare the schemas with the documentation rather than with themselves. One row per
 * field: [path, JSON type, required, nullable, a valid sample]. Nested paths use dots (`products.0.price`).
 */
import type { ShopimindItem, ShopimindResourceName } from '../../src/shopimind';

export type JsonType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'object' | 'object[]' | 'enum';
export type FieldRow = readonly [
  path: string,
  type: JsonType,
  required: 'R' | 'O',
  nullable: 'Y' | 'N',
  sample: unknown,
];

const T = '2026-05-07T08:00:00.000Z';
const dataSource: FieldRow[] = [
  ['id_data_source', 'number', 'O', 'N', 3],
  ['source_label', 'string', 'O', 'N', 'shopkit'],
];
const timestamps: FieldRow[] = [
  ['created_at', 'string', 'R', 'N', T],
  ['updated_at', 'string', 'R', 'N', T],
];
const shopId: FieldRow = ['shop_id', 'string', 'O', 'Y', 'main'];

export const fieldTables: Record<ShopimindResourceName, FieldRow[]> = {
  customers: [
    ['customer_id', 'string', 'R', 'N', 'c-1'],
    shopId,
    ['email', 'string', 'R', 'N', 'ann@example.com'],
    ['phone_number', 'string', 'O', 'Y', '+33600000000'],
    ['first_name', 'string', 'R', 'N', 'Ann'],
    ['last_name', 'string', 'R', 'N', 'Lee'],
    ['birth_date', 'string', 'O', 'Y', '1990-02-01'],
    ['is_opt_in', 'boolean', 'R', 'N', true],
    ['is_newsletter_subscribed', 'boolean', 'R', 'N', false],
    ['lang', 'string', 'R', 'N', 'fr'],
    ['group_ids', 'string[]', 'O', 'Y', ['g-1']],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  customerAddresses: [
    ['customer_id', 'string', 'R', 'N', 'c-1'],
    ['address_id', 'number', 'R', 'N', 11],
    ['first_name', 'string', 'R', 'N', 'Ann'],
    ['last_name', 'string', 'R', 'N', 'Lee'],
    ['primary_phone', 'string', 'O', 'Y', '+33600000000'],
    ['secondary_phone', 'string', 'O', 'Y', '+33600000001'],
    ['company', 'string', 'O', 'Y', 'ACME'],
    ['address_line_1', 'string', 'R', 'N', '1 rue de la Paix'],
    ['address_line_2', 'string', 'O', 'Y', 'bât. B'],
    ['postal_code', 'string', 'R', 'N', '75002'],
    ['city', 'string', 'R', 'N', 'Paris'],
    ['country', 'string', 'R', 'N', 'FR'],
    ['is_active', 'boolean', 'R', 'N', true],
    ...dataSource,
  ],
  customersGroups: [
    ['group_id', 'string', 'R', 'N', 'g-1'],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['name', 'string', 'R', 'N', 'VIP'],
    ...timestamps,
    ...dataSource,
  ],
  newsletterSubscribers: [
    shopId,
    ['email', 'string', 'R', 'N', 'ann@example.com'],
    ['is_subscribed', 'boolean', 'R', 'N', true],
    ['first_name', 'string', 'R', 'N', 'Ann'],
    ['last_name', 'string', 'R', 'N', 'Lee'],
    ['postal_code', 'string', 'R', 'N', '75002'],
    ['lang', 'string', 'R', 'N', 'fr'],
    ['updated_at', 'string', 'R', 'N', T],
  ],
  products: [
    ['product_id', 'number', 'R', 'N', 42],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['name', 'string', 'R', 'N', 'Mug'],
    ['reference', 'string', 'O', 'Y', 'MUG-1'],
    ['ean13', 'string', 'O', 'Y', '4006381333931'],
    ['description', 'string', 'R', 'N', 'A mug'],
    ['description_short', 'string', 'O', 'Y', 'Mug'],
    ['link', 'string', 'R', 'N', 'https://shop.example/mug'],
    ['image_link', 'string', 'O', 'Y', 'https://shop.example/mug.jpg'],
    ['category_ids', 'number[]', 'O', 'Y', [7]],
    ['manufacturer_id', 'string', 'O', 'Y', 'm-1'],
    ['currency', 'string', 'R', 'N', 'EUR'],
    ['price', 'number', 'R', 'N', 12.5],
    ['price_discount', 'number', 'O', 'Y', 10],
    ['quantity_remaining', 'number', 'R', 'N', 3],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  productVariations: [
    ['product_id', 'string', 'R', 'N', '42'],
    ['variation_id', 'number', 'R', 'N', 421],
    ['name', 'string', 'R', 'N', 'Mug blue'],
    ['lang', 'string', 'R', 'N', 'fr'],
    ['reference', 'string', 'O', 'Y', 'MUG-1-B'],
    ['ean13', 'string', 'O', 'Y', '4006381333932'],
    ['link', 'string', 'R', 'N', 'https://shop.example/mug?v=blue'],
    ['image_link', 'string', 'O', 'Y', 'https://shop.example/mug-blue.jpg'],
    ['price', 'number', 'R', 'N', 13],
    ['price_discount', 'number', 'O', 'Y', 11],
    ['quantity_remaining', 'number', 'R', 'N', 1],
    ['is_default', 'boolean', 'R', 'N', false],
    ...dataSource,
  ],
  productImages: [
    ['product_id', 'string', 'R', 'N', '42'],
    ['image_id', 'string', 'R', 'N', 'img-1'],
    ['lang', 'string', 'R', 'N', 'fr'],
    ['variation_id', 'number', 'O', 'Y', 421],
    ['url', 'string', 'R', 'N', 'https://cdn.example/mug.webp'],
    ['is_default', 'boolean', 'R', 'N', true],
    ...dataSource,
  ],
  productsCategories: [
    ['category_id', 'number', 'R', 'N', 7],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['name', 'string', 'R', 'N', 'Kitchen'],
    ['description', 'string', 'R', 'N', 'Things for the kitchen'],
    ['parent_category_id', 'number', 'O', 'Y', 1],
    ['link', 'string', 'R', 'N', 'https://shop.example/kitchen'],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  productsManufacturers: [
    ['manufacturer_id', 'string', 'R', 'N', 'm-1'],
    shopId,
    ['name', 'string', 'R', 'N', 'Potter & Co'],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  orders: [
    ['order_id', 'string', 'R', 'N', 'o-1'],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['reference', 'string', 'O', 'Y', 'REF-1'],
    ['carrier_id', 'string', 'O', 'Y', 'k-1'],
    ['status_id', 'string', 'R', 'N', 's-1'],
    ['address_delivery_id', 'string', 'O', 'Y', '11'],
    ['address_invoice_id', 'string', 'O', 'Y', '11'],
    ['customer', 'object', 'R', 'N', { customer_id: 'c-1', email: 'ann@example.com', created_at: T }],
    ['customer.customer_id', 'string', 'R', 'N', 'c-1'],
    ['customer.email', 'string', 'R', 'N', 'ann@example.com'],
    ['customer.created_at', 'string', 'R', 'N', T],
    ['products', 'object[]', 'R', 'N', [{}]],
    ['products.0.product_id', 'number', 'R', 'N', 42],
    ['products.0.product_variation_id', 'number', 'O', 'Y', 421],
    ['products.0.price', 'number', 'R', 'N', 13],
    ['products.0.price_without_tax', 'number', 'R', 'N', 10.83],
    ['products.0.manufacturer_id', 'string', 'O', 'Y', 'm-1'],
    ['products.0.quantity', 'number', 'R', 'N', 2],
    ['cart_id', 'string', 'R', 'N', 'cart-1'],
    ['cart_updated_at', 'string', 'R', 'N', T],
    ['amount', 'number', 'R', 'N', 31],
    ['amount_without_tax', 'number', 'R', 'N', 25.83],
    ['shipping_costs', 'number', 'R', 'N', 5],
    ['shipping_costs_without_tax', 'number', 'R', 'N', 4.17],
    ['shipping_number', 'string', 'O', 'Y', 'TRACK-1'],
    ['currency', 'string', 'R', 'N', 'EUR'],
    ['voucher_used', 'string', 'O', 'Y', 'WELCOME'],
    ['voucher_value', 'string', 'O', 'Y', '5.00'],
    ['is_confirmed', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  ordersCarriers: [
    ['carrier_id', 'string', 'R', 'N', 'k-1'],
    shopId,
    ['name', 'string', 'R', 'N', 'Colissimo'],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
  ordersStatuses: [
    ['status_id', 'string', 'R', 'N', 's-1'],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['name', 'string', 'R', 'N', 'Paid'],
    ['is_deleted', 'boolean', 'R', 'N', false],
    ...timestamps,
    ...dataSource,
  ],
  vouchers: [
    ['voucher_id', 'string', 'R', 'N', 'v-1'],
    shopId,
    ['lang', 'string', 'R', 'N', 'fr'],
    ['code', 'string', 'R', 'N', 'WELCOME'],
    ['description', 'string', 'R', 'N', '5 € off'],
    ['started_at', 'string', 'R', 'N', T],
    ['ended_at', 'string', 'O', 'Y', T],
    ['customer_id', 'string', 'O', 'Y', 'c-1'],
    ['type_voucher', 'enum', 'R', 'N', 'amount_reduction'],
    ['value', 'number', 'O', 'Y', 5],
    ['minimum_amount', 'number', 'R', 'N', 20],
    ['currency', 'string', 'R', 'N', 'EUR'],
    ['reduction_tax', 'boolean', 'R', 'N', true],
    ['is_used', 'boolean', 'R', 'N', false],
    ['is_active', 'boolean', 'R', 'N', true],
    ...timestamps,
    ...dataSource,
  ],
};

/** A JSON value of another type than `type` (for an enum: a value outside it). */
export function wrongTypeValue(type: JsonType): unknown {
  const values: Record<JsonType, unknown> = {
    string: 42,
    number: '42',
    boolean: 'true',
    'string[]': [1],
    'number[]': ['1'],
    object: 'not an object',
    'object[]': { not: 'an array' },
    enum: 'not_a_listed_value',
  };
  return values[type];
}

const segments = (path: string) => path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** Sets (or, with `undefined`, removes) the value at a dotted path, creating containers on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = segments(path);
  let node: Record<string | number, unknown> = target;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= typeof keys[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  const last = keys[keys.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** A valid item: every leaf field of the table with its sample (optional ones only if `withOptional`). */
export function sampleItem<R extends ShopimindResourceName>(
  resource: R,
  overrides: Record<string, unknown> = {},
  withOptional = true,
): ShopimindItem<R> {
  const rows = fieldTables[resource];
  const isContainer = (path: string) => rows.some(([other]) => other.startsWith(`${path}.`));
  const item: Record<string, unknown> = {};
  for (const [path, , required, , sample] of rows) {
    if (isContainer(path) || (required === 'O' && !withOptional)) continue;
    setPath(item, path, structuredClone(sample));
  }
  for (const [path, value] of Object.entries(overrides)) setPath(item, path, value);
  return item as ShopimindItem<R>;
}
