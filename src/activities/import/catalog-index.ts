import { z } from 'zod';
import { catalogEntryOf, type CatalogProduct } from '../../mapping';
import type { ShopimindCustomDataDefinition } from '../../shopimind';
import type { ShopkitProduct } from '../../shopkit';

/**
 * The connector's durable memory of the catalogue: per product, the entry order lines are matched
 * against (mapping D14: lines carry the option title, not its id). It lives in ShopiMind as custom data
 * so that any worker, after any crash, finds it without spending Shopkit quota. A record is exactly
 * {@link catalogEntryOf} of the product, serialised: the in-process cache, this index and a Shopkit
 * read therefore give an order page the same answer.
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

export interface CatalogIndexRecord {
  [field: string]: unknown;
  product_id: string;
  brand_id: number | null;
  options: { id: number; title: string }[];
}

export function catalogIndexRecordOf(product: ShopkitProduct): CatalogIndexRecord {
  const entry = catalogEntryOf(product);
  return {
    product_id: String(product.id),
    brand_id: entry.brandId,
    options: entry.options.map((option) => ({ id: option.optionId, title: option.title })),
  };
}

/**
 * Records of this version hold options as `{id, title}` objects. Earlier versions stored every option,
 * active or not, as `[id, title]` pairs; such a record does not parse, so the product is read from Shopkit
 * again instead of lending a line the id of a variation ShopiMind does not have.
 */
const RecordSchema = z.object({
  product_id: z.string(),
  brand_id: z.number().nullable().optional(),
  options: z.array(z.object({ id: z.number(), title: z.string() })),
});

/** The catalogue entry a stored record describes; undefined for a record this version cannot read. */
export function catalogEntryFromRecord(row: unknown): { productId: number; entry: CatalogProduct } | undefined {
  const parsed = RecordSchema.safeParse(row);
  if (!parsed.success) return undefined;
  return {
    productId: Number(parsed.data.product_id),
    entry: {
      brandId: parsed.data.brand_id ?? null,
      options: parsed.data.options.map(({ id, title }) => ({ optionId: id, title })),
    },
  };
}
