import { z } from 'zod';
import type { CatalogProduct } from '../../mapping';
import type { ShopimindCustomDataDefinition } from '../../shopimind';
import type { ShopkitProduct } from '../../shopkit';

/**
 * The connector's durable memory of the catalogue: per product, its brand and option titles, which
 * order lines need to find their variation (mapping D14: lines carry the option title, not its id).
 * It lives in ShopiMind as custom data so that any worker, after any crash, finds it without
 * spending Shopkit quota; the in-process cache only saves the lookups.
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
  options: [number, string][];
}

export function catalogIndexRecordOf(product: ShopkitProduct): CatalogIndexRecord {
  return {
    product_id: String(product.id),
    brand_id: product.brand?.id ?? null,
    options: product.options.map((option) => [option.id, option.title]),
  };
}

const RecordSchema = z.object({
  product_id: z.string(),
  brand_id: z.number().nullable().optional(),
  options: z.array(z.tuple([z.number(), z.string()])),
});

/** The catalogue entry a stored record describes; undefined for a record this version cannot read. */
export function catalogEntryFromRecord(row: unknown): { productId: number; entry: CatalogProduct } | undefined {
  const parsed = RecordSchema.safeParse(row);
  if (!parsed.success) return undefined;
  return {
    productId: Number(parsed.data.product_id),
    entry: {
      brandId: parsed.data.brand_id ?? null,
      options: parsed.data.options.map(([optionId, title]) => ({ optionId, title })),
    },
  };
}
