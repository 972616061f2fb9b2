import type { ShopimindCustomer } from '../shopimind/schemas';

/**
 * What orders and newsletter rows need to know about an already-mapped customer (`ctx.customers`,
 * docs/mapping-decisions.md#mapping-inputs).
 */
export interface KnownCustomer {
  created_at: string;
  lang: string;
}

/** Looks a customer up by `customer_id`; `undefined` means unknown (the documented fallbacks apply). */
export type CustomerLookup = (customerId: string) => KnownCustomer | undefined;

/** A lookup over customers mapped earlier in the run or remembered by the connector. */
export function customerLookupOf(customers: Iterable<Pick<ShopimindCustomer, 'customer_id' | 'created_at' | 'lang'>>) {
  const byId = new Map<string, KnownCustomer>();
  for (const customer of customers) {
    byId.set(customer.customer_id, { created_at: customer.created_at, lang: customer.lang });
  }
  return (customerId: string): KnownCustomer | undefined => byId.get(customerId);
}
