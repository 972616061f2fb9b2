import { catalogEntryOf } from '../../mapping';
import type { ShopkitProduct } from '../../shopkit';
import type { MappingSettings } from '../../contracts/import';
import { indexedCatalog } from '../import/store-memory';
import type { StoreClients } from '../store-clients';

/**
 * Variations ShopiMind holds for these products that their options no longer justify (an option
 * disabled or removed, D23): the connector's catalog index, read before this write replaces it, says
 * which options were pushed.
 */
export async function variationsToDelete(
  api: StoreClients,
  mapping: MappingSettings,
  products: readonly ShopkitProduct[],
): Promise<Map<number, number[]>> {
  const stale = new Map<number, number[]>();
  if (mapping.catalogDefinitionId === null || products.length === 0) return stale;
  const pushed = await indexedCatalog(
    api.shopimind,
    mapping.catalogDefinitionId,
    products.map((product) => product.id),
  );
  for (const product of products) {
    const kept = new Set(catalogEntryOf(product).options.map((option) => option.optionId));
    const gone = (pushed.get(product.id)?.options ?? []).map((o) => o.optionId).filter((id) => !kept.has(id));
    if (gone.length > 0) stale.set(product.id, gone);
  }
  return stale;
}

export async function deleteVariations(api: StoreClients, stale: ReadonlyMap<number, number[]>): Promise<number> {
  let deleted = 0;
  for (const [productId, ids] of stale) {
    deleted += (await api.shopimind.deleteChildren('productVariations', productId, ids)).sent;
  }
  return deleted;
}
