import { ShopimindCustomerSchema, type ShopimindCustomer } from '../shopimind/schemas';
import type { ShopkitAddress, ShopkitClient, ShopkitOrder } from '../shopkit/schemas';
import { countryOf } from './country';
import { customerGroupOf } from './customer-group-mapping';
import { clientSourceId, customerIdOf, normaliseEmail } from './customer-identity';
import type { CustomerLookup } from './customer-lookup';
import { langFromLocale } from './language';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { firstUsableName, splitName } from './person-name';
import { normalisePhone } from './phone';
import { latestIso, toCalendarDate, toUtcIso } from './timestamps';

export type CustomerContext = Pick<MappingConfig, 'defaultLang' | 'timezone' | 'dataSourceId'> & {
  /** Receipt time of the webhook being mapped; moves `updated_at` forward on real events (D27). */
  observedAt?: string;
};

/**
 * Customers from `GET /client` or client webhooks (docs/mapping-decisions.md#customers). Deleted clients are not
 * upserted (the connector deletes them, D31): they are skipped here, see {@link deletedCustomerIds}.
 */
export function mapCustomers(
  clients: readonly ShopkitClient[],
  ctx: CustomerContext,
): MappingResult<ShopimindCustomer> {
  return mapEach(
    clients.filter((client) => !client.is_deleted),
    {
      schema: ShopimindCustomerSchema,
      sourceId: clientSourceId,
      map: (client) => {
        const email = normaliseEmail(client.email) ?? reject('client e-mail is missing or invalid');
        const lastSeenAt = toUtcIso(client.last_seen_at, ctx.timezone);
        const createdAt =
          toUtcIso(client.created_at, ctx.timezone) ??
          lastSeenAt ??
          ctx.observedAt ??
          reject('client has no created_at');
        return {
          customer_id: customerIdOf(email),
          email,
          phone_number: phoneOf(client.delivery, client.billing),
          ...splitName(firstUsableName(client.name, client.delivery?.name, client.billing?.name)),
          birth_date: toCalendarDate(client.birthday),
          // One Shopkit flag feeds both ShopiMind consents; nothing else implies consent (D24).
          is_opt_in: client.accepts_marketing,
          is_newsletter_subscribed: client.accepts_marketing,
          lang: langFromLocale(client.locale, ctx.defaultLang),
          group_ids: [customerGroupOf(client.wholesale)],
          is_active: !client.is_banned,
          created_at: createdAt,
          updated_at: latestIso(lastSeenAt, createdAt, ctx.observedAt) ?? createdAt,
          id_data_source: ctx.dataSourceId,
        };
      },
    },
  );
}

/** `customer_id`s of clients flagged `is_deleted`, for the bulk delete (D31). */
export function deletedCustomerIds(clients: readonly ShopkitClient[]): string[] {
  return clients.flatMap((client) => {
    const email = client.is_deleted ? normaliseEmail(client.email) : null;
    return email ? [customerIdOf(email)] : [];
  });
}

export type OrderCustomerContext = Pick<MappingConfig, 'defaultLang' | 'timezone' | 'dataSourceId'> & {
  /** Customers the connector already knows; they are never overwritten by a synthesised row (D28). */
  customers?: CustomerLookup;
};

/**
 * Customers synthesised from `order.client` for buyers with no reachable client record (guests; D28): one row
 * per unknown e-mail, created at its earliest order, without consent and in the default language. A buyer the
 * lookup gives with all its orders (`ordersOfGuest`) gets its row from those, not from this batch alone.
 */
export function mapOrderCustomers(
  orders: readonly ShopkitOrder[],
  ctx: OrderCustomerContext,
): MappingResult<ShopimindCustomer> {
  // Oldest first, by (creation, id): which order's fields a row keeps never depends on the input order.
  const result = mapEach([...orders].sort(byCreationThenId), {
    schema: ShopimindCustomerSchema,
    sourceId: (order) => String(order.id),
    map: (order): ShopimindCustomer | [] => {
      const email = normaliseEmail(order.client.email) ?? reject('order client e-mail is missing or invalid');
      const customerId = customerIdOf(email);
      const known = ctx.customers?.(customerId);
      if (known?.ordersOfGuest) {
        const [complete] = mapOrderCustomers(known.ordersOfGuest, { ...ctx, customers: undefined }).items;
        if (complete) return complete;
      } else if (known) return [];
      const createdAt = toUtcIso(order.created_at, ctx.timezone) ?? reject('order has no created_at');
      return {
        customer_id: customerId,
        email,
        phone_number: phoneOf(order.client.delivery, order.client.billing),
        ...splitName(firstUsableName(order.client.name, order.client.delivery?.name, order.client.billing?.name)),
        birth_date: null,
        is_opt_in: false,
        is_newsletter_subscribed: false,
        lang: ctx.defaultLang,
        group_ids: [order.wholesale ? 'wholesale' : 'retail'],
        is_active: true,
        created_at: createdAt,
        updated_at: toUtcIso(order.updated_at, ctx.timezone) ?? createdAt,
        id_data_source: ctx.dataSourceId,
      };
    },
  });
  return { items: mergeByCustomer(result.items), rejected: result.rejected };
}

/** Orders by creation time, then id (D28's tie-break). */
function byCreationThenId(a: ShopkitOrder, b: ShopkitOrder): number {
  return (Date.parse(a.created_at) || 0) - (Date.parse(b.created_at) || 0) || a.id - b.id;
}

/**
 * One row per customer: the earliest creation, the latest update, the other fields of the newest order (of
 * two updated at the same time, the later in the input, which callers give oldest first).
 */
function mergeByCustomer(customers: readonly ShopimindCustomer[]): ShopimindCustomer[] {
  const merged = new Map<string, ShopimindCustomer>();
  for (const customer of customers) {
    const seen = merged.get(customer.customer_id);
    if (!seen) {
      merged.set(customer.customer_id, customer);
      continue;
    }
    const newer = Date.parse(customer.updated_at) >= Date.parse(seen.updated_at) ? customer : seen;
    merged.set(customer.customer_id, {
      ...newer,
      created_at: Date.parse(customer.created_at) < Date.parse(seen.created_at) ? customer.created_at : seen.created_at,
    });
  }
  return [...merged.values()];
}

/** Delivery phone, else billing phone, normalised with that block's country (docs/mapping-decisions.md#phone). */
function phoneOf(delivery: ShopkitAddress | null, billing: ShopkitAddress | null): string | null {
  for (const block of [delivery, billing]) {
    if (!block) continue;
    const phone = normalisePhone(block.phone, countryOf(block) || null);
    if (phone) return phone;
  }
  return null;
}
