import { ShopimindProductImageSchema, type ShopimindProductImage } from '../shopimind/schemas';
import type { ShopkitProduct } from '../shopkit/schemas';
import type { MappingConfig } from './mapping-context';
import { mapEach, type MappingResult } from './mapping-result';
import { activeOptionsOf, imageIdOf, imageUrlOf } from './product-fields';

export type ProductImageContext = Pick<MappingConfig, 'defaultLang' | 'dataSourceId' | 'imageSize'>;

/**
 * Product images (docs/mapping-decisions.md#images): the featured image (default), then the gallery, then images of
 * active options not seen yet (linked to their option; inactive options are not pushed as variations, D23).
 * De-duplicated by `image_id`; placeholders skipped.
 */
export function mapProductImages(
  products: readonly ShopkitProduct[],
  ctx: ProductImageContext,
): MappingResult<ShopimindProductImage> {
  return mapEach(products, {
    schema: ShopimindProductImageSchema,
    sourceId: (product) => String(product.id),
    itemId: (image) => `${image.product_id}/${image.image_id}`,
    map: (product) => {
      const candidates = [
        { url: imageUrlOf(product.image, ctx.imageSize), variationId: null },
        ...product.images.map((image) => ({ url: imageUrlOf(image, ctx.imageSize), variationId: null })),
        ...activeOptionsOf(product).map((option) => ({
          url: imageUrlOf(option.image, ctx.imageSize),
          variationId: option.id,
        })),
      ];
      const images = new Map<string, ShopimindProductImage>();
      for (const { url, variationId } of candidates) {
        if (url === null) continue;
        const imageId = imageIdOf(url);
        if (images.has(imageId)) continue;
        images.set(imageId, {
          product_id: String(product.id),
          image_id: imageId,
          lang: ctx.defaultLang,
          variation_id: variationId,
          url,
          // The featured image, or the first gallery image when the featured one is a placeholder.
          is_default: images.size === 0 && variationId === null,
          id_data_source: ctx.dataSourceId,
        });
      }
      return [...images.values()];
    },
  });
}
