import { collectCouponCodes, mapVouchers } from '../../src/mapping';
import { ShopkitOrderSchema } from '../../src/shopkit/schemas';
import { coupon1337, ctx, rawOrder1337 } from './mapping-fixtures';

describe('vouchers', () => {
  it('maps coupon bajevolp: percent, open-ended, started at creation, not exhausted', () => {
    expect(mapVouchers([coupon1337()], ctx)).toEqual({
      items: [
        {
          voucher_id: '1337',
          lang: 'pt',
          code: 'bajevolp',
          description: '10% de desconto',
          started_at: '2014-11-18T23:41:32.000Z',
          ended_at: null,
          customer_id: null,
          type_voucher: 'percentage_reduction',
          value: 10,
          minimum_amount: 0,
          currency: 'EUR',
          reduction_tax: true,
          is_used: false,
          is_active: true,
          created_at: '2014-11-18T23:41:32.000Z',
          updated_at: '2014-11-18T23:41:32.000Z',
          id_data_source: 42,
        },
      ],
      rejected: [],
    });
  });

  it('maps a money coupon: validity days in the store timezone, minimum, tax basis, exhaustion', () => {
    const [voucher] = mapVouchers(
      [
        coupon1337({
          type: 'money',
          value: 5,
          applies_to: 'category',
          orders_over: '50',
          date_from: '2024-07-01',
          date_to: '2024-07-31',
          limit: 5,
          used: 5,
          updated_at: '2024-06-01T10:00:00+01:00',
        }),
      ],
      { ...ctx, defaultLang: 'en', taxesIncluded: false },
    ).items;
    expect(voucher).toEqual(
      expect.objectContaining({
        description: '5.00 EUR off on a category on orders over 50.00 EUR',
        started_at: '2024-06-30T23:00:00.000Z',
        ended_at: '2024-07-31T22:59:59.999Z',
        type_voucher: 'amount_reduction',
        value: 5,
        minimum_amount: 50,
        reduction_tax: false,
        is_used: true,
        updated_at: '2024-06-01T09:00:00.000Z',
      }),
    );
  });

  it('maps shipping coupons without value, unlimited coupons as unused, inactive coupons as inactive', () => {
    const [shipping, unlimited] = mapVouchers(
      [
        coupon1337({ type: 'shipping', applies_to: 'tag', active: false }),
        coupon1337({ id: 2, limit: 0, used: 100, applies_to: 'brand' }),
      ],
      ctx,
    ).items;
    expect(shipping).toEqual(
      expect.objectContaining({
        type_voucher: 'free_shipping',
        value: null,
        description: 'Portes grátis em produtos com etiqueta',
        is_active: false,
        reduction_tax: true,
      }),
    );
    expect(unlimited).toEqual(expect.objectContaining({ is_used: false, description: '10% de desconto numa marca' }));
  });

  it('rejects coupons without dates or with a blank code', () => {
    expect(mapVouchers([coupon1337({ created_at: null }), coupon1337({ id: 2, code: '  ' })], ctx)).toEqual({
      items: [],
      rejected: [
        { sourceId: 'coupon 1337', reasons: ['coupon has no created_at'] },
        { sourceId: 'coupon 2', reasons: ['code: must not be empty'] },
      ],
    });
  });
});

describe('coupon codes from orders', () => {
  it('collects distinct trimmed codes in order of first use, minus the known ones', () => {
    const order = (id: number, coupon: object | null) => ShopkitOrderSchema.parse({ ...rawOrder1337(), id, coupon });
    const orders = [
      order(1, { code: ' bajevolp ', type: 'percent', value: 10 }),
      order(2, null),
      order(3, { code: 'SUMMER', type: 'money', value: 5 }),
      order(4, { code: 'bajevolp', type: 'percent', value: 10 }),
      order(5, { code: 'OLD', type: 'money', value: 5 }),
    ];
    expect(collectCouponCodes(orders)).toEqual(['bajevolp', 'SUMMER', 'OLD']);
    expect(collectCouponCodes(orders, new Set(['OLD']))).toEqual(['bajevolp', 'SUMMER']);
  });
});
