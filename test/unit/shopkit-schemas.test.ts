import {
  parseShopkitWebhookEvent,
  ShopkitBrandSchema,
  ShopkitCarrierSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
  ShopkitStoreSchema,
  ShopkitWebhookSchema,
} from '../../src/shopkit/schemas';

const image = (name: string) => ({
  thumb: `https://cdn.shopk.it/usercontent/parallax/media/images/thumb/${name}.jpg`,
  square: `https://cdn.shopk.it/usercontent/parallax/media/images/square/${name}.jpg`,
  full: `https://cdn.shopk.it/usercontent/parallax/media/images/${name}.jpg`,
});

/** After the documented GET /product example (docs/shopkit-api-notes.md#product), trimmed to two variants. */
function documentedProduct(): Record<string, unknown> {
  const variant = (id: number, v1: number, v2: number, title: string, stock: number) => ({
    id,
    id_variant_1: v1,
    id_variant_2: v2,
    id_variant_3: null,
    title,
    price: 40.73,
    price_formatted: '40,73 €',
    price_promo: null,
    price_promo_formatted: null,
    price_wholesale: null,
    price_wholesale_formatted: null,
    price_without_tax: 40.73,
    promo: false,
    price_promo_percentage: null,
    price_on_request: false,
    stock,
    shipping: 0,
    weight: 0,
    reference: '',
    barcode: null,
    active: true,
    url: `https://parallax.shopk.it/product/rustic-spice-bowl-set?option=${id}`,
    image: image('da84db6'),
    wishlist: {
      add_url: 'https://parallax.shopk.it/wishlist/add/x',
      remove_url: 'https://parallax.shopk.it/wishlist/remove/x',
    },
  });
  return {
    id: 212322,
    title: 'Rustic Spice Bowl Set',
    reference: '',
    barcode: null,
    price: 40.73,
    price_formatted: '40,73 €',
    price_promo: null,
    price_promo_formatted: null,
    price_wholesale: null,
    price_wholesale_formatted: null,
    promo_show_percentage: false,
    price_promo_percentage: null,
    price_on_request: false,
    price_without_tax: 40.73,
    created_at: '2020-11-27T15:36:57+00:00',
    status: 1,
    status_alias: 'active',
    position: 0,
    shipping: 0,
    shipping_alone: false,
    featured: false,
    new: true,
    is_promotion: false,
    description: '<p>This set of four rustic, pinch pots&nbsp;</p>',
    excerpt: 'This set of four rustic, pinch pots have been hand formed by me',
    video_url: '',
    file: null,
    tax: 0,
    taxable: false,
    reduced_rate: null,
    meta_description: 'This set of four rustic pinch pots',
    meta_tags: '',
    handle: 'rustic-spice-bowl-set',
    page_title: 'Rustic Spice Bowl Set',
    weight: 0,
    sales: 0,
    variants_same_values: false,
    updated_at: '2020-11-27T15:36:57+00:00',
    wholesale: false,
    wholesale_exclusive: false,
    description_short: 'This set of four rustic, pinch pots&#8230;',
    promo: false,
    url: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
    add_cart_url: 'https://parallax.shopk.it/cart/add/rustic-spice-bowl-set',
    wishlist: {
      add_url: 'https://parallax.shopk.it/wishlist/add/x',
      remove_url: 'https://parallax.shopk.it/wishlist/remove/x',
    },
    permalink: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
    video_embed_url: false,
    image: image('da84db6'),
    images: [image('f519f86'), image('0bb2c71')],
    categories: [
      {
        id: 44355,
        parent: 0,
        active: true,
        title: 'Cozinha',
        description: '',
        handle: 'cozinha',
        url: 'https://parallax.shopk.it/category/cozinha',
        image: [],
      },
    ],
    brand: null,
    tags: [],
    options: [
      variant(363364, 206585, 206587, 'Small bowl / White', 88),
      variant(363365, 206585, 206588, 'Small bowl / Dark turquoise', 94),
    ],
    option_groups: [
      { id: 62775, title: 'Size', options: [{ id: 206585, title: 'Small bowl' }] },
      {
        id: 62776,
        title: 'Color',
        options: [
          { id: 206587, title: 'White' },
          { id: 206588, title: 'Dark turquoise' },
        ],
      },
    ],
    stock: {
      stock_enabled: true,
      stock_qty: 88,
      stock_backorder: true,
      stock_show: true,
      stock_sold_single: true,
      stock_notify: 10,
    },
    rating: { total_reviews: 0, average_rating: 0, max_rating: 0, min_rating: 0 },
    custom_fields: null,
    tabs: null,
  };
}

const address = {
  name: 'Shopkit',
  phone: '969057993',
  address: 'Centro de Empresas Inovadoras\\nAvª do Empresário',
  address_extra: '1, S1.08',
  country: 'Portugal - Continental',
  country_code: 'PRT',
  zip_code: '6000-767',
  city: 'Castelo Branco',
};

/** After the documented GET /order/1337 example of the older edition (docs/shopkit-api-notes.md#order). */
function documentedOrder(): Record<string, unknown> {
  return {
    id: 1337,
    hash: 'a77e38d0b16ba62f32361331774324904278edcf',
    total: 157.03,
    subtotal: 148.64,
    product_tax: 16.0052,
    total_tax: 16.0052,
    discount: 14.864,
    shipping: { value: 7.25, tax: 0, tax_percent: null, discount: 0, discount_percent: 0 },
    created_at: '2017-05-17T10:45:05+01:00',
    update_at: '2017-12-06T17:18:41+00:00',
    sent_at: '2017-05-17T11:23:21+01:00',
    paid_at: '2017-05-17T11:23:21+01:00',
    currency: 'EUR',
    payment: {
      type: 'multibanco',
      data: { entity: 88888, reference: 888888888, value: 157.03 },
      description: 'Multibanco',
    },
    status: 3,
    status_alias: 'sent',
    status_description: 'Sent',
    paid: true,
    is_new: false,
    wholesale: true,
    invoice_url: 'https://www.invoiceservice.com/invoice_permalink/',
    weight: 0,
    observations: '',
    note: '',
    client_note: '',
    custom_field: '',
    tracking_code: '',
    tracking_carrier: '',
    tracking_created_at: '',
    tracking_url: '',
    expected_arrival_from: null,
    expected_arrival_until: null,
    shipping_url: '',
    at_code: '',
    tax_exemption: null,
    coupon: { code: 'bajevolp', type: 'percent', value: 10 },
    shipment_method: 'Transportadora',
    permalink: 'https://parallax.shopk.it/order/a77e38d0b16ba62f32361331774324904278edcf',
    client: {
      name: 'Shopkit',
      email: 'info@shopk.it',
      fiscal_id: null,
      company: 'Shopkit',
      is_registered: false,
      delivery: address,
      billing: address,
    },
    tags: [{ id: 16461, title: 'Revenda', handle: 'revenda', total_items: 1, created_at: '2021-10-21T13:24:01+01:00' }],
    products: [
      {
        id: 44753,
        title: 'Shelving Tree with Birds',
        option: 'Azul / Small',
        reference: 'STHFBF7574',
        barcode: '',
        price: 77.32,
        tax: 23,
        quantity: 1,
        discount: 7.732,
        subtotal: 85.59324,
        discount_percent: 10,
        weight: 0,
        url: 'https://parallax.shopk.it/product/shelving-tree-with-birds',
        description_short: 'This is a tree decal&#8230;',
        image: image('4778681'),
      },
    ],
  };
}

/** After the documented GET /client example (docs/shopkit-api-notes.md#client). */
function documentedClient(): Record<string, unknown> {
  return {
    id: 731046,
    hash: 'd5d9e6a4f9a1b8e4b4e4bbf43b7b0c2d',
    name: 'Shopkit',
    email: 'info@shopk.it',
    company: null,
    initials: 'S',
    fiscal_id: '',
    locale: '0',
    gender: null,
    birthday: null,
    picture: null,
    accepts_marketing: true,
    wholesale: false,
    created_at: 1416357859,
    last_seen_at: 1416357859,
    type: 'registered',
    is_banned: false,
    is_registered: true,
    is_deleted: false,
    internal_notes: null,
    tags: null,
    delivery: { ...address, country: 'Portugal - Mainland', country_code_alpha_2: 'PT' },
    billing: {
      ...address,
      country_code_alpha_2: 'PT',
      address_extra: 1,
      zip_code: '6000-767 ',
      same_as_delivery: true,
    },
    l10n: { tax_id_abbr: 'NIF', tax_name: 'IVA' },
    cart: null,
    wishlist: null,
    orders_summary: {
      paid_count: 2,
      unpaid_count: 0,
      paid_value: 80.5,
      unpaid_value: 0,
      total_count: 2,
      total_value: 80.5,
    },
  };
}

describe('ShopkitProductSchema', () => {
  it('parses the documented product and normalises its quirks', () => {
    const product = ShopkitProductSchema.parse(documentedProduct());
    expect(product.id).toBe(212322);
    expect(product.created_at).toBe('2020-11-27T15:36:57.000Z');
    expect(product.video_embed_url).toBeNull();
    expect(product.categories[0]?.image).toBeNull();
    expect(product.brand).toBeNull();
    expect(product.options.map((v) => [v.id, v.id_variant_1, v.id_variant_2, v.id_variant_3])).toEqual([
      [363364, 206585, 206587, null],
      [363365, 206585, 206588, null],
    ]);
    expect(product.option_groups[1]?.options).toHaveLength(2);
    expect(product.stock).toMatchObject({ stock_enabled: true, stock_qty: 88 });
  });

  it('reads the truncated offset, numeric strings and the three brand shapes', () => {
    const raw = documentedProduct();
    raw.created_at = '2020-11-27T14:07:10+00:0';
    raw.options = [{ ...(raw.options as Record<string, unknown>[])[0], id: '363364', price: '40.73', stock: '7' }];
    expect(ShopkitProductSchema.parse(raw)).toMatchObject({
      created_at: '2020-11-27T14:07:10.000Z',
      options: [{ id: 363364, price: 40.73, stock: 7 }],
    });
    expect(ShopkitProductSchema.parse({ ...raw, brand: 77 }).brand).toEqual({ id: 77, title: null, handle: null });
    expect(ShopkitProductSchema.parse({ ...raw, brand: { id: '78', title: 'Parallax' } }).brand).toEqual({
      id: 78,
      title: 'Parallax',
      handle: null,
    });
  });

  it('takes a stock object holding only stock_enabled: false, and drops unknown keys', () => {
    const product = ShopkitProductSchema.parse({
      ...documentedProduct(),
      stock: { stock_enabled: false },
      origin_country: 'PRT',
    });
    expect(product.stock).toEqual({
      stock_enabled: false,
      stock_qty: 0,
      stock_backorder: false,
      stock_show: false,
      stock_sold_single: false,
      stock_notify: 0,
    });
    expect(product).not.toHaveProperty('origin_country');
  });

  it('rejects a product without an id or with an unknown status', () => {
    const { id: _id, ...withoutId } = documentedProduct();
    expect(ShopkitProductSchema.safeParse(withoutId).success).toBe(false);
    expect(ShopkitProductSchema.safeParse({ ...documentedProduct(), status_alias: 'gone' }).success).toBe(false);
  });
});

describe('ShopkitOrderSchema', () => {
  it('parses the documented order: update_at → updated_at, instants in UTC, "" → null', () => {
    const order = ShopkitOrderSchema.parse(documentedOrder());
    expect(order.updated_at).toBe('2017-12-06T17:18:41.000Z');
    expect(order.created_at).toBe('2017-05-17T09:45:05.000Z');
    expect(order.tracking_created_at).toBeNull();
    expect(order.shipping.tax_percent).toBeNull();
    expect(order.payment).toMatchObject({ type: 'multibanco', description: 'Multibanco', title: null });
    expect(order.coupon).toEqual({ code: 'bajevolp', type: 'percent', value: 10 });
    expect(order.client).toMatchObject({ id: null, hash: null, email: 'info@shopk.it' });
    expect(order.products[0]).toMatchObject({
      id: 44753,
      option: 'Azul / Small',
      price_with_tax: null,
      is_product: true,
    });
    expect(order.tags[0]?.created_at).toBe('2021-10-21T12:24:01.000Z');
  });

  it('accepts the newer edition and webhook variants', () => {
    const order = ShopkitOrderSchema.parse({
      ...documentedOrder(),
      shipping: { value: 7.25, tax: 0, tax_percent: '', discount: 0, discount_percent: 0 },
      shipment_method_id: '492',
      billing_info_same_delivery: '1',
      coupon: null,
      client: { ...(documentedOrder().client as object), id: '731068', hash: 'd5d9e6a4f9a1b8e4b4e4bbf43b7b0c2d' },
      status_description: 'Enviada',
    });
    expect(order.shipping.tax_percent).toBeNull();
    expect(order.shipment_method_id).toBe(492);
    expect(order.billing_info_same_delivery).toBe(true);
    expect(order.coupon).toBeNull();
    expect(order.client.id).toBe(731068);
  });

  it('derives the status alias from the integer status of old payloads', () => {
    const { status_alias: _alias, ...raw } = documentedOrder();
    expect(ShopkitOrderSchema.parse({ ...raw, status: '6' }).status_alias).toBe('waiting_payment');
  });

  it('rejects an unparseable timestamp with an issue naming the field', () => {
    const result = ShopkitOrderSchema.safeParse({ ...documentedOrder(), update_at: 'yesterday' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['updated_at']);
  });
});

describe('ShopkitClientSchema', () => {
  it('parses the API client: Unix dates, null tags, numeric address_extra', () => {
    const client = ShopkitClientSchema.parse(documentedClient());
    expect(client.created_at).toBe('2014-11-19T00:44:19.000Z');
    expect(client.tags).toEqual([]);
    expect(client.locale).toBe('0');
    expect(client.billing).toMatchObject({ address_extra: '1', zip_code: '6000-767 ', same_as_delivery: true });
    expect(client.orders_summary?.paid_value).toBe(80.5);
  });

  it('parses the webhook client: no id/hash, subscribe_newsletter, pending wholesale, string Unix time', () => {
    const {
      id: _id,
      hash: _hash,
      type: _type,
      accepts_marketing: _am,
      orders_summary: _os,
      ...rest
    } = documentedClient();
    const client = ShopkitClientSchema.parse({
      ...rest,
      locale: 'pt_PT',
      subscribe_newsletter: true,
      wholesale: 'pending',
      last_seen_at: '1416357859',
      tags: [],
      ip_address: '192.0.2.1',
    });
    expect(client).toMatchObject({ id: null, hash: null, type: null, accepts_marketing: true, wholesale: 'pending' });
    expect(client.last_seen_at).toBe('2014-11-19T00:44:19.000Z');
    expect(client.orders_summary).toBeNull();
  });

  it('requires an e-mail', () => {
    expect(ShopkitClientSchema.safeParse({ ...documentedClient(), email: null }).success).toBe(false);
  });
});

describe('other resources', () => {
  it('parses a category with children and a placeholder image', () => {
    const category = ShopkitCategorySchema.parse({
      id: '44355',
      title: 'Cozinha',
      is_parent: true,
      is_child: false,
      parent: 0,
      parent_title: null,
      description: '',
      position: 1,
      active: true,
      handle: 'cozinha',
      page_title: 'Cozinha',
      num_products: 3,
      url: 'u',
      permalink: 'p',
      image: { thumb: 'no-img.png', square: 'no-img.png', full: 'no-img.png' },
      parents: null,
      children: [{ id: 44356, title: 'Pratos', parent: 44355, children: null }],
      created_at: '2017-05-17T10:45:05+01:00',
      updated_at: null,
    });
    expect(category).toMatchObject({ id: 44355, children: [{ id: 44356, parent: 44355 }], updated_at: null });
  });

  it('parses brand, carrier, webhook, store', () => {
    expect(
      ShopkitBrandSchema.parse({ id: 3, title: 'Parallax', image: [], created_at: '2022-04-08T10:00:00+01:00' }),
    ).toMatchObject({
      id: 3,
      image: null,
      active: true,
      created_at: '2022-04-08T09:00:00.000Z',
    });
    expect(ShopkitCarrierSchema.parse({ alias: 'vasp', title: 'VASP Expresso' }).alias).toBe('vasp');
    expect(
      ShopkitWebhookSchema.parse({ id: '12', event: 'order_created', url: 'https://x.test/h', active: false }),
    ).toEqual({
      id: 12,
      event: 'order_created',
      url: 'https://x.test/h',
      active: false,
    });
    const store = ShopkitStoreSchema.parse({
      username: 'parallax',
      name: 'Parallax',
      currency: 'EUR',
      taxes_included: true,
      latitude: '39.8',
      payments: { multibanco: { active: true, title: 'Multibanco', gateway: 'easypay', method: 'multibanco' } },
      locations: [{ id: '1', title: 'Loja', city: 'Castelo Branco' }],
    });
    expect(store.payments.multibanco?.gateway).toBe('easypay');
    expect(store.locations[0]?.id).toBe('1');
  });

  it('parses a coupon of either edition; date windows stay calendar dates', () => {
    const coupon = ShopkitCouponSchema.parse({
      id: 1,
      code: 'bajevolp',
      coupon: 'bajevolp',
      limit: 0,
      used: 3,
      value: '10',
      type: 'percent',
      applies_to: 'orders_over',
      orders_over: null,
      category: null,
      product: null,
      date_from: '2015-01-01',
      date_to: null,
      created_at: '2017-05-17T10:45:05+01:00',
      orders_total: 100.5,
      orders_discount: 10.05,
    });
    expect(coupon).toMatchObject({ value: 10, date_from: '2015-01-01', date_to: null, active: true, updated_at: null });
    expect(ShopkitCouponSchema.safeParse({ ...coupon, type: 'gift' }).success).toBe(false);
  });
});

describe('parseShopkitWebhookEvent', () => {
  it('discriminates the envelope by the X-Shopkit-Event header', () => {
    const order = parseShopkitWebhookEvent('order_updated', { order: documentedOrder() });
    expect(order.success && order.data.event === 'order_updated' && order.data.order.id).toBe(1337);

    const { id: _id, hash: _hash, accepts_marketing: _a, ...webhookClient } = documentedClient();
    const client = parseShopkitWebhookEvent('client_created', {
      client: { ...webhookClient, subscribe_newsletter: false },
    });
    expect(client.success && client.data.event === 'client_created' && client.data.client.email).toBe('info@shopk.it');

    const newsletter = parseShopkitWebhookEvent(' newsletter_subscribed ', {
      client: { name: 'Shopkit', email: 'info@shopk.it', hash: 'a77e38d0b16ba62f32361331774324904278edcf' },
    });
    expect(newsletter.success && newsletter.data.event).toBe('newsletter_subscribed');

    const product = parseShopkitWebhookEvent('product_updated_stock', { product: documentedProduct() });
    expect(product.success && 'product' in product.data && product.data.product.id).toBe(212322);
  });

  it('rejects unknown events and envelopes of the wrong family', () => {
    expect(parseShopkitWebhookEvent('order_teleported', { order: documentedOrder() }).success).toBe(false);
    expect(parseShopkitWebhookEvent('client_updated', { order: documentedOrder() }).success).toBe(false);
  });
});
