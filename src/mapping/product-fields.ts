import type { ShopkitImage, ShopkitProduct, ShopkitVariant } from '../shopkit/schemas';
import type { ImageSize, MappingConfig } from './mapping-context';
import { roundMoney } from './money';
import { cleanText } from './text';

/** Rules shared by products, variations and images (docs/mapping-decisions.md#field-rules). */

/** Shopkit's "no image" placeholders (`…/no-img.jpg`, categories `…/no-img.png`). */
const PLACEHOLDER = /\/no-img\.(?:jpe?g|png|gif|webp)(?:[?#].*)?$/i;

const SIZE_FALLBACKS: Record<ImageSize, readonly ImageSize[]> = {
  full: ['full', 'square', 'thumb'],
  square: ['square', 'full', 'thumb'],
  thumb: ['thumb', 'square', 'full'],
};

/** The preferred rendition, falling back to the others (D21); `null` for missing images and placeholders. */
export function imageUrlOf(image: ShopkitImage | null, size: ImageSize): string | null {
  if (!image) return null;
  for (const candidate of SIZE_FALLBACKS[size]) {
    const url = cleanText(image[candidate]);
    if (url !== '') return PLACEHOLDER.test(url) ? null : url;
  }
  return null;
}

/** `image_id`: the file basename without extension; Shopkit names files by checksum (D22). */
export function imageIdOf(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const basename = path.slice(path.lastIndexOf('/') + 1);
  const dot = basename.lastIndexOf('.');
  return dot > 0 ? basename.slice(0, dot) : basename;
}

/** 13 digits as is, a 12-digit UPC-A left-padded with `0`, anything else `null` (D38). */
export function ean13Of(barcode: string | null): string | null {
  const digits = cleanText(barcode);
  if (/^\d{13}$/.test(digits)) return digits;
  if (/^\d{12}$/.test(digits)) return `0${digits}`;
  return null;
}

/** The displayed price; price-on-request items have no price and are sent as `0` (D17). */
export function priceOf(price: number, onRequest: boolean): number {
  return onRequest ? 0 : roundMoney(price);
}

/** The active promotional price (not the reduction), only when it is really lower (D17). */
export function priceDiscountOf(item: Pick<ShopkitVariant, 'promo' | 'price_promo' | 'price'>, onRequest: boolean) {
  if (onRequest || !item.promo || item.price_promo === null || item.price_promo >= item.price) return null;
  return roundMoney(item.price_promo);
}

/** Shopkit lists inactive options too; ShopiMind variations have no `is_active`, so they are left out (D23). */
export function activeOptionsOf(product: ShopkitProduct): ShopkitVariant[] {
  return product.options.filter((option) => option.active);
}

const OUT_OF_STOCK_STATUS = 3;

/**
 * Stock of one sellable unit (D19): `0` when the product is marked out of stock, the sentinel when stock is
 * not tracked, otherwise the quantity clamped at 0 (backorders do not change it).
 */
export function stockOf(product: ShopkitProduct, quantity: number, ctx: Pick<MappingConfig, 'stockSentinel'>): number {
  if (product.status === OUT_OF_STOCK_STATUS || product.status_alias === 'out_of_stock') return 0;
  if (!product.stock.stock_enabled) return ctx.stockSentinel;
  return Math.max(0, quantity);
}

/** The product page: `permalink`, else `url`. */
export function productLinkOf(product: ShopkitProduct): string {
  return cleanText(product.permalink) || cleanText(product.url);
}
