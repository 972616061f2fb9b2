import {
  catalogEntryFromRecord,
  catalogEntryOf,
  customerIdOf,
  mapCustomers,
  mapOrderCustomers,
  normaliseEmail,
  type CatalogLookup,
  type CatalogProduct,
  type CustomerLookup,
  type KnownCustomer,
  type MappingContext,
} from '../../mapping';
import type { ShopimindClient } from '../../shopimind';
import type { ShopkitClient, ShopkitOrder, ShopkitProduct } from '../../shopkit';
import type { MappingSettings } from '../../contracts/import';
import type { TargetBatch } from '../shopimind-writer';
import { mappingContextOf } from './page-readers';

const LOOKUP_CHUNK = 50;
/** Entries kept per store and kind; older ones are evicted (and found in ShopiMind again if needed). */
const MAX_ENTRIES = 50_000;

/**
 * What order pages need to know about products and customers: per product its catalogue entry
 * ({@link catalogEntryOf}: brand and active options, to find a line's variation) and per buyer the
 * creation date and language of the customer its Shopkit client maps to. There is one derivation per
 * fact, whatever the source: this worker's memory, the connector's records in ShopiMind (the catalog
 * index, the customers pushed from clients) or Shopkit itself. Memory is only a cache of that answer:
 * one instance serves one import run of one store ({@link ImportMemories}) or one sync call, and it holds
 * only what ShopiMind accepted, so what a page writes never depends on which worker ran it or what that
 * worker saw before: a miss costs ShopiMind lookups (50 ids a request), then Shopkit reads of products
 * by id (50 a request) and, for a buyer without a client record, one search of its orders.
 */
export class StoreMemory {
  private readonly catalogs = new Map<string, Map<number, CatalogProduct | null>>();
  private readonly customers = new Map<string, Map<string, KnownCustomer>>();
  private readonly guestSearches = new Map<string, Promise<ShopkitOrder[]>>();

  rememberProducts(storeId: string, products: readonly ShopkitProduct[]): void {
    const catalog = this.catalogOf(storeId);
    for (const product of products) bounded(catalog).set(product.id, catalogEntryOf(product));
  }

  rememberCustomers(storeId: string, customers: readonly KnownCustomerRow[]): void {
    const known = this.customersOf(storeId);
    // The latest accepted write is what ShopiMind holds: it replaces what was remembered before.
    for (const customer of customers) {
      known.delete(customer.customer_id);
      bounded(known).set(customer.customer_id, { created_at: customer.created_at, lang: customer.lang });
    }
  }

  /**
   * Remembers what a written page holds in ShopiMind: its products' catalogue entries and its customers,
   * leaving out every record ShopiMind (or the writer's validation) rejected, so a later lookup here
   * answers what a lookup in ShopiMind would.
   */
  rememberWritten(storeId: string, page: WrittenPage): void {
    const rejected = new Set(page.rejected.map((reject) => `${reject.target}\n${reject.sourceId}`));
    const refused = (target: string, owner: string) => rejected.has(`${target}\n${owner}`);
    this.rememberProducts(
      storeId,
      page.products.filter((product) => !PRODUCT_TARGETS.some((target) => refused(target, String(product.id)))),
    );
    for (const batch of page.batches) {
      if (batch.target !== 'customers') continue;
      const accepted = batch.items.filter((_, i) => !refused('customers', batch.owners[i] ?? ''));
      this.rememberCustomers(storeId, accepted as KnownCustomerRow[]);
    }
  }

  /**
   * Lookups covering every product and customer the orders reference. `buyersFrom` says where a buyer
   * ShopiMind does not know is looked for: during an import the customers stage has already pushed
   * every Shopkit client, so it is not a client (`'shopimind'`); the sync may meet a client created
   * since, and asks Shopkit for it (`'shopkit'`). A buyer still unknown has no client record: the lookup
   * gives it with all its orders (`ordersOfGuest`), from which its row is synthesised.
   */
  async orderLookups(
    storeId: string,
    orders: readonly ShopkitOrder[],
    api: { shopkit: ShopkitClient; shopimind: ShopimindClient },
    mapping: MappingSettings,
    buyersFrom: 'shopimind' | 'shopkit',
    reserve?: ShopkitReservation,
  ): Promise<{ catalog: CatalogLookup; customers: CustomerLookup }> {
    await this.fillCatalog(storeId, orders, api, mapping.catalogDefinitionId);
    await this.fillCustomers(storeId, orders, api, buyersFrom === 'shopkit', mappingContextOf(mapping), reserve);
    const catalog = this.catalogOf(storeId);
    const known = this.customersOf(storeId);
    return {
      catalog: (productId) => catalog.get(productId) ?? undefined,
      customers: (customerId) => known.get(customerId),
    };
  }

  private async fillCatalog(
    storeId: string,
    orders: readonly ShopkitOrder[],
    { shopkit, shopimind }: { shopkit: ShopkitClient; shopimind: ShopimindClient },
    catalogDefinitionId: number | null,
  ): Promise<void> {
    const catalog = this.catalogOf(storeId);
    const lineProducts = orders.flatMap((order) =>
      order.products.filter((line) => line.is_product).map((line) => line.id),
    );
    const unknown = () => [...new Set(lineProducts)].filter((id) => !catalog.has(id));
    if (catalogDefinitionId !== null) {
      for (const [productId, entry] of await indexedCatalog(shopimind, catalogDefinitionId, unknown())) {
        bounded(catalog).set(productId, entry);
      }
    }
    for (const chunk of chunks(unknown(), LOOKUP_CHUNK)) {
      const { items } = await shopkit.getProducts(chunk);
      this.rememberProducts(storeId, items);
      // Products Shopkit no longer has are remembered as absent so they are not asked for again.
      for (const id of chunk) if (!catalog.has(id)) bounded(catalog).set(id, null);
    }
  }

  private async fillCustomers(
    storeId: string,
    orders: readonly ShopkitOrder[],
    { shopkit, shopimind }: { shopkit: ShopkitClient; shopimind: ShopimindClient },
    askShopkit: boolean,
    ctx: MappingContext,
    reserve: ShopkitReservation | undefined,
  ): Promise<void> {
    const known = this.customersOf(storeId);
    const emails = new Map<string, string>();
    for (const order of orders) {
      const email = normaliseEmail(order.client.email);
      if (email) emails.set(customerIdOf(email), email);
    }
    const unknown = () => [...emails.keys()].filter((id) => !known.has(id));
    for (const chunk of chunks(unknown(), LOOKUP_CHUNK)) {
      const response = await shopimind.list('customers', {
        limit: LOOKUP_CHUNK,
        fields: ['customer_id', 'created_at', 'lang'],
        filters: [{ field: 'customer_id', operator: 'IN', values: chunk.join(',') }],
      });
      this.rememberCustomers(
        storeId,
        response.data.flatMap((row) =>
          typeof row.customer_id === 'string' && typeof row.created_at === 'string' && typeof row.lang === 'string'
            ? [{ customer_id: row.customer_id, created_at: row.created_at, lang: row.lang }]
            : [],
        ),
      );
    }
    if (askShopkit) {
      // A buyer ShopiMind does not know may be a client created since (D28). Shopkit has no lookup of many
      // clients (docs/shopkit-api-notes.md#read-routes): one read per such buyer, known the way the
      // customers page would have pushed it.
      for (const customerId of unknown()) {
        const client = await shopkit.getClientByHash(customerId);
        const [customer] = client ? mapCustomers([client], ctx).items : [];
        if (customer) bounded(known).set(customerId, { created_at: customer.created_at, lang: customer.lang });
      }
    }
    // The rest have no client record: each is synthesised from every order Shopkit has for it (D28).
    const guests = unknown();
    const searches = guests.filter((id) => !this.guestSearches.has(guestKey(storeId, id))).length;
    const spacing = reserve && searches > 0 ? await reserve(searches) : undefined;
    for (const customerId of guests) {
      const email = emails.get(customerId) as string;
      const ordersOfGuest = await this.guestOrders(storeId, shopkit, customerId, email, spacing);
      const [row] = mapOrderCustomers(ordersOfGuest, ctx).items;
      if (row) bounded(known).set(customerId, { created_at: row.created_at, lang: row.lang, ordersOfGuest });
    }
  }

  /**
   * Every order Shopkit has for a buyer without a client record: one search (Shopkit has no search for
   * many buyers), shared by the pages in flight on this worker and kept until the buyer's row is accepted.
   * A search this page starts waits for its reserved slot (`spacing`), when it has one.
   */
  private guestOrders(
    storeId: string,
    shopkit: ShopkitClient,
    customerId: string,
    email: string,
    spacing: (() => Promise<void>) | undefined,
  ) {
    const key = guestKey(storeId, customerId);
    let search = this.guestSearches.get(key);
    if (!search) {
      search = spacing ? spacing().then(() => ordersOf(shopkit, email)) : ordersOf(shopkit, email);
      bounded(this.guestSearches).set(key, search);
      // A failed search is not kept: the page's retry searches again.
      search.catch(() => this.guestSearches.delete(key));
    }
    return search;
  }

  private catalogOf(storeId: string): Map<number, CatalogProduct | null> {
    let catalog = this.catalogs.get(storeId);
    if (!catalog) this.catalogs.set(storeId, (catalog = new Map<number, CatalogProduct | null>()));
    return catalog;
  }

  private customersOf(storeId: string): Map<string, KnownCustomer> {
    let known = this.customers.get(storeId);
    if (!known) this.customers.set(storeId, (known = new Map<string, KnownCustomer>()));
    return known;
  }
}

/**
 * Reserves Shopkit calls in the store's schedule before an activity makes them (its workflow is the
 * schedule's owner), and returns the gate each of them awaits: their slots, one quota interval apart.
 */
export type ShopkitReservation = (calls: number) => Promise<() => Promise<void>>;

const guestKey = (storeId: string, customerId: string) => `${storeId}\n${customerId}`;

/** A customer row as written to ShopiMind, as far as order lookups read it. */
type KnownCustomerRow = { customer_id: string } & KnownCustomer;

/** Targets a product page writes for one product; a reject of any of them leaves the product unremembered. */
const PRODUCT_TARGETS = ['products', 'productVariations', 'productImages', 'catalogIndex'];

/** A page after its write: what it read and mapped, and what was refused (`sourceId` = the item's owner). */
export interface WrittenPage {
  products: readonly ShopkitProduct[];
  batches: readonly TargetBatch[];
  rejected: readonly { target: string; sourceId: string }[];
}

/**
 * A worker's import memories: one {@link StoreMemory} per store, for its current import run only. A new
 * run (a re-import, a replay, a continued run) starts from an empty memory, so nothing an earlier run
 * saw, or wrote and was later changed, can answer for it.
 */
export class ImportMemories {
  private readonly stores = new Map<string, { run: string; memory: StoreMemory }>();

  of(storeId: string, run: string): StoreMemory {
    const current = this.stores.get(storeId);
    if (current?.run === run) return current.memory;
    const memory = new StoreMemory();
    this.stores.set(storeId, { run, memory });
    return memory;
  }
}

/** The catalogue entries the connector's index in ShopiMind holds for these products (50 ids a request). */
export async function indexedCatalog(
  shopimind: ShopimindClient,
  catalogDefinitionId: number,
  productIds: readonly number[],
): Promise<Map<number, CatalogProduct>> {
  const found = new Map<number, CatalogProduct>();
  for (const chunk of chunks([...new Set(productIds)], LOOKUP_CHUNK)) {
    const { data } = await shopimind.listCustomDataRecords(catalogDefinitionId, {
      limit: LOOKUP_CHUNK,
      filters: [{ field: 'product_id', operator: 'IN', values: chunk.join(',') }],
    });
    for (const row of data) {
      const record = catalogEntryFromRecord(row);
      if (record) found.set(record.productId, record.entry);
    }
  }
  return found;
}

/** Pages of one buyer's orders read at most: a buyer with more is synthesised from the first 1,000 listed. */
const GUEST_SEARCH_PAGES = 20;

/** The orders Shopkit lists for one e-mail (`client_email`), those of other buyers left out in case it is ignored. */
async function ordersOf(shopkit: ShopkitClient, email: string): Promise<ShopkitOrder[]> {
  const orders: ShopkitOrder[] = [];
  for await (const page of shopkit.pages('orders', { clientEmail: email })) {
    orders.push(...page.items.filter((order) => normaliseEmail(order.client.email) === email));
    if (page.page >= GUEST_SEARCH_PAGES) break;
  }
  return orders;
}

/** The map, with its oldest entry evicted when full, so memory does not grow with the store. */
function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  return map;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
