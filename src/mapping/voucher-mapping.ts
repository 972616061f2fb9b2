import { ShopimindVoucherSchema, type ShopimindVoucher, type VoucherType } from '../shopimind/schemas';
import type { ShopkitCoupon, ShopkitOrder } from '../shopkit/schemas';
import type { MappingConfig, StoreSnapshot } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { formatMoney } from './money';
import { cleanText } from './text';
import { dayBoundaryUtcIso, toUtcIso } from './timestamps';

/**
 * Vouchers (docs/mapping-decisions.md#vouchers). Shopkit has no coupon list (D29): the import collects codes from
 * orders with {@link collectCouponCodes}, fetches each coupon by code, and maps what it got.
 */
export type VoucherContext = Pick<MappingConfig, 'defaultLang' | 'timezone' | 'dataSourceId'> &
  Pick<StoreSnapshot, 'storeCurrency' | 'taxesIncluded'>;

const VOUCHER_TYPES: Record<ShopkitCoupon['type'], VoucherType> = {
  money: 'amount_reduction',
  percent: 'percentage_reduction',
  shipping: 'free_shipping',
};

export function mapVouchers(coupons: readonly ShopkitCoupon[], ctx: VoucherContext): MappingResult<ShopimindVoucher> {
  return mapEach(coupons, {
    schema: ShopimindVoucherSchema,
    sourceId: (coupon) => `coupon ${coupon.id}`,
    map: (coupon) => {
      const updatedAt = toUtcIso(coupon.updated_at, ctx.timezone);
      const createdAt = toUtcIso(coupon.created_at, ctx.timezone) ?? updatedAt ?? reject('coupon has no created_at');
      const typeVoucher = VOUCHER_TYPES[coupon.type] ?? reject(`unknown coupon type "${String(coupon.type)}"`);
      return {
        voucher_id: String(coupon.id),
        lang: ctx.defaultLang,
        code: cleanText(coupon.code),
        description: describeCoupon(coupon, ctx),
        started_at: dayBoundaryUtcIso(coupon.date_from, 'start', ctx.timezone) ?? createdAt,
        ended_at: dayBoundaryUtcIso(coupon.date_to, 'end', ctx.timezone),
        // Shopkit coupons are not bound to one client (`applies_to_clients` is a segment).
        customer_id: null,
        type_voucher: typeVoucher,
        value: coupon.type === 'shipping' ? null : coupon.value,
        minimum_amount: coupon.orders_over ?? 0,
        currency: ctx.storeCurrency,
        reduction_tax: coupon.type === 'money' ? ctx.taxesIncluded : true,
        // `limit = 0` means unlimited; expiry is carried by `ended_at`, not by these flags (D30).
        is_used: coupon.limit > 0 && coupon.used >= coupon.limit,
        is_active: coupon.active,
        created_at: createdAt,
        updated_at: updatedAt ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
}

/** Distinct coupon codes used by `orders` and not in `knownCodes`, in order of first use. */
export function collectCouponCodes(orders: readonly ShopkitOrder[], knownCodes: ReadonlySet<string> = new Set()) {
  const codes = new Set<string>();
  for (const order of orders) {
    const code = cleanText(order.coupon?.code);
    if (code !== '' && !knownCodes.has(code)) codes.add(code);
  }
  return [...codes];
}

const WORDING = {
  en: {
    percent: (value: string) => `${value}% off`,
    money: (amount: string) => `${amount} off`,
    shipping: () => 'Free shipping',
    category: 'on a category',
    product: 'on a product',
    brand: 'on a brand',
    tag: 'on tagged products',
    ordersOver: (amount: string) => `on orders over ${amount}`,
  },
  pt: {
    percent: (value: string) => `${value}% de desconto`,
    money: (amount: string) => `${amount} de desconto`,
    shipping: () => 'Portes grátis',
    category: 'numa categoria',
    product: 'num produto',
    brand: 'numa marca',
    tag: 'em produtos com etiqueta',
    ordersOver: (amount: string) => `em encomendas acima de ${amount}`,
  },
};

/** Shopkit coupons have no description: one is generated in the default language (D30). */
function describeCoupon(coupon: ShopkitCoupon, ctx: VoucherContext): string {
  const words = ctx.defaultLang === 'pt' ? WORDING.pt : WORDING.en;
  const money = (value: number) => `${formatMoney(value)} ${ctx.storeCurrency}`;
  const parts = [
    coupon.type === 'percent'
      ? words.percent(String(coupon.value))
      : coupon.type === 'money'
        ? words.money(money(coupon.value))
        : words.shipping(),
  ];
  const scope = coupon.applies_to;
  if (scope === 'category' || scope === 'product' || scope === 'brand' || scope === 'tag') parts.push(words[scope]);
  if (coupon.orders_over !== null && coupon.orders_over > 0) parts.push(words.ordersOver(money(coupon.orders_over)));
  return parts.join(' ');
}
