import type { ShopimindCustomDataDefinition } from '../../shopimind';

/**
 * The connector's durable memory of the catalogue: per product, the entry order lines are matched
 * against (mapping D14: lines carry the option title, not its id). It lives in ShopiMind as custom data
 * so that any worker, after any crash, finds it without spending Shopkit quota. A record is exactly
 * `catalogEntryOf` of the product, serialised (`catalogIndexRecordOf` in src/mapping): the in-process
 * cache, this index and a Shopkit read therefore give an order page the same answer.
 */
export const CATALOG_INDEX_DEFINITION = {
  name: 'Shopkit connector catalog index',
  description: 'Internal to the Shopkit connector: option titles per product, used to match order lines to variations.',
  unique_keys: ['product_id'],
  fields: [
    { name: 'product_id', label: 'Product id', type: 'text', required: true },
    { name: 'brand_id', label: 'Brand id', type: 'number', required: false },
    { name: 'options', label: 'Options [id, title]', type: 'json', required: true },
  ],
} as const satisfies ShopimindCustomDataDefinition;
