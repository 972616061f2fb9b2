import { catalogLookupOf, customerLookupOf, mapOrders, type CatalogLookup } from '../../src/mapping';
import { ShopkitOrderSchema } from '../../src/shopkit/schemas';
import { ctx, legacyOrder1337, order1337, product212322, rawOrder1337 } from './mapping-fixtures';

const SUPPORT_ID = 'cfc1c614870f7033bb0a033b6e7cd18e';
const order = (patch: object) => ShopkitOrderSchema.parse({ ...rawOrder1337(), ...patch });
const line = (patch: object) => ({ ...rawOrder1337().products[0], ...patch });

describe('orders', () => {
  it('maps order 1337 to the worked values of Appendix A', () => {
    const { items, rejected } = mapOrders([order1337()], ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        order_id: '1337',
        lang: 'pt',
        reference: '1337',
        carrier_id: 'method-492',
        status_id: 'sent',
        address_delivery_id: '228481578',
        address_invoice_id: '228481578',
        customer: { customer_id: SUPPORT_ID, email: 'support@shopk.it', created_at: '2017-05-17T09:45:05.000Z' },
        products: [
          {
            product_id: 44753,
            product_variation_id: null,
            price: 85.59,
            price_without_tax: 69.59,
            manufacturer_id: null,
            quantity: 1,
          },
          {
            product_id: 44752,
            product_variation_id: null,
            price: 64.19,
            price_without_tax: 64.19,
            manufacturer_id: null,
            quantity: 1,
          },
        ],
        cart_id: 'order-1337',
        cart_updated_at: '2017-05-17T09:45:05.000Z',
        amount: 157.03,
        amount_without_tax: 141.02,
        shipping_costs: 7.25,
        shipping_costs_without_tax: 7.25,
        shipping_number: null,
        currency: 'EUR',
        voucher_used: 'bajevolp',
        voucher_value: '14.86',
        is_confirmed: true,
        created_at: '2017-05-17T09:45:05.000Z',
        updated_at: '2017-12-06T17:18:41.000Z',
        id_data_source: 42,
      },
    ]);
  });

  it('maps the legacy payload: recomputed line prices, no carrier, separate-but-identical billing', () => {
    const [mapped] = mapOrders([legacyOrder1337()], ctx).items;
    expect(mapped?.products.map((l) => [l.price, l.price_without_tax])).toEqual([
      [85.59, 69.59],
      [64.19, 64.19],
    ]);
    expect(mapped?.carrier_id).toBeNull();
    expect(mapped?.customer.customer_id).toBe('858b9f6902f34443ef5d19ebb77baed5');
    expect(mapped?.address_delivery_id).toMatch(/^\d+$/);
    expect(mapped?.address_invoice_id).toBe(mapped?.address_delivery_id);
  });

  it('takes lang and customer creation from known customers (D28)', () => {
    const customers = customerLookupOf([
      { customer_id: SUPPORT_ID, created_at: '2016-01-01T00:00:00.000Z', lang: 'en' },
    ]);
    const [mapped] = mapOrders([order1337()], { ...ctx, customers }).items;
    expect(mapped?.lang).toBe('en');
    expect(mapped?.customer.created_at).toBe('2016-01-01T00:00:00.000Z');
  });

  it('matches variations by option title and takes the brand from the catalogue (D14)', () => {
    const catalog: CatalogLookup = (id) =>
      id === 44753
        ? {
            brandId: 9,
            options: [
              { optionId: 5, title: ' AZUL  /  small ' },
              { optionId: 6, title: 'Azul / Big' },
            ],
          }
        : id === 44752
          ? { brandId: null, options: [{ optionId: 7, title: 'Azul / Small' }] }
          : undefined;
    const [mapped] = mapOrders([order1337()], { ...ctx, catalog }).items;
    expect(mapped?.products.map((l) => [l.product_variation_id, l.manufacturer_id])).toEqual([
      [5, '9'],
      [null, null],
    ]);
    const ambiguous: CatalogLookup = () => ({
      brandId: 3,
      options: [
        { optionId: 1, title: 'Azul / Small' },
        { optionId: 2, title: 'azul / small' },
      ],
    });
    expect(
      mapOrders([order1337()], { ...ctx, catalog: ambiguous }).items[0]?.products[0]?.product_variation_id,
    ).toBeNull();
  });

  it('builds the catalogue lookup from the active options of Shopkit products', () => {
    const options = product212322().options.map((option, i) => ({ ...option, active: i !== 0 }));
    const catalog = catalogLookupOf([product212322({ brand: { id: '12' }, options })]);
    const mapped = mapOrders([order({ products: [line({ id: 212322, option: 'Big bowl / White' })] })], {
      ...ctx,
      catalog,
    }).items[0];
    expect(mapped?.products[0]).toEqual(
      expect.objectContaining({ product_variation_id: 363366, manufacturer_id: '12' }),
    );
  });

  it('skips non-product lines and never divides by a zero quantity', () => {
    const mapped = mapOrders(
      [order({ products: [line({ is_product: false }), line({ quantity: 0, subtotal_with_tax: 0 })] })],
      ctx,
    ).items[0];
    expect(mapped?.products).toEqual([
      expect.objectContaining({ quantity: 0, price: 85.59, price_without_tax: 69.59 }),
    ]);
  });

  it('computes shipping net of its discount plus its tax amount, and shipping-coupon voucher values (D15, D16)', () => {
    const mapped = mapOrders(
      [
        order({
          shipping: { value: '10', tax: 2.3, tax_percent: 23, discount: 4.005, discount_percent: 0 },
          coupon: { code: ' FREESHIP ', type: 'shipping', value: 0 },
          tracking_carrier: 'ctt',
          tracking_code: ' RR123PT ',
          currency: '',
        }),
        order({ id: 2, shipping: { value: 3, discount: 5 }, coupon: null }),
      ],
      ctx,
    ).items;
    expect(mapped[0]).toEqual(
      expect.objectContaining({
        shipping_costs: 8.3,
        shipping_costs_without_tax: 6,
        voucher_used: 'FREESHIP',
        voucher_value: '4.01',
        carrier_id: 'ctt',
        shipping_number: 'RR123PT',
        currency: 'EUR',
      }),
    );
    expect(mapped[1]).toEqual(
      expect.objectContaining({
        shipping_costs: 0,
        shipping_costs_without_tax: 0,
        voucher_used: null,
        voucher_value: null,
      }),
    );
  });

  it('flags unconfirmed and voided orders (D10) and falls back to created_at for updated_at', () => {
    const mapped = mapOrders(
      [
        order({ status: 6, status_alias: undefined, paid: false, update_at: '' }),
        order({ id: 2, status_alias: 'canceled', paid: true }),
      ],
      ctx,
    ).items;
    expect(mapped.map((o) => [o.status_id, o.is_confirmed])).toEqual([
      ['waiting_payment', false],
      ['canceled', false],
    ]);
    expect(mapped[0]?.updated_at).toBe(mapped[0]?.created_at);
  });

  it('rejects orders without e-mail, with an impossible local date, or without any currency', () => {
    const { items, rejected } = mapOrders(
      [
        order({ client: { ...rawOrder1337().client, email: '' } }),
        order({ id: 2, created_at: '2017-02-30 10:00:00' }),
        order({ id: 3, currency: ' ' }),
      ],
      { ...ctx, storeCurrency: '' },
    );
    expect(items).toEqual([]);
    expect(rejected).toEqual([
      { sourceId: 'order 1337', reasons: ['order client e-mail is missing or invalid'] },
      { sourceId: 'order 2', reasons: ['order created_at is not a timestamp'] },
      { sourceId: 'order 3', reasons: ['currency: must not be empty'] },
    ]);
  });
});
