import { EntityCollection } from '../../src/sandbox/shopkit-entity-collection';
import { ShopkitStoreGenerator, SHOPKIT_ID_BASE } from '../../src/sandbox/store-generator';
import {
  SHOPKIT_ORDER_STATUSES,
  ShopkitBrandSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
  ShopkitStoreSchema,
} from '../../src/shopkit/schemas';

const sizes = { products: 40, clients: 30, orders: 150 };
const generator = new ShopkitStoreGenerator({ seed: 42, sizes });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('ShopkitStoreGenerator', () => {
  it('is deterministic: same seed, same store; another seed, another store', () => {
    const again = new ShopkitStoreGenerator({ seed: 42, sizes });
    const other = new ShopkitStoreGenerator({ seed: 43, sizes });
    const dump = (g: ShopkitStoreGenerator) =>
      JSON.stringify([
        g.store(),
        range(40).map((i) => g.product(i)),
        range(30).map((i) => g.client(i)),
        range(150).map((i) => g.order(i)),
      ]);
    expect(dump(again)).toBe(dump(generator));
    expect(dump(other)).not.toBe(dump(generator));
  });

  it('computes entity i on its own, whatever was generated before', () => {
    const fresh = new ShopkitStoreGenerator({ seed: 42, sizes });
    expect(JSON.stringify(fresh.order(149))).toBe(JSON.stringify(generator.order(149)));
  });

  it('emits payloads every schema accepts', () => {
    expect(ShopkitStoreSchema.safeParse(generator.store()).success).toBe(true);
    const failures = [
      ...range(sizes.products).map((i) => ShopkitProductSchema.safeParse(generator.product(i))),
      ...range(generator.sizes.categories).map((i) => ShopkitCategorySchema.safeParse(generator.category(i))),
      ...range(generator.sizes.brands).map((i) => ShopkitBrandSchema.safeParse(generator.brand(i))),
      ...range(sizes.clients).map((i) => ShopkitClientSchema.safeParse(generator.client(i))),
      ...range(sizes.orders).map((i) => ShopkitOrderSchema.safeParse(generator.order(i))),
      ...range(generator.sizes.coupons).map((i) => ShopkitCouponSchema.safeParse(generator.coupon(i))),
    ].filter((result) => !result.success);
    expect(failures).toEqual([]);
  });

  it('reproduces the documented quirks', () => {
    const orders = range(sizes.orders).map((i) => generator.order(i));
    const products = range(sizes.products).map((i) => generator.product(i));
    const clients = range(sizes.clients).map((i) => generator.client(i));
    expect(orders.every((o) => 'update_at' in o && !('updated_at' in o))).toBe(true);
    expect(orders.some((o) => typeof o.shipment_method_id === 'string')).toBe(true);
    expect(orders.some((o) => o.tracking_created_at === '')).toBe(true);
    expect(orders.some((o) => (o.client as { hash?: string }).hash === undefined)).toBe(true);
    expect(products.some((p) => String(p.created_at).endsWith(':0'))).toBe(true);
    expect(products.some((p) => typeof (p.options as { id: unknown }[])[0]?.id === 'string')).toBe(true);
    expect(products.some((p) => p.video_embed_url === false)).toBe(true);
    expect(products.some((p) => typeof p.brand === 'number')).toBe(true);
    expect(clients.every((c) => typeof c.created_at === 'number')).toBe(true);
    expect(clients.some((c) => c.tags === null)).toBe(true);
    expect(clients.some((c) => typeof (c.delivery as { address_extra: unknown }).address_extra === 'number')).toBe(
      true,
    );
  });

  it('covers every order status and every client kind', () => {
    const statuses = new Set(range(sizes.orders).map((i) => generator.order(i).status_alias));
    expect([...statuses].sort()).toEqual([...SHOPKIT_ORDER_STATUSES].sort());
    const clients = range(sizes.clients).map((i) => ShopkitClientSchema.parse(generator.client(i)));
    expect(new Set(clients.map((c) => c.type))).toEqual(new Set(['guest', 'registered']));
    expect(clients.some((c) => c.wholesale === true)).toBe(true);
  });

  it('makes orders reference existing products, variants, coupons and, but for guest buyers, clients', () => {
    const products = new Map(
      range(sizes.products).map((i) => [SHOPKIT_ID_BASE.product + i, ShopkitProductSchema.parse(generator.product(i))]),
    );
    const clients = new Map(
      range(sizes.clients)
        .map((i) => ShopkitClientSchema.parse(generator.client(i)))
        .map((c) => [c.email, c]),
    );
    const coupons = new Set(range(generator.sizes.coupons).map((i) => generator.coupon(i).code));
    let variantLines = 0;
    for (const i of range(sizes.orders)) {
      const order = ShopkitOrderSchema.parse(generator.order(i));
      const client = clients.get(order.client.email);
      const guest = generator.isGuestBuyer(generator.orderReferences(i).clientIndex);
      expect({ order: i, recorded: client !== undefined }).toEqual({ order: i, recorded: !guest });
      if (order.client.hash !== null && client) expect(order.client.hash).toBe(client.hash);
      if (order.coupon) expect(coupons.has(order.coupon.code)).toBe(true);
      for (const line of order.products) {
        const product = products.get(line.id);
        expect(product?.title).toBe(line.title);
        if (line.option !== null) {
          variantLines++;
          const variant = product?.options.find((v) => v.title === line.option);
          expect(variant?.reference).toBe(line.reference);
        } else {
          expect(product?.options).toEqual([]);
        }
      }
    }
    expect(variantLines).toBeGreaterThan(0);
  });

  it('gives some buyers, with and without a client record, orders on several list pages', () => {
    const pagesOf = new Map<string, Set<number>>();
    for (const i of range(sizes.orders)) {
      const email = String((generator.order(i).client as { email: string }).email);
      pagesOf.set(email, (pagesOf.get(email) ?? new Set()).add(Math.floor(i / 50)));
    }
    const recorded = new Set(range(sizes.clients).map((j) => String(generator.client(j).email)));
    const spread = [...pagesOf].filter(([, pages]) => pages.size > 1).map(([email]) => email);
    expect(spread.some((email) => recorded.has(email))).toBe(true);
    const guests = [...pagesOf.keys()].filter((email) => !recorded.has(email));
    expect(guests).toHaveLength(generator.guestBuyers);
    expect(guests.every((email) => spread.includes(email))).toBe(true);
  });

  it('disables options after orders named them: later orders do not, and the product is updated since', () => {
    let namedBeforeDisabling = 0;
    for (const i of range(sizes.orders)) {
      const order = ShopkitOrderSchema.parse(generator.order(i));
      for (const line of order.products) {
        const index = line.id - SHOPKIT_ID_BASE.product;
        const product = ShopkitProductSchema.parse(generator.product(index));
        const option = product.options.find((o) => o.title === line.option);
        if (!option || option.active) continue;
        expect(Date.parse(order.created_at)).toBeLessThan(generator.optionsDisabledMs(index));
        expect(Date.parse(product.updated_at ?? '')).toBeGreaterThan(Date.parse(order.created_at));
        namedBeforeDisabling++;
      }
    }
    expect(namedBeforeDisabling).toBeGreaterThan(0);
  });

  it('creates orders in index order, so date windows map to index ranges', () => {
    const created = range(sizes.orders).map((i) => generator.orderCreatedMs(i));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const [from, to] = generator.orderIndexRange(created[10] as number, created[20] as number);
    expect([from, to]).toEqual([10, 21]);
  });

  it('builds a category tree whose parents exist', () => {
    const categories = range(generator.sizes.categories).map((i) => ShopkitCategorySchema.parse(generator.category(i)));
    const ids = new Set(categories.map((c) => c.id));
    expect(categories.some((c) => c.parent === 0)).toBe(true);
    expect(categories.filter((c) => c.parent !== 0).every((c) => ids.has(c.parent))).toBe(true);
  });
});

describe('EntityCollection overlay', () => {
  const collection = () => new EntityCollection(10, 100, (i) => ({ id: 100 + i, v: 'generated' }));
  const ids = (items: { id?: unknown }[]) => items.map((item) => item.id);

  it('pages past deletions and appends created entities', () => {
    const c = collection();
    c.remove(100);
    c.remove(103);
    c.remove(104);
    c.put({ id: c.reserveId().id, v: 'created' });
    c.put({ id: 105, v: 'updated' });
    expect(c.size).toBe(8);
    expect(ids(c.slice(0, 3))).toEqual([101, 102, 105]);
    expect(ids(c.slice(3, 10))).toEqual([106, 107, 108, 109, 110]);
    expect(c.get(105)).toEqual({ id: 105, v: 'updated' });
    expect(c.get(103)).toBeUndefined();
  });

  it('filters with a cache that a mutation invalidates', () => {
    const c = collection();
    const generate = jest.fn((item: { id?: unknown }) => Number(item.id) % 2 === 0);
    expect(ids(c.filter('even', generate))).toEqual([100, 102, 104, 106, 108]);
    c.filter('even', generate);
    expect(generate).toHaveBeenCalledTimes(10);
    c.remove(102);
    expect(ids(c.filter('even', generate))).toEqual([100, 104, 106, 108]);
  });
});
