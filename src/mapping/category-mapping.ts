import { ShopimindProductsCategorySchema, type ShopimindProductsCategory } from '../shopimind/schemas';
import type { ShopkitCategory } from '../shopkit/schemas';
import type { MappingConfig, StoreSnapshot } from './mapping-context';
import { mapEach, type MappingResult } from './mapping-result';
import { cleanText, displayText } from './text';
import { toUtcIso } from './timestamps';

/**
 * Products categories (docs/mapping-decisions.md#categories). A category known only as a nested child carries no dates;
 * it gets `cfg.seedTimestamp` (stable across re-pushes) instead of being rejected, since products reference it.
 */
export type CategoryContext = Pick<MappingConfig, 'defaultLang' | 'timezone' | 'dataSourceId' | 'seedTimestamp'> &
  Pick<StoreSnapshot, 'storeUrl'>;

type CategoryNode = Omit<ShopkitCategory, 'children' | 'parent_title' | 'created_at' | 'updated_at'> &
  Partial<Pick<ShopkitCategory, 'created_at' | 'updated_at'>>;

/**
 * Depth-first flattening of `GET /category` pages: each id once, the standalone object (with dates)
 * preferred over a nested copy, hierarchy from each node's own `parent`.
 */
export function flattenCategories(categories: readonly ShopkitCategory[]): CategoryNode[] {
  const byId = new Map<number, CategoryNode>();
  for (const category of categories) byId.set(category.id, category);
  for (const category of categories) {
    for (const child of category.children) if (!byId.has(child.id)) byId.set(child.id, child);
  }
  return [...byId.values()];
}

export function mapCategories(
  categories: readonly ShopkitCategory[],
  ctx: CategoryContext,
): MappingResult<ShopimindProductsCategory> {
  return mapEach(flattenCategories(categories), {
    schema: ShopimindProductsCategorySchema,
    sourceId: (category) => String(category.id),
    map: (category) => {
      const createdAt = toUtcIso(category.created_at, ctx.timezone) ?? ctx.seedTimestamp;
      return {
        category_id: category.id,
        lang: ctx.defaultLang,
        name: displayText(category.title),
        // HTML is kept in descriptions (D39).
        description: category.description.trim(),
        parent_category_id: category.parent > 0 && category.parent !== category.id ? category.parent : null,
        link: categoryLink(category, ctx.storeUrl),
        is_active: category.active,
        created_at: createdAt,
        updated_at: toUtcIso(category.updated_at, ctx.timezone) ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
}

function categoryLink(category: CategoryNode, storeUrl: string): string {
  const link = cleanText(category.permalink) || cleanText(category.url);
  if (link) return link;
  const base = cleanText(storeUrl);
  return `${base.endsWith('/') ? base : `${base}/`}category/${encodeURIComponent(cleanText(category.handle))}`;
}
