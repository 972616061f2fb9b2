import {
  CART_ABANDONED_EVENT,
  mapCartAbandonedTriggers,
  mapOrderPaymentFailedTriggers,
  ORDER_PAYMENT_FAILED_EVENT,
} from '../../src/mapping';
import { ShopimindEventDeclareSchema } from '../../src/shopimind/schemas';
import { ShopkitOrderSchema } from '../../src/shopkit/schemas';
import { abandonedCart, ctx, order1337, rawOrder1337 } from './mapping-fixtures';

describe('event declarations', () => {
  it('declares cart_abandoned and order_payment_failed for contacts', () => {
    for (const declaration of [CART_ABANDONED_EVENT, ORDER_PAYMENT_FAILED_EVENT]) {
      expect(ShopimindEventDeclareSchema.safeParse(declaration).success).toBe(true);
      expect(declaration.properties).toEqual(expect.objectContaining({ target: 'contact' }));
    }
    expect([CART_ABANDONED_EVENT.code_name, ORDER_PAYMENT_FAILED_EVENT.code_name]).toEqual([
      'cart_abandoned',
      'order_payment_failed',
    ]);
  });
});

describe('cart_abandoned triggers', () => {
  it('maps the cart to a contact by e-mail with its lines and total', () => {
    expect(mapCartAbandonedTriggers([abandonedCart()], ctx)).toEqual({
      items: [
        {
          codeName: 'cart_abandoned',
          body: {
            contact: { email: 'ana@example.pt' },
            metaData: {
              cart_id: '5501',
              cart_url: 'https://parallax.shopk.it/cart/recover/abc',
              total: 145.65,
              currency: 'EUR',
              item_count: 3,
              products: [
                { product_id: 212322, variation_id: 363364, name: 'Rustic Spice Bowl Set', quantity: 2, price: 40.73 },
                { product_id: 44752, variation_id: null, name: 'Hanging Succulent Planter', quantity: 1, price: 64.19 },
              ],
              abandoned_at: '2025-05-01T09:00:00.000Z',
            },
          },
        },
      ],
      rejected: [],
    });
  });

  it('rejects carts without a usable e-mail', () => {
    expect(mapCartAbandonedTriggers([abandonedCart({ client: { name: 'x', email: 'x@' } })], ctx)).toEqual({
      items: [],
      rejected: [{ sourceId: 'cart 5501', reasons: ['body.contact.email: must be an email address'] }],
    });
    expect(mapCartAbandonedTriggers([abandonedCart({ client: { name: 'x', email: '' } })], ctx).rejected).toEqual([
      { sourceId: 'cart 5501', reasons: ['cart e-mail is missing or invalid'] },
    ]);
  });
});

describe('order_payment_failed triggers', () => {
  it('maps the order and its payment method', () => {
    expect(mapOrderPaymentFailedTriggers([order1337()], ctx)).toEqual({
      items: [
        {
          codeName: 'order_payment_failed',
          body: {
            contact: { email: 'support@shopk.it' },
            metaData: {
              order_id: '1337',
              amount: 157.03,
              currency: 'EUR',
              payment_method: 'multibanco',
              payment_title: 'Multibanco',
              order_url: 'https://parallax.shopk.it/order/a77e38d0b16ba62f32361331774324904278edcf',
              status_id: 'sent',
              created_at: '2017-05-17T09:45:05.000Z',
            },
          },
        },
      ],
      rejected: [],
    });
  });

  it('falls back to the legacy payment fields and rejects orders without e-mail', () => {
    const legacy = ShopkitOrderSchema.parse({
      ...rawOrder1337(),
      payment: { type: 'bank_transfer', description: 'Transferência' },
      permalink: '',
    });
    const noEmail = ShopkitOrderSchema.parse({
      ...rawOrder1337(),
      id: 9,
      client: { ...rawOrder1337().client, email: '' },
    });
    const { items, rejected } = mapOrderPaymentFailedTriggers([legacy, noEmail], ctx);
    expect(items[0]?.body.metaData).toEqual(
      expect.objectContaining({ payment_method: 'bank_transfer', payment_title: 'Transferência', order_url: null }),
    );
    expect(rejected).toEqual([{ sourceId: 'order 9', reasons: ['order client e-mail is missing or invalid'] }]);
  });
});
