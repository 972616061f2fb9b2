import { ShopimindProductSchema, type ShopimindProduct } from '../shopimind/schemas';
import type { ShopkitProduct } from '../shopkit/schemas';
import type { MappingConfig, StoreSnapshot } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import {
  activeOptionsOf,
  ean13Of,
  imageUrlOf,
  priceDiscountOf,
  priceOf,
  productLinkOf,
  stockOf,
} from './product-fields';
import { displayText, optionalText, plainText } from './text';
import { toUtcIso } from './timestamps';

export type ProductContext = Pick<
  MappingConfig,
  'defaultLang' | 'timezone' | 'dataSourceId' | 'stockSentinel' | 'imageSize'
> &
  Pick<StoreSnapshot, 'storeCurrency'>;

/** Products (docs/mapping-decisions.md#products): retail price only (D18), one row in the default language. */
export function mapProducts(products: readonly ShopkitProduct[], ctx: ProductContext): MappingResult<ShopimindProduct> {
  return mapEach(products, {
    schema: ShopimindProductSchema,
    sourceId: (product) => String(product.id),
    map: (product) => {
      const createdAt =
        toUtcIso(product.created_at, ctx.timezone) ??
        toUtcIso(product.updated_at, ctx.timezone) ??
        reject('product has no created_at');
      return {
        product_id: product.id,
        lang: ctx.defaultLang,
        name: displayText(product.title),
        reference: optionalText(product.reference),
        ean13: ean13Of(product.barcode),
        description: (product.description ?? '').trim(),
        description_short: plainText(product.description_short) ?? plainText(product.excerpt),
        link: productLinkOf(product),
        image_link: imageUrlOf(product.image, ctx.imageSize),
        category_ids: [...new Set(product.categories.map((category) => category.id))],
        manufacturer_id: product.brand ? String(product.brand.id) : null,
        currency: ctx.storeCurrency,
        price: priceOf(product.price, product.price_on_request),
        price_discount: priceDiscountOf(product, product.price_on_request),
        quantity_remaining: productStock(product, ctx),
        // Hidden, coming-soon, out-of-stock, price-on-request and B2B-only items are not recommendable (D20).
        is_active: product.status_alias === 'active' && !product.price_on_request && !product.wholesale_exclusive,
        created_at: createdAt,
        updated_at: toUtcIso(product.updated_at, ctx.timezone) ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
}

/** With options, the product-level `stock_qty` is one option's stock: sum the active options instead (D19). */
function productStock(product: ShopkitProduct, ctx: Pick<MappingConfig, 'stockSentinel'>): number {
  if (product.options.length === 0) return stockOf(product, product.stock.stock_qty, ctx);
  const total = activeOptionsOf(product).reduce((sum, option) => sum + Math.max(0, option.stock), 0);
  return stockOf(product, total, ctx);
}
