import { ShopimindOrderSchema, type ShopimindOrder, type ShopimindOrderProduct } from '../shopimind/schemas';
import type { ShopkitOrder, ShopkitOrderLine, ShopkitProduct } from '../shopkit/schemas';
import { carrierIdOf } from './carrier-mapping';
import { orderAddressIds } from './customer-address-mapping';
import { customerIdOf, normaliseEmail } from './customer-identity';
import type { CustomerLookup } from './customer-lookup';
import type { MappingConfig, StoreSnapshot } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { formatMoney, roundMoney } from './money';
import { isOrderConfirmed } from './order-status-mapping';
import { activeOptionsOf } from './product-fields';
import { cleanText, decodeEntities, optionalText } from './text';
import { toUtcIso } from './timestamps';

/**
 * What order lines need from the catalogue (`ctx.catalog`, docs/mapping-decisions.md#mapping-inputs): the brand and the
 * option titles.
 */
export interface CatalogProduct {
  brandId: number | null;
  options: readonly { optionId: number; title: string }[];
}

export type CatalogLookup = (productId: number) => CatalogProduct | undefined;

/**
 * The catalogue entry of a Shopkit product, for a {@link CatalogLookup}. Only active options: inactive ones are
 * not pushed as variations (D23), so a line naming one gets no `product_variation_id` rather than a dangling one.
 */
export function catalogEntryOf(product: ShopkitProduct): CatalogProduct {
  return {
    brandId: product.brand?.id ?? null,
    options: activeOptionsOf(product).map((option) => ({ optionId: option.id, title: option.title })),
  };
}

/** A lookup over products read earlier in the run or remembered by the connector. */
export function catalogLookupOf(products: Iterable<ShopkitProduct>): CatalogLookup {
  const byId = new Map<number, CatalogProduct>();
  for (const product of products) byId.set(product.id, catalogEntryOf(product));
  return (productId) => byId.get(productId);
}

export type OrderContext = Pick<MappingConfig, 'defaultLang' | 'timezone' | 'dataSourceId'> &
  Pick<StoreSnapshot, 'storeCurrency'> & {
    /** Known customers: order `lang` and `customer.created_at` come from them (D28). */
    customers?: CustomerLookup;
    /** Products by id: variation by option title (D14) and manufacturer of each line. */
    catalog?: CatalogLookup;
  };

/**
 * Orders (docs/mapping-decisions.md#orders). Push the customer, its addresses and any `method-*` carrier before the
 * order.
 */
export function mapOrders(orders: readonly ShopkitOrder[], ctx: OrderContext): MappingResult<ShopimindOrder> {
  return mapEach(orders, {
    schema: ShopimindOrderSchema,
    sourceId: (order) => `order ${order.id}`,
    map: (order) => {
      const email = normaliseEmail(order.client.email) ?? reject('order client e-mail is missing or invalid');
      const customerId = customerIdOf(email);
      const known = ctx.customers?.(customerId);
      const createdAt = toUtcIso(order.created_at, ctx.timezone) ?? reject('order created_at is not a timestamp');
      const addresses = orderAddressIds(order);
      const shippingNet = Math.max(0, order.shipping.value - order.shipping.discount);
      return {
        order_id: String(order.id),
        lang: known?.lang ?? ctx.defaultLang,
        // The number the customer sees; the 40-hex `hash` is an internal URL token (D41).
        reference: String(order.id),
        carrier_id: carrierIdOf(order),
        status_id: order.status_alias,
        address_delivery_id: addresses.delivery,
        address_invoice_id: addresses.invoice,
        customer: { customer_id: customerId, email, created_at: known?.created_at ?? createdAt },
        products: order.products.filter((line) => line.is_product).map((line) => orderLine(line, ctx.catalog)),
        // Shopkit exposes no cart for orders: a per-order id that cannot collide with real carts (D12).
        cart_id: `order-${order.id}`,
        cart_updated_at: createdAt,
        amount: roundMoney(order.total),
        amount_without_tax: roundMoney(order.total - order.total_tax),
        // `shipping.value` is net and `shipping.tax` an amount (D15).
        shipping_costs: roundMoney(shippingNet + order.shipping.tax),
        shipping_costs_without_tax: roundMoney(shippingNet),
        shipping_number: optionalText(order.tracking_code),
        currency: cleanText(order.currency) || ctx.storeCurrency,
        voucher_used: order.coupon ? optionalText(order.coupon.code) : null,
        // The money this order saved, not the coupon's nominal value (D16).
        voucher_value: order.coupon
          ? formatMoney(order.coupon.type === 'shipping' ? order.shipping.discount : order.discount)
          : null,
        is_confirmed: isOrderConfirmed(order.status_alias, order.paid),
        created_at: createdAt,
        updated_at: toUtcIso(order.updated_at, ctx.timezone) ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
}

/**
 * D13: unit prices after the line discount. Incl. tax from `subtotal_with_tax / quantity` (older payloads:
 * recomputed from the net price and the VAT rate); excl. tax from the net price and `discount_percent`.
 */
function orderLine(line: ShopkitOrderLine, catalog: CatalogLookup | undefined): ShopimindOrderProduct {
  const keep = 1 - line.discount_percent / 100;
  const netUnit = (line.price_without_tax ?? line.price) * keep;
  const grossUnit =
    line.subtotal_with_tax !== null && line.quantity > 0
      ? line.subtotal_with_tax / line.quantity
      : line.price * keep * (1 + line.tax / 100);
  const product = catalog?.(line.id);
  return {
    product_id: line.id,
    product_variation_id: product ? variationIdByTitle(product, line.option) : null,
    price: roundMoney(grossUnit),
    price_without_tax: roundMoney(netUnit),
    manufacturer_id: product?.brandId != null ? String(product.brandId) : null,
    quantity: line.quantity,
  };
}

/** D14: the line names its option by title only; a unique case- and whitespace-insensitive match gives the id. */
function variationIdByTitle(product: CatalogProduct, optionTitle: string | null): number | null {
  const wanted = titleKey(optionTitle);
  if (wanted === '') return null;
  const matches = product.options.filter((option) => titleKey(option.title) === wanted);
  return matches.length === 1 && matches[0] ? matches[0].optionId : null;
}

function titleKey(title: string | null): string {
  return cleanText(decodeEntities(title ?? '')).toLowerCase();
}
