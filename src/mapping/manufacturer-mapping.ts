import { ShopimindProductsManufacturerSchema, type ShopimindProductsManufacturer } from '../shopimind/schemas';
import type { ShopkitBrand } from '../shopkit/schemas';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { displayText } from './text';
import { toUtcIso } from './timestamps';

export type ManufacturerContext = Pick<MappingConfig, 'timezone' | 'dataSourceId'>;

/**
 * Products manufacturers from `GET /brand` (docs/mapping-decisions.md#manufacturers); description, image and links have
 * no ShopiMind field.
 */
export function mapManufacturers(
  brands: readonly ShopkitBrand[],
  ctx: ManufacturerContext,
): MappingResult<ShopimindProductsManufacturer> {
  return mapEach(brands, {
    schema: ShopimindProductsManufacturerSchema,
    sourceId: (brand) => String(brand.id),
    map: (brand) => {
      const updatedAt = toUtcIso(brand.updated_at, ctx.timezone);
      const createdAt = toUtcIso(brand.created_at, ctx.timezone) ?? updatedAt ?? reject('brand has no created_at');
      return {
        manufacturer_id: String(brand.id),
        name: displayText(brand.title),
        is_active: brand.active,
        created_at: createdAt,
        updated_at: updatedAt ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
}
