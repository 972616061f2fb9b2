import { ShopimindProductVariationSchema, type ShopimindProductVariation } from '../shopimind/schemas';
import type { ShopkitProduct } from '../shopkit/schemas';
import type { MappingConfig } from './mapping-context';
import { mapEach, type MappingResult } from './mapping-result';
import {
  activeOptionsOf,
  ean13Of,
  imageUrlOf,
  priceDiscountOf,
  priceOf,
  productLinkOf,
  stockOf,
} from './product-fields';
import { cleanText, displayText, optionalText } from './text';

export type ProductVariationContext = Pick<
  MappingConfig,
  'defaultLang' | 'dataSourceId' | 'stockSentinel' | 'imageSize'
>;

/**
 * One variation per active option (docs/mapping-decisions.md#variations, D23); the first active option is the default.
 * Inactive options are not pushed: the connector deletes variation ids it pushed before and no longer sees here.
 */
export function mapProductVariations(
  products: readonly ShopkitProduct[],
  ctx: ProductVariationContext,
): MappingResult<ShopimindProductVariation> {
  return mapEach(products, {
    schema: ShopimindProductVariationSchema,
    sourceId: (product) => String(product.id),
    itemId: (variation) => `${variation.product_id}/${variation.variation_id}`,
    map: (product) => {
      const productLink = productLinkOf(product);
      const productImage = imageUrlOf(product.image, ctx.imageSize);
      return activeOptionsOf(product).map((option, index) => {
        const onRequest = option.price_on_request || product.price_on_request;
        return {
          product_id: String(product.id),
          variation_id: option.id,
          name: displayText(option.title),
          lang: ctx.defaultLang,
          reference: optionalText(option.reference),
          ean13: ean13Of(option.barcode),
          link: cleanText(option.url) || productLink,
          image_link: imageUrlOf(option.image, ctx.imageSize) ?? productImage,
          price: priceOf(option.price, onRequest),
          price_discount: priceDiscountOf(option, onRequest),
          quantity_remaining: stockOf(product, option.stock, ctx),
          is_default: index === 0,
          id_data_source: ctx.dataSourceId,
        };
      });
    },
  });
}
