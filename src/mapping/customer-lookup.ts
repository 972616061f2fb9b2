import type { ShopimindCustomer } from '../shopimind/schemas';
import type { ShopkitOrder } from '../shopkit/schemas';

/**
 * What orders and newsletter rows need to know about an already-mapped customer (`ctx.customers`,
 * docs/mapping-decisions.md#mapping-inputs).
 */
export interface KnownCustomer {
  created_at: string;
  lang: string;
  /**
   * Set for a buyer Shopkit knows only from orders (no client record) whose row ShopiMind does not hold
   * yet: every order Shopkit has for it. Its row is synthesised from all of them (D28), so any page or
   * batch that meets the buyer writes the same row.
   */
  ordersOfGuest?: readonly ShopkitOrder[];
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
