import {
  catalogEntryOf,
  customerIdOf,
  normaliseEmail,
  type CatalogLookup,
  type CatalogProduct,
  type CustomerLookup,
  type KnownCustomer,
} from '../../mapping';
import type { ShopimindClient } from '../../shopimind';
import type { ShopkitClient, ShopkitCustomer, ShopkitOrder, ShopkitProduct } from '../../shopkit';

const LOOKUP_CHUNK = 50;

/**
 * What order pages need to know about products and customers pushed earlier: option titles (to
 * find a line's variation) and each customer's creation date and language. Kept per store in the
 * worker's memory as a cache only: a miss is filled from the source of truth (Shopkit products by
 * id, ShopiMind customers by id), so results do not depend on which worker ran which page or on a
 * restart in between.
 */
export class StoreMemory {
  private readonly catalogs = new Map<string, Map<number, CatalogProduct | null>>();
  private readonly customers = new Map<string, Map<string, KnownCustomer>>();

  rememberProducts(storeId: string, products: readonly ShopkitProduct[]): void {
    const catalog = this.catalogOf(storeId);
    for (const product of products) catalog.set(product.id, catalogEntryOf(product));
  }

  rememberCustomers(
    storeId: string,
    customers: readonly { customer_id: string; created_at: string; lang: string }[],
  ): void {
    const known = this.customersOf(storeId);
    for (const customer of customers) {
      if (!known.has(customer.customer_id)) {
        known.set(customer.customer_id, { created_at: customer.created_at, lang: customer.lang });
      }
    }
  }

  /** Lookups covering every product and customer the orders reference, fetching what the cache lacks. */
  async orderLookups(
    storeId: string,
    orders: readonly ShopkitOrder[],
    shopkit: ShopkitClient,
    shopimind: ShopimindClient,
    customerOf: (client: ShopkitCustomer) => KnownCustomer | undefined,
  ): Promise<{ catalog: CatalogLookup; customers: CustomerLookup }> {
    const catalog = this.catalogOf(storeId);
    const productIds = [
      ...new Set(orders.flatMap((order) => order.products.filter((l) => l.is_product).map((l) => l.id))),
    ];
    const missingProducts = productIds.filter((id) => !catalog.has(id));
    for (let i = 0; i < missingProducts.length; i += LOOKUP_CHUNK) {
      const chunk = missingProducts.slice(i, i + LOOKUP_CHUNK);
      const { items } = await shopkit.getProducts(chunk);
      this.rememberProducts(storeId, items);
      // Products Shopkit no longer has are remembered as absent so they are not asked for again.
      for (const id of chunk) if (!catalog.has(id)) catalog.set(id, null);
    }

    const known = this.customersOf(storeId);
    const customerIds = [
      ...new Set(
        orders.flatMap((order) => {
          const email = normaliseEmail(order.client.email);
          return email ? [customerIdOf(email)] : [];
        }),
      ),
    ];
    const missingCustomers = customerIds.filter((id) => !known.has(id));
    for (let i = 0; i < missingCustomers.length; i += LOOKUP_CHUNK) {
      const chunk = missingCustomers.slice(i, i + LOOKUP_CHUNK);
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
    // Whoever ShopiMind does not know yet is looked up in Shopkit (D28); only a 404 leaves a guest unknown.
    for (const customerId of missingCustomers.filter((id) => !known.has(id))) {
      const client = await shopkit.getClientByHash(customerId);
      const customer = client ? customerOf(client) : undefined;
      if (customer) known.set(customerId, customer);
    }
    return {
      catalog: (productId) => catalog.get(productId) ?? undefined,
      customers: (customerId) => known.get(customerId),
    };
  }

  private catalogOf(storeId: string): Map<number, CatalogProduct | null> {
    let catalog = this.catalogs.get(storeId);
    if (!catalog) this.catalogs.set(storeId, (catalog = new Map()));
    return catalog;
  }

  private customersOf(storeId: string): Map<string, KnownCustomer> {
    let known = this.customers.get(storeId);
    if (!known) this.customers.set(storeId, (known = new Map()));
    return known;
  }
}
