/**
 * Deterministic generator of a Shopkit store in Shopkit's wire shapes (docs/shopkit-api-notes.md#payloads),
 * quirks included: numeric strings, Unix client dates, `update_at` on orders, `""` vs `null`,
 * truncated offsets, `image: []`, legacy order payloads. Every entity `i` is a pure function of
 * (seed, kind, i), so a simulator can serve page N of 100k orders without building the others.
 */
import { createHash } from 'node:crypto';
import { SHOPKIT_CARRIER_ALIASES, SHOPKIT_ORDER_STATUSES } from '../shopkit/schemas';
import { seededRandom } from './simulator-kit';

export type WireObject = Record<string, unknown>;

export interface ShopkitStoreSizes {
  products: number;
  clients: number;
  orders: number;
  /** Default: max(4, products / 10), at most 200. */
  categories?: number;
  /** Default: max(2, products / 20), at most 100. */
  brands?: number;
  /** Default 12. Orders use them; Shopkit has no coupon list, so they are reached by code. */
  coupons?: number;
}

export interface ShopkitStoreGeneratorOptions {
  seed?: number;
  sizes: ShopkitStoreSizes;
  /** The store's "present": every generated date lies before it. Default 2025-06-01T00:00:00Z. */
  now?: string;
  /** Store username, used in URLs. Default `sandbox`. */
  username?: string;
}

/** First id of each kind; entity `i` has id `base + i`. */
export const SHOPKIT_ID_BASE = {
  category: 4_000,
  brand: 6_000,
  coupon: 9_000,
  product: 20_000,
  order: 100_000,
  client: 700_000,
} as const;

/** Orders are created over this span before `now`; their other dates follow within ORDER_MAX_LAG_MS. */
const ORDER_SPAN_MS = 730 * 86_400_000;
export const ORDER_MAX_LAG_MS = 20 * 86_400_000;
const CATALOGUE_SPAN_MS = 1_095 * 86_400_000;
/**
 * Buyer indexes from here on have no client record: Shopkit knows them only from their orders. Far past any
 * client a test creates (created clients take the next indexes), so a created client never takes their e-mail.
 */
const GUEST_BUYER_BASE = 500_000;
/** Orders whose buyer has no client record: every 17th (offset 11); those of a few regulars: every 13th. */
const GUEST_ORDER_EVERY = 17;
const REGULAR_ORDER_EVERY = 13;
const REGULARS = 4;
const TAX_RATE = 23;

const KIND = { category: 1, brand: 2, coupon: 3, product: 4, client: 5, order: 6 } as const;

const ADJECTIVES = ['Rustic', 'Linen', 'Stoneware', 'Oak', 'Woven', 'Glazed', 'Copper', 'Wool', 'Cork', 'Marble'];
const NOUNS = ['Bowl', 'Planter', 'Mug', 'Lamp', 'Blanket', 'Vase', 'Tray', 'Basket', 'Shelf', 'Candle', 'Apron'];
const CATEGORY_NAMES = ['Cozinha', 'Sala', 'Jardim', 'Quarto', 'Banho', 'Escritório', 'Decoração', 'Têxteis'];
const BRAND_NAMES = ['Parallax', 'Barro Vivo', 'Lusitano', 'Atelier Sul', 'Casa Norte', 'Oficina 9'];
const FIRST_NAMES = ['Ana', 'João', 'Maria', 'Pedro', 'Inês', 'Rui', 'Sofia', 'Tiago', 'Marta', 'Luís', 'Beatriz'];
const LAST_NAMES = ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Sousa'];
const CITIES: [string, string][] = [
  ['Lisboa', '1100-148'],
  ['Porto', '4000-322'],
  ['Castelo Branco', '6000-767'],
  ['Coimbra', '3000-141'],
  ['Faro', '8000-078'],
];
const OPTION_GROUPS: [string, string[]][] = [
  ['Size', ['Small', 'Medium', 'Big']],
  ['Color', ['White', 'Dark turquoise', 'Sand']],
  ['Material', ['Clay', 'Linen']],
];
const PAYMENT_METHODS: [string, string, string][] = [
  ['multibanco', 'easypay', 'Multibanco'],
  ['mbway', 'easypay', 'MB WAY'],
  ['credit_card', 'stripe', 'Cartão de crédito'],
  ['paypal', 'paypal', 'PayPal'],
  ['bank_transfer', 'manual', 'Transferência bancária'],
];
const CARRIER_TITLES: Record<string, string> = {
  correos_express: 'Correos Express',
  ctt: 'CTT',
  dhl_express: 'DHL Express',
  dhl_globalmail: 'DHL Global Mail',
  dhl_parcel: 'DHL Parcel',
  dpd: 'DPD',
  fedex: 'FedEx',
  gls: 'GLS',
  mrw: 'MRW',
  nacex: 'Nacex',
  rangel: 'Rangel',
  seur: 'SEUR',
  tnt: 'TNT',
  ups: 'UPS',
  vasp: 'VASP Expresso',
  other: 'Other',
};
const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  processing: 'Processing',
  sent: 'Sent',
  canceled: 'Canceled',
  waiting_confirmation: 'Waiting confirmation',
  waiting_payment: 'Waiting payment',
  waiting_stock: 'Waiting stock',
  delivered: 'Delivered',
  returned: 'Returned',
  pickup_available: 'Pickup available',
  waiting_shipment: 'Waiting shipment',
};
const COUPON_TYPES = ['percent', 'money', 'shipping'] as const;
const COUPON_SCOPES = ['all_orders', 'orders_over', 'category', 'product'] as const;

/** A seeded draw sequence for one entity. */
class Draw {
  private readonly next: () => number;
  constructor(seed: number, kind: number, index: number) {
    this.next = seededRandom(mix(seed, kind, index));
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)] as T;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** 32-bit avalanche of (seed, kind, index): neighbouring entities get unrelated streams. */
function mix(seed: number, kind: number, index: number): number {
  let h = (seed ^ Math.imul(kind, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h ^ Math.imul(index >>> 16, 0x27d4eb2f)) >>> 0;
}

export interface VariantSkeleton {
  id: number;
  valueIds: number[];
  title: string;
  price: number;
  stock: number;
  reference: string;
  active: boolean;
}

/** What an order line needs of a product: computed without building the full product payload. */
export interface ProductSkeleton {
  index: number;
  id: number;
  title: string;
  handle: string;
  price: number;
  weight: number;
  groups: { id: number; title: string; options: { id: number; title: string }[] }[];
  variants: VariantSkeleton[];
  images: string[];
}

export interface ClientSkeleton {
  index: number;
  id: number;
  name: string;
  email: string;
  hash: string;
  kind: 'registered' | 'guest' | 'wholesale';
  address: WireObject;
}

/** Which catalogue entities an order references: what referential-integrity checks compare. */
export interface OrderReferences {
  clientIndex: number;
  lines: { productIndex: number; variantId: number | null; quantity: number }[];
  couponIndex: number | null;
}

const SKELETONS_KEPT = 8_192;

function memoised<T>(draw: (index: number) => T): (index: number) => T {
  const kept = new Map<number, T>();
  return (index) => {
    let value = kept.get(index);
    if (value === undefined) {
      if (kept.size >= SKELETONS_KEPT) kept.delete(kept.keys().next().value as number);
      value = draw(index);
      kept.set(index, value);
    }
    return value;
  };
}

export class ShopkitStoreGenerator {
  readonly seed: number;
  readonly sizes: Required<ShopkitStoreSizes>;
  readonly username: string;
  readonly nowMs: number;
  /**
   * Skeletons are pure functions of their index, and orders ask for the same ones again and again (each
   * line its product's twice): the last few thousand are kept, so a huge store's memory stays bounded.
   */
  readonly productSkeleton = memoised((i: number): Readonly<ProductSkeleton> => this.drawProductSkeleton(i));
  readonly clientSkeleton = memoised((j: number): Readonly<ClientSkeleton> => this.drawClientSkeleton(j));
  /** {@link orderIndexesOfEmail}'s index, built on its first use. */
  private ordersByEmail: Map<string, number[]> | undefined;

  constructor(options: ShopkitStoreGeneratorOptions) {
    this.seed = options.seed ?? 1;
    const { products, clients, orders } = options.sizes;
    for (const [name, value] of Object.entries(options.sizes)) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new RangeError(`size ${name} must be a non-negative integer`);
      }
    }
    if (orders > 0 && (products === 0 || clients === 0)) throw new RangeError('orders need products and clients');
    this.sizes = {
      products,
      clients,
      orders,
      categories: options.sizes.categories ?? Math.min(200, Math.max(4, Math.floor(products / 10))),
      brands: options.sizes.brands ?? Math.min(100, Math.max(2, Math.floor(products / 20))),
      coupons: options.sizes.coupons ?? 12,
    };
    this.username = options.username ?? 'sandbox';
    this.nowMs = Date.parse(options.now ?? '2025-06-01T00:00:00Z');
    if (Number.isNaN(this.nowMs)) throw new RangeError('now must be an ISO timestamp');
  }

  get storefront(): string {
    return `https://${this.username}.shopk.it`;
  }

  store(): WireObject {
    const url = this.storefront;
    return {
      username: this.username,
      name: `Sandbox Store ${this.seed}`,
      logo: null,
      description: 'A generated Shopkit store',
      url,
      domain: `${this.username}.shopk.it`,
      is_ssl: true,
      email: `info@${this.username}.example.test`,
      show_email: true,
      phone: null,
      cellphone: '969057993',
      address: 'Avenida do Empresário, 1',
      latitude: '39.8222',
      longitude: '-7.4909',
      currency: 'EUR',
      taxes_included: true,
      enable_shipping_methods: true,
      basecolor: '#111111',
      images_header: [],
      settings: {
        cart: { users_registration: 'optional', field_company: 'optional', field_fiscal_id: 'optional' },
        abandoned: { carts_automatic_notifications: true, carts_email_subject: 'Esqueceu-se de algo?' },
        wholesale: { show_regular_price: true, taxes_included: false, client_signup: true },
      },
      payments: Object.fromEntries(
        PAYMENT_METHODS.map(([method, gateway, title], n) => [
          method,
          { active: true, message: '', description: '', default: n === 0, gateway, method, alias: method, title },
        ]),
      ),
      locations: [
        {
          id: '1',
          title: 'Loja',
          name: 'Sandbox',
          address: 'Avenida do Empresário, 1',
          address_extra: '',
          city: 'Castelo Branco',
          zip_code: '6000-767',
          country: 'Portugal',
          country_code: 'PRT',
          phone: '969057993',
        },
      ],
      products_per_page_home: 12,
    };
  }

  carriers(): WireObject[] {
    return SHOPKIT_CARRIER_ALIASES.map((alias) => ({ alias, title: CARRIER_TITLES[alias] }));
  }

  // -------------------------------------------------------------------------------------------
  // Categories and brands

  /** Top-level categories are the first quarter; the others hang below earlier ones. */
  private categoryRoots(): number {
    return Math.max(1, Math.ceil(this.sizes.categories / 4));
  }

  categoryParentIndex(i: number): number | null {
    const roots = this.categoryRoots();
    return i < roots ? null : Math.floor((i - roots) / 2);
  }

  private categoryChildIndexes(i: number): number[] {
    const first = this.categoryRoots() + 2 * i;
    return [first, first + 1].filter((child) => child < this.sizes.categories);
  }

  private categoryCore(i: number): WireObject {
    const title = `${CATEGORY_NAMES[i % CATEGORY_NAMES.length]} ${i + 1}`;
    const handle = slug(title);
    const parent = this.categoryParentIndex(i);
    const children = this.categoryChildIndexes(i);
    return {
      id: SHOPKIT_ID_BASE.category + i,
      title,
      is_parent: children.length > 0,
      is_child: parent !== null,
      parent: parent === null ? 0 : SHOPKIT_ID_BASE.category + parent,
      description: i % 3 === 0 ? '' : `<p>${title}</p>`,
      position: i,
      active: i % 11 !== 10,
      handle,
      page_title: title,
      meta_description: null,
      meta_tags: null,
      num_products: Math.ceil(this.sizes.products / Math.max(1, this.sizes.categories)),
      url: `${this.storefront}/category/${handle}`,
      permalink: `${this.storefront}/category/${handle}`,
      image: i % 2 === 0 ? this.placeholder('png') : this.image(`c${i}`),
    };
  }

  category(i: number): WireObject {
    const created = this.catalogueDate(KIND.category, i);
    const parent = this.categoryParentIndex(i);
    return {
      ...this.categoryCore(i),
      parent_title: parent === null ? null : `${CATEGORY_NAMES[parent % CATEGORY_NAMES.length]} ${parent + 1}`,
      parents: null,
      children: this.categoryChildIndexes(i).map((child) => ({ ...this.categoryCore(child), children: null })),
      created_at: localIso(created),
      updated_at: localIso(created + (i % 5) * 86_400_000),
    };
  }

  brand(i: number): WireObject {
    const title = `${BRAND_NAMES[i % BRAND_NAMES.length]} ${i + 1}`;
    const handle = slug(title);
    const created = this.catalogueDate(KIND.brand, i);
    return {
      id: SHOPKIT_ID_BASE.brand + i,
      title,
      description: '',
      position: i,
      active: true,
      handle,
      page_title: title,
      meta_description: '',
      meta_tags: null,
      num_products: Math.ceil(this.sizes.products / Math.max(1, this.sizes.brands)),
      url: `${this.storefront}/brand/${handle}`,
      permalink: `${this.storefront}/brand/${handle}`,
      image: this.image(`b${i}`),
      created_at: localIso(created),
      updated_at: localIso(created),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Coupons

  coupon(i: number): WireObject {
    const draw = new Draw(this.seed, KIND.coupon, i);
    const code = couponCode(draw, i);
    const type = COUPON_TYPES[i % COUPON_TYPES.length] as (typeof COUPON_TYPES)[number];
    const appliesTo = COUPON_SCOPES[i % COUPON_SCOPES.length] as (typeof COUPON_SCOPES)[number];
    const created = this.catalogueDate(KIND.coupon, i);
    const withWindow = i % 3 === 0;
    return {
      id: SHOPKIT_ID_BASE.coupon + i,
      code,
      coupon: code,
      limit: i % 2 === 0 ? 0 : 100,
      used: draw.int(0, 40),
      value: type === 'percent' ? draw.pick([5, 10, 15, 20]) : type === 'money' ? draw.pick([5, 10]) : 0,
      type,
      applies_to: appliesTo,
      applies_to_clients: 'clients_all',
      orders_over: appliesTo === 'orders_over' ? 50 : i % 2 === 0 ? 0 : null,
      orders_under: null,
      category: appliesTo === 'category' ? SHOPKIT_ID_BASE.category : null,
      product: appliesTo === 'product' && this.sizes.products > 0 ? SHOPKIT_ID_BASE.product : null,
      brand: null,
      tag: null,
      countries: null,
      date_from: withWindow ? isoDate(created) : null,
      date_to: withWindow ? isoDate(created + 365 * 86_400_000) : null,
      shareable_url: `${this.storefront}/discount/${code}`,
      active: i % 7 !== 6,
      created_at: localIso(created),
      updated_at: localIso(created),
      orders_total: draw.int(0, 500_000) / 100,
      orders_discount: draw.int(0, 50_000) / 100,
    };
  }

  couponCode(i: number): string {
    return couponCode(new Draw(this.seed, KIND.coupon, i), i);
  }

  // -------------------------------------------------------------------------------------------
  // Products

  private drawProductSkeleton(i: number): ProductSkeleton {
    const draw = new Draw(this.seed, KIND.product, i);
    const id = SHOPKIT_ID_BASE.product + i;
    const title = `${draw.pick(ADJECTIVES)} ${draw.pick(NOUNS)} ${i + 1}`;
    const price = draw.int(500, 15_000) / 100;
    // A quarter without variants, one in 13 with three groups (id_variant_3 set), the rest one or two.
    const groupCount = i % 4 === 0 ? 0 : i % 13 === 5 ? 3 : draw.int(1, 2);
    const groups = OPTION_GROUPS.slice(0, groupCount).map(([groupTitle, values], g) => ({
      id: 2_000_000 + i * 4 + g,
      title: groupTitle,
      options: values.slice(0, g === 2 ? 2 : draw.int(2, 3)).map((value, v) => ({
        id: 3_000_000 + i * 16 + g * 4 + v,
        title: value,
      })),
    }));
    const combos = groups.reduce<{ id: number; title: string }[][]>(
      (acc, group) => acc.flatMap((prefix) => group.options.map((option) => [...prefix, option])),
      groups.length > 0 ? [[]] : [],
    );
    const variants = combos.map((values, j) => ({
      id: 1_000_000 + i * 32 + j,
      valueIds: values.map((value) => value.id),
      title: values.map((value) => value.title).join(' / '),
      price: Math.round((price + j * 2.5) * 100) / 100,
      stock: draw.int(0, 120),
      reference: `SK-${id}-${j + 1}`,
      // Shops disable options once sold out for good; orders placed before still name them. One in five
      // options of a multi-option product is inactive (never all of them).
      active: combos.length < 2 || (i + j) % 5 !== 3,
    }));
    const images = Array.from({ length: i % 6 === 1 ? 0 : draw.int(1, 4) }, (_, k) => `p${i}-${k}`);
    return { index: i, id, title, handle: slug(title), price, weight: draw.int(0, 3000), groups, variants, images };
  }

  product(i: number): WireObject {
    const skeleton = this.productSkeleton(i);
    const draw = new Draw(this.seed, KIND.product, i + 0x10000);
    const { id, title, handle, price, variants } = skeleton;
    const url = `${this.storefront}/product/${handle}`;
    const created = this.catalogueDate(KIND.product, i);
    const status = i % 9 === 1 ? 2 : i % 9 === 2 ? 3 : i % 9 === 3 ? 4 : 1;
    const promo = i % 5 === 2 ? Math.round(price * 80) / 100 : null;
    const description = `<p>${title}: hand made in Portugal.&nbsp;Food safe.</p>`;
    const excerpt = `${title}: hand made in Portugal.`;
    const mainImage = skeleton.images.length > 0 ? this.image(skeleton.images[0] as string) : this.placeholder('jpg');
    // Early payloads carried variant ids and prices as strings: every 7th product keeps that quirk.
    const stringly = i % 7 === 3;
    const asWire = (value: number) => (stringly ? String(value) : value);
    const stockTracked = i % 8 !== 7;
    return {
      id,
      title,
      reference: i % 3 === 0 ? '' : i % 3 === 1 ? null : `REF-${id}`,
      barcode: i % 4 === 2 ? ean13(id) : null,
      price,
      price_formatted: euros(price),
      price_promo: promo,
      price_promo_formatted: promo === null ? null : euros(promo),
      price_wholesale: i % 6 === 0 ? Math.round(price * 70) / 100 : null,
      price_wholesale_formatted: i % 6 === 0 ? euros(Math.round(price * 70) / 100) : null,
      promo_show_percentage: false,
      price_promo_percentage: promo === null ? null : 20,
      price_on_request: false,
      price_without_tax: Math.round((price / (1 + TAX_RATE / 100)) * 100) / 100,
      // The documented malformed offset (`+00:0`), on every 17th product.
      created_at: i % 17 === 3 ? localIso(created).slice(0, -1) : localIso(created),
      updated_at: localIso(this.productUpdatedMs(i, created + draw.int(0, 200) * 86_400_000)),
      status,
      status_alias: ['active', 'hidden', 'out_of_stock', 'soon'][status - 1],
      position: i,
      shipping: 0,
      shipping_alone: false,
      featured: i % 10 === 0,
      new: i % 4 === 1,
      is_promotion: promo !== null,
      description,
      excerpt,
      video_url: i % 12 === 0 ? 'https://www.youtube.com/watch?v=sandbox' : '',
      file: null,
      tax: 0,
      taxable: true,
      reduced_rate: null,
      meta_description: excerpt,
      meta_tags: '',
      handle,
      page_title: title,
      weight: skeleton.weight,
      sales: draw.int(0, 500),
      variants_same_values: false,
      wholesale: i % 6 === 0,
      wholesale_exclusive: false,
      description_short: excerpt.length > 60 ? `${excerpt.slice(0, 60)}&#8230;` : excerpt,
      promo: promo !== null,
      url,
      add_cart_url: `${this.storefront}/cart/add/${handle}`,
      wishlist: {
        add_url: `${this.storefront}/wishlist/add/${handle}`,
        remove_url: `${this.storefront}/wishlist/remove/${handle}`,
      },
      permalink: url,
      video_embed_url: i % 12 === 0 ? 'https://www.youtube.com/embed/sandbox' : false,
      image: mainImage,
      // The gallery does not repeat the main image.
      images: skeleton.images.slice(1).map((name) => this.image(name)),
      categories: this.productCategoryIndexes(i).map((c) => {
        const core = this.categoryCore(c);
        return {
          id: core.id,
          parent: core.parent,
          active: core.active,
          title: core.title,
          description: core.description,
          handle: core.handle,
          url: core.url,
          // Embedded categories send `[]` instead of a placeholder image.
          image: c % 2 === 0 ? [] : core.image,
        };
      }),
      brand: this.productBrand(i),
      tags: i % 5 === 0 ? ['handmade'] : [],
      options: variants.map((variant) => ({
        id: asWire(variant.id),
        id_variant_1: variant.valueIds[0] ?? null,
        id_variant_2: variant.valueIds[1] ?? null,
        id_variant_3: variant.valueIds[2] ?? null,
        title: variant.title,
        price: asWire(variant.price),
        price_formatted: euros(variant.price),
        price_promo: null,
        price_promo_formatted: null,
        price_wholesale: null,
        price_wholesale_formatted: null,
        price_without_tax: Math.round((variant.price / (1 + TAX_RATE / 100)) * 100) / 100,
        promo: false,
        price_promo_percentage: null,
        price_on_request: false,
        stock: variant.stock,
        shipping: 0,
        weight: skeleton.weight,
        reference: variant.reference,
        barcode: null,
        active: variant.active,
        url: `${url}?option=${variant.id}`,
        image: mainImage,
        wishlist: {
          add_url: `${this.storefront}/wishlist/add/${handle}?option=${variant.id}`,
          remove_url: `${this.storefront}/wishlist/remove/${handle}?option=${variant.id}`,
        },
      })),
      option_groups: skeleton.groups,
      stock: stockTracked
        ? {
            stock_enabled: true,
            stock_qty: variants[0]?.stock ?? draw.int(0, 200),
            stock_backorder: i % 2 === 0,
            stock_show: true,
            stock_sold_single: false,
            stock_notify: 5,
          }
        : { stock_enabled: false },
      rating: { total_reviews: 0, average_rating: 0, max_rating: 0, min_rating: 0 },
      custom_fields: null,
      tabs: null,
    };
  }

  /** A product with disabled options was last edited when they were disabled, if that is later. */
  private productUpdatedMs(i: number, editedMs: number): number {
    const disabled = this.productSkeleton(i).variants.some((variant) => !variant.active);
    return disabled ? Math.max(editedMs, this.optionsDisabledMs(i)) : editedMs;
  }

  productCategoryIndexes(i: number): number[] {
    const count = this.sizes.categories;
    if (count === 0) return [];
    const first = i % count;
    return i % 3 === 0 && count > 1 ? [first, (first + 1) % count] : [first];
  }

  /** `null` (as in every example), an object, or a bare id: the three shapes App. B asks to accept. */
  private productBrand(i: number): unknown {
    if (this.sizes.brands === 0 || i % 4 === 3) return null;
    const b = i % this.sizes.brands;
    if (i % 4 === 2) return SHOPKIT_ID_BASE.brand + b;
    const brand = this.brand(b);
    return { id: brand.id, title: brand.title, handle: brand.handle };
  }

  // -------------------------------------------------------------------------------------------
  // Clients

  private drawClientSkeleton(j: number): ClientSkeleton {
    const draw = new Draw(this.seed, KIND.client, j);
    const first = draw.pick(FIRST_NAMES);
    const last = draw.pick(LAST_NAMES);
    const email = `${asciiFold(first)}.${asciiFold(last)}.${j + 1}@example.test`.toLowerCase();
    const [city, zip] = draw.pick(CITIES);
    const street = `Rua ${draw.pick(LAST_NAMES)} ${draw.int(1, 300)}`;
    return {
      index: j,
      id: SHOPKIT_ID_BASE.client + j,
      name: `${first} ${last}`,
      email,
      hash: md5(email),
      kind: j % 10 === 9 ? 'wholesale' : j % 10 >= 6 ? 'guest' : 'registered',
      address: {
        name: `${first} ${last}`,
        phone: j % 2 === 0 ? `+3519${String(10_000_000 + j).slice(-8)}` : `9${String(10_000_000 + j).slice(-8)}`,
        // Older payloads hold a literal backslash-n between lines.
        address: j % 5 === 0 ? `${street}\\nBloco ${draw.int(1, 9)}` : street,
        // `address_extra` arrives as a number at times (App. B).
        address_extra: j % 7 === 0 ? draw.int(1, 9) : j % 7 === 1 ? null : `${draw.int(1, 9)}º Esq`,
        country: 'Portugal - Mainland',
        country_code: 'PRT',
        country_code_alpha_2: 'PT',
        // …and `zip_code` with a trailing space.
        zip_code: j % 6 === 0 ? `${zip} ` : zip,
        city,
      },
    };
  }

  client(j: number): WireObject {
    const skeleton = this.clientSkeleton(j);
    const draw = new Draw(this.seed, KIND.client, j + 0x10000);
    const created = Math.floor(this.catalogueDate(KIND.client, j) / 1000);
    const registered = skeleton.kind !== 'guest';
    const sameBilling = j % 4 !== 0;
    return {
      id: skeleton.id,
      hash: skeleton.hash,
      name: skeleton.name,
      email: skeleton.email,
      company: j % 8 === 0 ? `${skeleton.name} Lda` : null,
      initials: skeleton.name
        .split(' ')
        .map((part) => part.charAt(0))
        .join(''),
      fiscal_id: j % 3 === 0 ? String(200_000_000 + j) : '',
      locale: j % 5 === 0 ? 'pt_PT' : '0',
      gender: j % 3 === 0 ? null : draw.pick(['female', 'male', 'other']),
      birthday: j % 4 === 0 ? `19${70 + (j % 30)}-0${1 + (j % 9)}-1${j % 10}` : null,
      picture: null,
      accepts_marketing: j % 3 !== 2,
      // A wholesale request not yet accepted shows as "pending" (App. B).
      wholesale: skeleton.kind === 'wholesale' ? (j % 20 === 19 ? 'pending' : true) : false,
      created_at: created,
      // Unix seconds, as a numeric string on every 9th client.
      last_seen_at: j % 9 === 4 ? String(created + 86_400) : created + draw.int(0, 90) * 86_400,
      type: registered ? 'registered' : 'guest',
      is_banned: false,
      is_registered: registered,
      is_deleted: false,
      internal_notes: null,
      tags: j % 2 === 0 ? null : [],
      delivery: skeleton.address,
      billing: sameBilling
        ? { ...skeleton.address, same_as_delivery: true }
        : {
            ...this.clientSkeleton((j + 1) % Math.max(1, this.sizes.clients)).address,
            name: skeleton.name,
            same_as_delivery: false,
          },
      l10n: { tax_id_abbr: 'NIF', tax_name: 'IVA' },
      cart: null,
      wishlist: null,
      orders_summary: {
        paid_count: 0,
        unpaid_count: 0,
        paid_value: 0,
        unpaid_value: 0,
        total_count: 0,
        total_value: 0,
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Orders

  orderReferences(i: number): OrderReferences {
    const draw = new Draw(this.seed, KIND.order, i);
    const clientIndex = this.buyerIndex(i, this.drawnBuyer(draw));
    const lineCount = Math.min(this.sizes.products, draw.int(1, 4));
    const productIndexes = new Set<number>();
    while (productIndexes.size < lineCount) productIndexes.add(draw.int(0, this.sizes.products - 1));
    const created = this.orderCreatedMs(i);
    const lines = [...productIndexes].map((productIndex) => {
      // An option disabled since could be ordered before it was: orders placed then still name it.
      const disabledMs = this.optionsDisabledMs(productIndex);
      const variants = this.productSkeleton(productIndex).variants.filter((v) => v.active || created < disabledMs);
      const variant = variants.length > 0 ? draw.pick(variants) : undefined;
      return { productIndex, variantId: variant?.id ?? null, quantity: draw.int(1, 3) };
    });
    const couponIndex = this.sizes.coupons > 0 && i % 6 === 0 ? (i / 6) % this.sizes.coupons : null;
    return { clientIndex, lines, couponIndex };
  }

  /** The first draw of an order: its buyer before {@link buyerIndex}'s guests and regulars. */
  private drawnBuyer(draw: Draw): number {
    return draw.int(0, this.sizes.clients - 1);
  }

  /**
   * Indexes of the generated orders whose buyer has this e-mail (lower case), in order. Built on the first
   * search from each order's first draw alone, so a buyer search (`client_email`) generates only the
   * buyer's orders instead of the whole store; the index holds numbers, not orders.
   */
  orderIndexesOfEmail(email: string): readonly number[] {
    if (!this.ordersByEmail) {
      const byBuyer = new Map<number, number[]>();
      for (let i = 0; i < this.sizes.orders; i++) {
        const buyer = this.buyerIndex(i, this.drawnBuyer(new Draw(this.seed, KIND.order, i)));
        const indexes = byBuyer.get(buyer);
        if (indexes) indexes.push(i);
        else byBuyer.set(buyer, [i]);
      }
      this.ordersByEmail = new Map();
      for (const [buyer, indexes] of byBuyer) {
        const key = String(this.clientSkeleton(buyer).email).toLowerCase();
        this.ordersByEmail.set(
          key,
          [...(this.ordersByEmail.get(key) ?? []), ...indexes].sort((a, b) => a - b),
        );
      }
    }
    return this.ordersByEmail.get(email) ?? [];
  }

  /**
   * Buyer of order `i`, as a client skeleton index. Most are drawn from the client list; every 17th order's
   * buyer has no client record ({@link isGuestBuyer}) and every 13th is one of a few regulars. Both recur
   * every few dozen orders, so their orders fall on several list pages.
   */
  private buyerIndex(i: number, drawn: number): number {
    const guests = this.guestBuyers;
    if (guests > 0 && i % GUEST_ORDER_EVERY === 11)
      return GUEST_BUYER_BASE + (Math.floor(i / GUEST_ORDER_EVERY) % guests);
    if (i % REGULAR_ORDER_EVERY === 4)
      return Math.floor(i / REGULAR_ORDER_EVERY) % Math.min(REGULARS, this.sizes.clients);
    return drawn;
  }

  /** How many buyers have orders but no client record: one per 20 clients, at least one, at most 20. */
  get guestBuyers(): number {
    return this.sizes.orders > 0 ? Math.min(20, Math.max(1, Math.floor(this.sizes.clients / 20))) : 0;
  }

  /** Whether a buyer index (of {@link orderReferences}) has a client record. */
  isGuestBuyer(clientIndex: number): boolean {
    return clientIndex >= GUEST_BUYER_BASE;
  }

  /**
   * When product `i`'s inactive options were disabled: within the order span, so orders placed before name
   * them and the product's `updated_at` is later than those orders.
   */
  optionsDisabledMs(i: number): number {
    const draw = new Draw(this.seed, KIND.product, i + 0x40000);
    return Math.floor(this.nowMs - ORDER_SPAN_MS * (0.2 + 0.6 * draw.float()));
  }

  /** Creation time of order `i`: non-decreasing in `i`, so date windows map to index ranges. */
  orderCreatedMs(i: number): number {
    const n = Math.max(1, this.sizes.orders);
    const step = ORDER_SPAN_MS / n;
    const jitter = new Draw(this.seed, KIND.order, i + 0x20000).float() * step * 0.9;
    return Math.floor(this.nowMs - ORDER_SPAN_MS + i * step + jitter);
  }

  /** Index range [from, to) of orders created within [fromMs, toMs]. */
  orderIndexRange(fromMs: number, toMs: number): [number, number] {
    return [this.firstOrderAtOrAfter(fromMs), this.firstOrderAtOrAfter(toMs + 1)];
  }

  private firstOrderAtOrAfter(ms: number): number {
    let low = 0;
    let high = this.sizes.orders;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.orderCreatedMs(mid) < ms) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  order(i: number): WireObject {
    const refs = this.orderReferences(i);
    const draw = new Draw(this.seed, KIND.order, i + 0x10000);
    const client = this.clientSkeleton(refs.clientIndex);
    const coupon = refs.couponIndex === null ? null : this.coupon(refs.couponIndex);
    const couponPercent = coupon?.type === 'percent' ? Number(coupon.value) : 0;
    const status = SHOPKIT_ORDER_STATUSES[i % SHOPKIT_ORDER_STATUSES.length] as string;
    const statusCode = (i % SHOPKIT_ORDER_STATUSES.length) + 1;
    const shipped = ['sent', 'delivered', 'returned', 'pickup_available'].includes(status);
    const paid = shipped || ['processing', 'waiting_stock', 'waiting_shipment'].includes(status);
    // Every 10th order is in the older edition's shape: old payment object, no client hash, no alpha-2.
    const legacy = i % 10 === 7;
    const created = this.orderCreatedMs(i);
    const paidAt = paid ? created + draw.int(60, 86_400) * 1000 : null;
    const sentAt = shipped ? (paidAt ?? created) + draw.int(1, 5) * 86_400_000 : null;
    const updated = Math.max(created, paidAt ?? 0, sentAt ?? 0) + draw.int(0, 86_400) * 1000;
    const products = refs.lines.map(({ productIndex, variantId, quantity }) => {
      const product = this.productSkeleton(productIndex);
      const variant = product.variants.find((v) => v.id === variantId);
      const gross = variant?.price ?? product.price;
      const net = gross / (1 + TAX_RATE / 100);
      const discount = (gross * quantity * couponPercent) / 100;
      const line: WireObject = {
        id: product.id,
        title: product.title,
        option: variant?.title ?? null,
        reference: variant?.reference ?? '',
        barcode: legacy ? '' : null,
        price: net,
        tax: TAX_RATE,
        quantity,
        discount,
        subtotal: gross * quantity - discount,
        discount_percent: couponPercent,
        weight: product.weight,
        url: `${this.storefront}/product/${product.handle}`,
        description_short: `${product.title}: hand made in Portugal.`,
        image: product.images.length > 0 ? this.image(product.images[0] as string) : this.placeholder('jpg'),
      };
      if (!legacy) {
        Object.assign(line, {
          price_with_tax: gross,
          price_without_tax: net,
          subtotal_with_tax: gross * quantity - discount,
          subtotal_without_tax: net * quantity,
          origin_country: 'PRT',
          origin_country_alpha_2: 'PT',
          harmonized_code: null,
          type: 'physical',
          is_product: true,
        });
      }
      return line;
    });
    const subtotal = products.reduce((sum, line) => sum + Number(line.subtotal) + Number(line.discount), 0);
    const discount = products.reduce((sum, line) => sum + Number(line.discount), 0);
    const freeShipping = coupon?.type === 'shipping';
    const shippingValue = freeShipping ? 0 : draw.pick([0, 3.5, 4.9, 7.25]);
    const total = subtotal - discount + shippingValue;
    const productTax = ((subtotal - discount) * TAX_RATE) / (100 + TAX_RATE);
    const [method, gateway, methodTitle] = draw.pick(PAYMENT_METHODS);
    const hash = createHash('sha1').update(`order:${this.seed}:${i}`).digest('hex');
    const carrier = shipped ? draw.pick(SHOPKIT_CARRIER_ALIASES) : '';
    const methodId = 480 + (i % 20);
    const address = legacy ? withoutKey(client.address, 'country_code_alpha_2') : client.address;
    const billingSame = i % 3 !== 0;
    return {
      id: SHOPKIT_ID_BASE.order + i,
      hash,
      total,
      subtotal,
      product_tax: productTax,
      total_tax: productTax,
      discount,
      shipping: {
        value: shippingValue,
        tax: 0,
        tax_percent: legacy ? null : '',
        discount: freeShipping ? 4.9 : 0,
        discount_percent: freeShipping ? 100 : 0,
      },
      created_at: localIso(created),
      update_at: localIso(updated),
      sent_at: sentAt === null ? null : localIso(sentAt),
      paid_at: paidAt === null ? null : localIso(paidAt),
      currency: 'EUR',
      payment: legacy
        ? { type: method, data: {}, description: methodTitle }
        : {
            data: method === 'multibanco' ? { entity: 88888, reference: 100_000_000 + i, value: total } : {},
            value: 0,
            tax: 0,
            tax_percent: '',
            title: methodTitle,
            method,
            type: method,
            gateway,
          },
      status: statusCode,
      status_alias: status,
      status_description: STATUS_LABELS[status],
      paid,
      is_new: i % 13 === 0,
      wholesale: client.kind === 'wholesale',
      invoice_url: paid ? `https://invoices.example.test/${hash}` : '',
      weight: products.reduce((sum, line) => sum + Number(line.weight) * Number(line.quantity), 0),
      observations: '',
      note: '',
      client_note: i % 9 === 0 ? 'Entregar depois das 18h' : '',
      custom_field: '',
      tracking_code: shipped ? `RR${String(100_000_000 + i)}PT` : '',
      tracking_carrier: carrier,
      // `""` rather than null when there is no tracking.
      tracking_created_at: sentAt === null ? '' : localIso(sentAt),
      tracking_url: shipped ? `https://tracking.example.test/${carrier}/${i}` : '',
      expected_arrival_from: null,
      expected_arrival_until: null,
      shipping_url: '',
      at_code: '',
      tax_exemption: null,
      tax_settings: null,
      billing_info_same_delivery: billingSame ? '1' : '0',
      is_digital: false,
      coupon: coupon === null ? null : { code: coupon.code, type: coupon.type, value: coupon.value },
      shipment_method: 'Transportadora',
      // A string in API responses (the webhook sends a number).
      shipment_method_id: legacy ? undefined : String(methodId),
      shipment_type: null,
      tracking_status: { event_alias: null, event_description: null },
      permalink: `${this.storefront}/order/${hash}`,
      client: {
        ...(legacy ? {} : { hash: client.hash }),
        name: client.name,
        email: client.email,
        company: null,
        fiscal_id: legacy ? null : '999999990',
        is_registered: client.kind !== 'guest' && !this.isGuestBuyer(refs.clientIndex),
        picture: null,
        delivery: address,
        billing: { ...address, ...(legacy ? {} : { same_as_delivery: billingSame }) },
      },
      tags:
        i % 8 === 0
          ? [{ id: 16_461, title: 'Revenda', handle: 'revenda', total_items: 1, created_at: localIso(created) }]
          : [],
      l10n: { tax_id_abbr: 'NIF/NIPC/VAT ID', tax_name: 'IVA' },
      products_count: products.length,
      products_quantity: products.reduce((sum, line) => sum + Number(line.quantity), 0),
      products,
    };
  }

  // -------------------------------------------------------------------------------------------

  private catalogueDate(kind: number, i: number): number {
    const draw = new Draw(this.seed, kind, i + 0x30000);
    return Math.floor(this.nowMs - CATALOGUE_SPAN_MS + draw.float() * (CATALOGUE_SPAN_MS - ORDER_SPAN_MS));
  }

  private image(name: string): WireObject {
    const base = `https://cdn.shopk.it/usercontent/${this.username}/media/images`;
    const file = `${md5(`${this.seed}:${name}`).slice(0, 7)}-${name}.jpg`;
    return { thumb: `${base}/thumb/${file}`, square: `${base}/square/${file}`, full: `${base}/${file}` };
  }

  private placeholder(ext: 'jpg' | 'png'): WireObject {
    const url = `https://${this.username}.shopk.it/assets/store/img/no-img.${ext}`;
    return { thumb: url, square: url, full: url };
  }
}

/**
 * `YYYY-MM-DDTHH:MM:SS±HH:MM` in Lisbon-like local time: +01:00 from April to October, +00:00
 * otherwise (a month-level approximation of daylight saving, enough to vary offsets like Shopkit).
 */
export function localIso(ms: number): string {
  const month = new Date(ms).getUTCMonth();
  const offsetHours = month >= 3 && month <= 9 ? 1 : 0;
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
  return `${local}+0${offsetHours}:00`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function md5(value: string): string {
  return createHash('md5').update(value).digest('hex');
}

function slug(value: string): string {
  return asciiFold(value)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function asciiFold(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function euros(value: number): string {
  return `${value.toFixed(2).replace('.', ',')} €`;
}

/** Eight lowercase letters like `bajevolp`; the last two spell the index, so codes never collide. */
function couponCode(draw: Draw, i: number): string {
  const random = Array.from({ length: 6 }, () => String.fromCharCode(97 + draw.int(0, 25))).join('');
  return random + String.fromCharCode(97 + (Math.floor(i / 26) % 26), 97 + (i % 26));
}

/** A syntactically valid EAN-13 derived from an id. */
function ean13(value: number): string {
  const body = `560${String(value).padStart(9, '0').slice(-9)}`;
  const sum = [...body].reduce((acc, digit, k) => acc + Number(digit) * (k % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function withoutKey(object: WireObject, key: string): WireObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}
