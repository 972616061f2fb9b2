import type { z } from 'zod';
import type { QueryValue } from '../http';
import {
  ShopkitBrandSchema,
  ShopkitCategorySchema,
  ShopkitClientSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
} from './schemas';

/** Shopkit's hard page-size maximum (docs/shopkit-api-notes.md#paging). */
export const SHOPKIT_MAX_LIMIT = 50;

/**
 * The paginated resources the connector reads, with the query every read of them must carry:
 * `status_alias=all`, because the default status filter is undocumented and may hide items.
 */
export const shopkitListResources = {
  products: { path: '/product', schema: ShopkitProductSchema, fixedQuery: { status_alias: 'all' } },
  categories: { path: '/category', schema: ShopkitCategorySchema, fixedQuery: {} },
  brands: { path: '/brand', schema: ShopkitBrandSchema, fixedQuery: {} },
  orders: { path: '/order', schema: ShopkitOrderSchema, fixedQuery: { status_alias: 'all' } },
  clients: { path: '/client', schema: ShopkitClientSchema, fixedQuery: {} },
} as const;

export type ShopkitListResource = keyof typeof shopkitListResources;
export type ShopkitItemOf<R extends ShopkitListResource> = z.output<(typeof shopkitListResources)[R]['schema']>;

/** Order date the date filters apply to; note Shopkit's spelling `update_at`. */
export type ShopkitOrderDateType = 'created_at' | 'update_at' | 'sent_at' | 'paid_at';

/** Filters of list reads. Each applies to the resources noted; others ignore it. */
export interface ShopkitListFilters {
  /** products, orders: only these ids. */
  ids?: readonly number[];
  /** orders: which date `dateFrom`/`dateTo` apply to. Always sent with a date filter (no documented default). */
  dateType?: ShopkitOrderDateType;
  /** orders: `YYYY-MM-DD`, day granularity. */
  dateFrom?: string;
  dateTo?: string;
  /** orders: one buyer's orders, by e-mail (`client_email`, newer edition). */
  clientEmail?: string;
  /** clients: registered (true) or guest (false) clients only. */
  registered?: boolean;
  /** products: one category. */
  category?: number;
}

/** The query parameters of one list page. */
export function listQuery(
  resource: ShopkitListResource,
  page: number,
  limit: number,
  filters: ShopkitListFilters = {},
): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { ...shopkitListResources[resource].fixedQuery, page, limit };
  if (filters.ids !== undefined) query.ids = filters.ids.join(',');
  if (filters.dateFrom !== undefined || filters.dateTo !== undefined) {
    query.date_type = filters.dateType ?? 'created_at';
    query.date_from = filters.dateFrom;
    query.date_to = filters.dateTo;
  }
  if (filters.clientEmail !== undefined) query.client_email = filters.clientEmail;
  if (filters.registered !== undefined) query.registered = filters.registered;
  if (filters.category !== undefined) query.category = filters.category;
  return query;
}
