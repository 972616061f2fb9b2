/**
 * Shopkit payloads of the mapping tests, in wire shape, parsed through the real input schemas so the
 * quirks (numeric strings, Unix dates, `update_at`, truncated offsets, `image: []`…) go end to end.
 * Values follow the documented examples (order 1337, product 212322, client 731046).
 */
import {
  ShopkitAbandonedCartSchema,
  ShopkitBrandSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
} from '../../src/shopkit/schemas';
import type { MappingContext } from '../../src/mapping';

export const ctx: MappingContext = {
  defaultLang: 'pt',
  timezone: 'Europe/Lisbon',
  dataSourceId: 42,
  seedTimestamp: '2025-01-01T00:00:00.000Z',
  stockSentinel: 999,
  imageSize: 'full',
  storeCurrency: 'EUR',
  storeUrl: 'https://parallax.shopk.it',
  taxesIncluded: true,
};

const cdn = (file: string) => ({
  thumb: `https://cdn.shopk.it/usercontent/parallax/media/images/thumb/${file}`,
  square: `https://cdn.shopk.it/usercontent/parallax/media/images/square/${file}`,
  full: `https://cdn.shopk.it/usercontent/parallax/media/images/${file}`,
});

export const PLACEHOLDER_IMAGE = {
  thumb: 'https://parallax.shopk.it/assets/store/img/no-img.jpg',
  square: 'https://parallax.shopk.it/assets/store/img/no-img.jpg',
  full: 'https://parallax.shopk.it/assets/store/img/no-img.jpg',
};

const block1337 = {
  name: 'Shopkit',
  phone: '969057993',
  address: 'Avenida do Empresário, 1',
  address_extra: 'Centro de Empresas Inovadoras',
  country: 'Portugal - Continental',
  country_code: 'PRT',
  country_code_alpha_2: 'PT',
  zip_code: '6000-767',
  city: 'Castelo Branco',
};

/** Order 1337 as the newer API edition sends it. */
export const rawOrder1337 = () => ({
  id: 1337,
  hash: 'a77e38d0b16ba62f32361331774324904278edcf',
  total: 157.03,
  subtotal: 148.64,
  product_tax: 16.0052,
  total_tax: 16.0052,
  discount: 14.864,
  shipping: { value: 7.25, tax: 0, tax_percent: '', discount: 0, discount_percent: 0 },
  created_at: '2017-05-17T10:45:05+01:00',
  update_at: '2017-12-06T17:18:41+00:00',
  sent_at: '2017-05-17T11:23:21+01:00',
  paid_at: '2017-05-17T11:23:21+01:00',
  currency: 'EUR',
  payment: {
    data: {},
    value: 157.03,
    tax: 0,
    tax_percent: '',
    title: 'Multibanco',
    method: 'multibanco',
    type: 'multibanco',
    gateway: 'easypay',
  },
  status: 3,
  status_alias: 'sent',
  status_description: 'Sent',
  paid: true,
  is_new: false,
  wholesale: false,
  tracking_code: '',
  tracking_carrier: '',
  tracking_created_at: '',
  expected_arrival_from: null,
  expected_arrival_until: null,
  billing_info_same_delivery: '1',
  coupon: { code: 'bajevolp', type: 'percent', value: 10 },
  shipment_method: 'Transportadora',
  shipment_method_id: '492',
  permalink: 'https://parallax.shopk.it/order/a77e38d0b16ba62f32361331774324904278edcf',
  client: {
    hash: 'cfc1c614870f7033bb0a033b6e7cd18e',
    name: 'Shopkit',
    email: 'support@shopk.it',
    company: 'Shopkit',
    fiscal_id: '999999990',
    is_registered: false,
    delivery: block1337,
    billing: { ...block1337, same_as_delivery: true },
  },
  products: [
    {
      id: 44753,
      title: 'Shelving Tree with Birds',
      option: 'Azul / Small',
      reference: 'STHFBF7574',
      price: 77.32,
      price_with_tax: 95.1036,
      price_without_tax: 77.32,
      tax: 23,
      quantity: 1,
      discount: 7.732,
      discount_percent: 10,
      subtotal: 85.59324,
      subtotal_with_tax: 85.59324,
      subtotal_without_tax: 77.32,
      url: 'https://parallax.shopk.it/product/shelving-tree-with-birds',
      image: cdn('4778681bb73229d7d038c077c741b7bd.jpg'),
      is_product: true,
    },
    {
      id: 44752,
      title: 'Hanging Succulent Planter',
      option: null,
      reference: '',
      price: 71.32,
      price_with_tax: 71.32,
      price_without_tax: 71.32,
      tax: 0,
      quantity: 1,
      discount: 7.132,
      discount_percent: 10,
      subtotal: 64.188,
      subtotal_with_tax: 64.188,
      subtotal_without_tax: 71.32,
      url: 'https://parallax.shopk.it/product/hanging-succulent-planter',
      image: cdn('eacc633fe509af083776db911a5f02b9.jpg'),
      is_product: true,
    },
  ],
});

/** Order 1337 as the older edition printed it: no alpha-2, no client hash, literal `\n`, no `*_with_tax`. */
export const rawLegacyOrder1337 = () => {
  const legacyBlock = {
    name: 'Shopkit',
    phone: '969057993',
    address: 'Centro de Empresas Inovadoras\\nAvª do Empresário',
    address_extra: '1, S1.08',
    country: 'Portugal - Continental',
    country_code: 'PRT',
    zip_code: '6000-767',
    city: 'Castelo Branco',
  };
  const order = rawOrder1337();
  return {
    ...order,
    shipping: { ...order.shipping, tax_percent: null },
    payment: { type: 'multibanco', data: { entity: 88888 }, description: 'Multibanco' },
    billing_info_same_delivery: undefined,
    shipment_method_id: undefined,
    client: {
      name: 'Shopkit',
      email: 'info@shopk.it',
      company: 'Shopkit',
      fiscal_id: null,
      is_registered: false,
      delivery: legacyBlock,
      billing: legacyBlock,
    },
    products: order.products.map(
      ({
        price_with_tax: _a,
        price_without_tax: _b,
        subtotal_with_tax: _c,
        subtotal_without_tax: _d,
        is_product: _e,
        ...line
      }) => line,
    ),
  };
};

export const order1337 = () => ShopkitOrderSchema.parse(rawOrder1337());
export const legacyOrder1337 = () => ShopkitOrderSchema.parse(rawLegacyOrder1337());

const option = (id: number, title: string, price: number | string, stock: number, extra: object = {}) => ({
  id,
  title,
  price,
  price_without_tax: price,
  price_promo: null,
  promo: false,
  price_on_request: false,
  stock,
  reference: '',
  barcode: null,
  active: true,
  url: `https://parallax.shopk.it/product/rustic-spice-bowl-set?option=${id}`,
  image: cdn('da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg'),
  ...extra,
});

/** Product 212322 of the API reference (abridged to the fields the mapping reads). */
export const rawProduct212322 = () => ({
  id: 212322,
  title: 'Rustic Spice Bowl Set',
  reference: '',
  barcode: null,
  price: 40.73,
  price_promo: null,
  price_on_request: false,
  price_without_tax: 40.73,
  created_at: '2020-11-27T15:36:57+00:0',
  updated_at: '2020-11-27T15:36:57+00:00',
  status: 1,
  status_alias: 'active',
  promo: false,
  description: '<p>This set of four rustic, pinch pots&nbsp;<br /></p>',
  excerpt: 'This set of four rustic, pinch pots have been hand formed by me from textured, earthy',
  description_short: 'This set of four rustic, pinch pots have been hand formed by me from textured, earthy&#8230;',
  video_embed_url: false,
  wholesale: false,
  wholesale_exclusive: false,
  url: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
  permalink: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
  image: cdn('da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg'),
  images: [
    cdn('f519f86-17d23f7b534bf365580989363da328d2.jpg'),
    cdn('0bb2c71-7d2fe8d66dd9925ac72a3112d691f352.jpg'),
    cdn('717897d-ff2216454ebbf8ca2727335ecacbc472.jpg'),
  ],
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
    option(363364, 'Small bowl / White', 40.73, 88),
    option(363365, 'Small bowl / Dark turquoise', 40.73, 94),
    option(363366, 'Big bowl / White', 45.73, 100),
    option(363367, 'Big bowl / Dark turquoise', 45.73, 100),
  ],
  stock: {
    stock_enabled: true,
    stock_qty: 88,
    stock_backorder: true,
    stock_show: true,
    stock_sold_single: true,
    stock_notify: 10,
  },
});

export const product212322 = (patch: object = {}) => ShopkitProductSchema.parse({ ...rawProduct212322(), ...patch });
export const productOption = option;

const clientBlock = {
  name: 'Shopkit',
  phone: '+351 969 057 993',
  address: 'Avenida do Empresário, 1\nCentro de Empresas Inovadoras',
  address_extra: 1,
  country: 'Portugal - Mainland',
  country_code: 'PRT',
  country_code_alpha_2: 'PT',
  zip_code: '6000-767 ',
  city: 'Castelo Branco',
};

/** Client 731046 of `GET /client` (Unix dates, `locale: "0"`, `tags: null`). */
export const rawClient731046 = () => ({
  id: 731046,
  hash: '858b9f6902f34443ef5d19ebb77baed5',
  name: 'Shopkit',
  email: 'info@shopk.it',
  company: 'Shopkit Lda',
  initials: 'S',
  fiscal_id: '999999990',
  locale: '0',
  gender: null,
  birthday: '1990-02-28',
  picture: null,
  accepts_marketing: true,
  wholesale: false,
  created_at: 1416357859,
  last_seen_at: 1509990000,
  type: 'registered',
  is_banned: false,
  is_registered: true,
  is_deleted: false,
  internal_notes: null,
  tags: null,
  delivery: clientBlock,
  billing: { ...clientBlock, zip_code: '6000-767', same_as_delivery: false },
  orders_summary: {
    paid_count: 3,
    unpaid_count: 1,
    paid_value: 310.456,
    unpaid_value: 20,
    total_count: 4,
    total_value: 330.456,
  },
});

/** A `client_updated` webhook client: no id, no hash, `subscribe_newsletter`, `pt_PT`, numeric-string date. */
export const rawWebhookClient = () => ({
  name: 'Maria da Silva Santos',
  email: ' Maria.Santos@Example.PT ',
  company: '',
  fiscal_id: 'PT999999990',
  locale: 'pt_PT',
  subscribe_newsletter: true,
  wholesale: 'pending',
  created_at: '1416357859',
  last_seen_at: 1416357900,
  is_banned: false,
  tags: ['vip', { title: 'Lisboa' }],
  delivery: { ...clientBlock, name: 'Maria Santos', phone: '912 345 678', address: 'Rua Augusta 1', address_extra: '' },
  billing: { ...clientBlock, name: 'Maria Santos', phone: '', address: '' },
});

export const client731046 = (patch: object = {}) => ShopkitClientSchema.parse({ ...rawClient731046(), ...patch });
export const webhookClient = (patch: object = {}) => ShopkitClientSchema.parse({ ...rawWebhookClient(), ...patch });

export const category14535 = (patch: object = {}) =>
  ShopkitCategorySchema.parse({
    id: 14535,
    title: 'Decora&ccedil;&atilde;o',
    is_parent: true,
    parent: 0,
    description: '<p>Cum sociis</p>',
    active: true,
    handle: 'decoracao',
    url: 'https://parallax.shopk.it/category/decoracao',
    permalink: 'https://parallax.shopk.it/category/decoracao',
    image: cdn('4778681bb73229d7d038c077c741b7bd.jpg'),
    parents: null,
    children: [
      {
        id: 167757,
        title: 'Sala',
        is_child: true,
        parent: 14535,
        description: 'Morbi',
        active: false,
        handle: 'decoracao-sala',
        url: '',
        permalink: '',
        image: [],
        children: null,
      },
    ],
    created_at: '2019-10-02T17:03:56+01:00',
    updated_at: '2019-10-02T17:11:08+01:00',
    ...patch,
  });

export const brand = (patch: object = {}) =>
  ShopkitBrandSchema.parse({
    id: 77,
    title: 'Barro &amp; Vivo',
    description: 'Ceramics',
    active: true,
    handle: 'barro-vivo',
    url: 'https://parallax.shopk.it/brand/barro-vivo',
    permalink: 'https://parallax.shopk.it/brand/barro-vivo',
    created_at: '2022-04-08T10:00:00+01:00',
    updated_at: null,
    ...patch,
  });

/** Coupon `bajevolp` of the API reference, newer edition. */
export const coupon1337 = (patch: object = {}) =>
  ShopkitCouponSchema.parse({
    id: 1337,
    code: 'bajevolp',
    limit: 5,
    used: 2,
    value: 10,
    type: 'percent',
    applies_to: 'all_orders',
    orders_over: null,
    category: null,
    product: null,
    brand: null,
    tag: null,
    countries: null,
    date_from: null,
    date_to: null,
    active: true,
    created_at: '2014-11-18T23:41:32+00:00',
    updated_at: null,
    orders_total: 157.03,
    orders_discount: 14.864,
    ...patch,
  });

export const abandonedCart = (patch: object = {}) =>
  ShopkitAbandonedCartSchema.parse({
    id: '5501',
    client: { name: 'Ana Reis', email: 'Ana@Example.pt', hash: null },
    products: [
      {
        id: 212322,
        option_id: 363364,
        title: 'Rustic Spice Bowl Set',
        option: 'Small bowl / White',
        quantity: 2,
        price: 40.73,
      },
      { id: 44752, option_id: null, title: 'Hanging Succulent Planter', option: null, quantity: '1', price: '64.188' },
    ],
    total: 145.648,
    currency: 'EUR',
    url: 'https://parallax.shopk.it/cart/recover/abc',
    created_at: '2025-05-01T10:00:00+01:00',
    updated_at: 1746090000,
    ...patch,
  });
