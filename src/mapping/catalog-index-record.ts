import { z } from 'zod';
import type { ShopkitProduct } from '../shopkit/schemas';
import { catalogEntryOf, type CatalogProduct } from './order-mapping';

/**
 * A record of the connector's catalog index in ShopiMind (custom data): {@link catalogEntryOf} of a product,
 * serialised. Building and reading it live together, beside the entry they serialise, so every writer and
 * reader (the import, the sync, the sandbox's expected state) uses one format.
 */
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
