import {
  flattenCategories,
  mapCategories,
  mapManufacturers,
  mapProductImages,
  mapProducts,
  mapProductVariations,
} from '../../src/mapping';
import { ShopkitCategorySchema } from '../../src/shopkit/schemas';
import { brand, category14535, ctx, PLACEHOLDER_IMAGE, product212322, productOption } from './mapping-fixtures';

describe('categories', () => {
  it('maps a standalone category with entity-decoded name, HTML description and UTC dates', () => {
    const { items, rejected } = mapCategories([category14535()], ctx);
    expect(rejected).toEqual([]);
    expect(items[0]).toEqual({
      category_id: 14535,
      lang: 'pt',
      name: 'Decoração',
      description: '<p>Cum sociis</p>',
      parent_category_id: null,
      link: 'https://parallax.shopk.it/category/decoracao',
      is_active: true,
      created_at: '2019-10-02T16:03:56.000Z',
      updated_at: '2019-10-02T16:11:08.000Z',
      id_data_source: 42,
    });
  });

  it('flattens nested children with their own parent and flag, seed dates and a built link', () => {
    const [, child] = mapCategories([category14535()], ctx).items;
    expect(child).toEqual(
      expect.objectContaining({
        category_id: 167757,
        parent_category_id: 14535,
        is_active: false,
        link: 'https://parallax.shopk.it/category/decoracao-sala',
        created_at: ctx.seedTimestamp,
        updated_at: ctx.seedTimestamp,
      }),
    );
  });

  it('prefers the standalone copy of a category over a nested one and keeps each id once', () => {
    const standaloneChild = ShopkitCategorySchema.parse({
      id: 167757,
      title: 'Sala',
      parent: 14535,
      handle: 'decoracao-sala',
      permalink: 'https://parallax.shopk.it/category/sala',
      created_at: '2020-01-01T00:00:00+00:00',
      updated_at: '',
    });
    const flat = flattenCategories([category14535(), standaloneChild, category14535()]);
    expect(flat.map((c) => c.id)).toEqual([14535, 167757]);
    const child = mapCategories([category14535(), standaloneChild], ctx).items[1];
    expect(child?.link).toBe('https://parallax.shopk.it/category/sala');
    expect(child?.created_at).toBe('2020-01-01T00:00:00.000Z');
    expect(child?.updated_at).toBe('2020-01-01T00:00:00.000Z');
  });

  it('rejects a category whose link cannot be a URL', () => {
    const { items, rejected } = mapCategories([category14535({ permalink: '', url: '', children: [] })], {
      ...ctx,
      storeUrl: '',
    });
    expect(items).toEqual([]);
    expect(rejected).toEqual([{ sourceId: '14535', reasons: ['link: must be an http(s) URL'] }]);
  });
});

describe('manufacturers', () => {
  it('maps a brand with string id, decoded name and created_at as updated_at fallback', () => {
    expect(mapManufacturers([brand()], ctx)).toEqual({
      items: [
        {
          manufacturer_id: '77',
          name: 'Barro & Vivo',
          is_active: true,
          created_at: '2022-04-08T09:00:00.000Z',
          updated_at: '2022-04-08T09:00:00.000Z',
          id_data_source: 42,
        },
      ],
      rejected: [],
    });
  });

  it('rejects a brand without any date', () => {
    expect(mapManufacturers([brand({ created_at: '', updated_at: null })], ctx)).toEqual({
      items: [],
      rejected: [{ sourceId: '77', reasons: ['brand has no created_at'] }],
    });
  });
});

describe('products', () => {
  it('maps product 212322 as in Appendix A', () => {
    const { items, rejected } = mapProducts([product212322()], ctx);
    expect(rejected).toEqual([]);
    expect(items[0]).toEqual({
      product_id: 212322,
      lang: 'pt',
      name: 'Rustic Spice Bowl Set',
      reference: null,
      ean13: null,
      description: '<p>This set of four rustic, pinch pots&nbsp;<br /></p>',
      description_short: 'This set of four rustic, pinch pots have been hand formed by me from textured, earthy…',
      link: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
      image_link: 'https://cdn.shopk.it/usercontent/parallax/media/images/da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg',
      category_ids: [44355],
      manufacturer_id: null,
      currency: 'EUR',
      price: 40.73,
      price_discount: null,
      quantity_remaining: 382,
      is_active: true,
      created_at: '2020-11-27T15:36:57.000Z',
      updated_at: '2020-11-27T15:36:57.000Z',
      id_data_source: 42,
    });
  });

  it('applies the stock rules: untracked, inactive options, negatives, out of stock, no options (D19)', () => {
    const stock = (patch: object) => mapProducts([product212322(patch)], ctx).items[0]?.quantity_remaining;
    expect(stock({ stock: { stock_enabled: false } })).toBe(999);
    expect(
      stock({
        options: [
          productOption(1, 'A', 10, 5),
          productOption(2, 'B', 10, -3),
          productOption(3, 'C', 10, 50, { active: false }),
        ],
      }),
    ).toBe(5);
    expect(stock({ status: 3, status_alias: 'out_of_stock' })).toBe(0);
    expect(stock({ options: [], stock: { stock_enabled: true, stock_qty: -2 } })).toBe(0);
    expect(stock({ options: [], stock: { stock_enabled: true, stock_qty: '7' } })).toBe(7);
  });

  it('sets is_active, price and promo price per D17/D20', () => {
    const map = (patch: object) => mapProducts([product212322(patch)], ctx).items[0];
    expect(map({ status: 2, status_alias: 'hidden' })?.is_active).toBe(false);
    expect(map({ wholesale_exclusive: true })?.is_active).toBe(false);
    expect(map({ price_on_request: true, promo: true, price_promo: 1 })).toEqual(
      expect.objectContaining({ is_active: false, price: 0, price_discount: null }),
    );
    expect(map({ promo: true, price_promo: '30.005' })?.price_discount).toBe(30.01);
    expect(map({ promo: true, price_promo: 50 })?.price_discount).toBeNull();
    expect(map({ promo: false, price_promo: 30 })?.price_discount).toBeNull();
  });

  it('maps barcode, brand, categories, images and short description fallbacks', () => {
    const product = mapProducts(
      [
        product212322({
          barcode: '012345678905',
          reference: ' SKU-1 ',
          brand: 9,
          categories: [
            { id: 1, parent: 0, title: 'A', image: [] },
            { id: '2', parent: 1, title: 'B', image: [] },
            { id: 1, parent: 0, title: 'A', image: [] },
          ],
          image: PLACEHOLDER_IMAGE,
          description: null,
          description_short: '',
          excerpt: 'Plain &amp; simple',
        }),
      ],
      ctx,
    ).items[0];
    expect(product).toEqual(
      expect.objectContaining({
        ean13: '0012345678905',
        reference: 'SKU-1',
        manufacturer_id: '9',
        category_ids: [1, 2],
        image_link: null,
        description: '',
        description_short: 'Plain & simple',
      }),
    );
    expect(mapProducts([product212322({ barcode: '978-3-16-148410-0' })], ctx).items[0]?.ean13).toBeNull();
    expect(mapProducts([product212322({ barcode: '4006381333931' })], ctx).items[0]?.ean13).toBe('4006381333931');
  });

  it('rejects products without a usable link or date', () => {
    const { items, rejected } = mapProducts(
      [product212322({ permalink: '', url: '' }), product212322({ id: 5, created_at: null, updated_at: '' })],
      ctx,
    );
    expect(items).toEqual([]);
    expect(rejected).toEqual([
      { sourceId: '212322', reasons: ['link: must be an http(s) URL'] },
      { sourceId: '5', reasons: ['product has no created_at'] },
    ]);
  });
});

describe('product variations', () => {
  it('pushes active options with string product id; the first is the default (Appendix A)', () => {
    const { items, rejected } = mapProductVariations([product212322()], ctx);
    expect(rejected).toEqual([]);
    expect(items.map((v) => [v.variation_id, v.is_default, v.quantity_remaining])).toEqual([
      [363364, true, 88],
      [363365, false, 94],
      [363366, false, 100],
      [363367, false, 100],
    ]);
    expect(items[2]).toEqual({
      product_id: '212322',
      variation_id: 363366,
      name: 'Big bowl / White',
      lang: 'pt',
      reference: null,
      ean13: null,
      link: 'https://parallax.shopk.it/product/rustic-spice-bowl-set?option=363366',
      image_link: 'https://cdn.shopk.it/usercontent/parallax/media/images/da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg',
      price: 45.73,
      price_discount: null,
      quantity_remaining: 100,
      is_default: false,
      id_data_source: 42,
    });
  });

  it('skips inactive options, falls back to product link and image, applies product stock rules', () => {
    const { items } = mapProductVariations(
      [
        product212322({
          stock: { stock_enabled: false },
          options: [
            productOption(1, 'Off', 10, 5, { active: false }),
            productOption(2, 'Azul &amp; Branco', '12.5', 5, {
              url: '',
              image: PLACEHOLDER_IMAGE,
              promo: true,
              price_promo: 9.999,
            }),
            productOption(3, 'On request', 10, 5, { price_on_request: true, barcode: '4006381333931' }),
          ],
        }),
      ],
      ctx,
    );
    expect(items).toEqual([
      expect.objectContaining({
        variation_id: 2,
        name: 'Azul & Branco',
        is_default: true,
        link: 'https://parallax.shopk.it/product/rustic-spice-bowl-set',
        image_link:
          'https://cdn.shopk.it/usercontent/parallax/media/images/da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg',
        price: 12.5,
        price_discount: 10,
        quantity_remaining: 999,
      }),
      expect.objectContaining({
        variation_id: 3,
        is_default: false,
        price: 0,
        price_discount: null,
        ean13: '4006381333931',
      }),
    ]);
  });

  it('gives no rows for products without options and rejects a variation without any link', () => {
    expect(mapProductVariations([product212322({ options: [] })], ctx)).toEqual({ items: [], rejected: [] });
    const { items, rejected } = mapProductVariations(
      [
        product212322({
          permalink: '',
          url: '',
          options: [productOption(1, 'A', 1, 1, { url: '' }), productOption(2, 'B', 1, 1)],
        }),
      ],
      ctx,
    );
    expect(items.map((v) => v.variation_id)).toEqual([2]);
    expect(rejected).toEqual([{ sourceId: '212322/1', reasons: ['link: must be an http(s) URL'] }]);
  });
});

describe('product images', () => {
  it('emits the featured image as default plus the 3 gallery images (Appendix A)', () => {
    const { items, rejected } = mapProductImages([product212322()], ctx);
    expect(rejected).toEqual([]);
    expect(items.map((i) => [i.image_id, i.is_default, i.variation_id])).toEqual([
      ['da84db6-472c46da6a786edb5b67cf338c2b9c58', true, null],
      ['f519f86-17d23f7b534bf365580989363da328d2', false, null],
      ['0bb2c71-7d2fe8d66dd9925ac72a3112d691f352', false, null],
      ['717897d-ff2216454ebbf8ca2727335ecacbc472', false, null],
    ]);
    expect(items[0]).toEqual({
      product_id: '212322',
      image_id: 'da84db6-472c46da6a786edb5b67cf338c2b9c58',
      lang: 'pt',
      variation_id: null,
      url: 'https://cdn.shopk.it/usercontent/parallax/media/images/da84db6-472c46da6a786edb5b67cf338c2b9c58.jpg',
      is_default: true,
      id_data_source: 42,
    });
  });

  it('skips placeholders, links option-only images, falls back in size and rejects non-HTTPS URLs', () => {
    const optionImage = { thumb: '', square: 'https://cdn.shopk.it/x/square/opt-1.png?v=2', full: '' };
    const { items, rejected } = mapProductImages(
      [
        product212322({
          image: PLACEHOLDER_IMAGE,
          images: [
            { thumb: '', square: '', full: 'https://cdn.shopk.it/a/gal-1.jpg' },
            { thumb: '', square: '', full: 'http://cdn.shopk.it/a/gal-2.jpg' },
          ],
          options: [productOption(7, 'A', 1, 1, { image: optionImage }), productOption(8, 'B', 1, 1, { image: [] })],
        }),
      ],
      ctx,
    );
    expect(items.map((i) => [i.image_id, i.is_default, i.variation_id, i.url])).toEqual([
      ['gal-1', true, null, 'https://cdn.shopk.it/a/gal-1.jpg'],
      ['opt-1', false, 7, 'https://cdn.shopk.it/x/square/opt-1.png?v=2'],
    ]);
    expect(rejected).toEqual([{ sourceId: '212322/gal-2', reasons: ['url: must be an HTTPS URL'] }]);
  });
});
