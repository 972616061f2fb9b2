import type { InvalidShopkitItem } from './item-validation';

/** One page of a Shopkit list, validated. */
export interface ShopkitPage<T> {
  items: T[];
  /** Items that failed the schema; the valid ones are still in `items`. */
  invalid: InvalidShopkitItem[];
  /** 1-based page number that was read. */
  page: number;
  /** The page size asked for. */
  limit: number;
  /** Items received, valid or not. */
  received: number;
  /** `X-Total-Count`, when the response carried it. */
  total: number | undefined;
  /** Pages of the whole list by `total`, when known. */
  pageCount: number | undefined;
  /** No page after this one holds items. */
  done: boolean;
}

export interface PagePosition {
  page: number;
  limit: number;
  received: number;
  total: number | undefined;
  /** The server answered 404: a list past its end (docs/shopkit-api-notes.md#paging). */
  notFound?: boolean;
}

/**
 * Whether a page is the last one. It must stay right for servers that ignore `limit` (docs/shopkit-api-notes.md#paging:
 * only "some resources" honour it): a page shorter than asked that does not end the list exactly
 * at `total` reveals the server's own page size, and the page count follows from that size.
 */
export function pageOutcome({ page, limit, received, total, notFound }: PagePosition): {
  done: boolean;
  pageCount: number | undefined;
} {
  // Pages before this one held the whole list, whatever a stale `total` claims.
  if (notFound || received === 0) return { done: true, pageCount: page - 1 };
  if (total === undefined) return { done: received < limit, pageCount: undefined };
  const endsExactly = received <= limit && (page - 1) * limit + received === total;
  const pageSize = endsExactly || received === limit ? limit : received;
  const pageCount = Math.ceil(total / pageSize);
  return { done: page >= pageCount, pageCount };
}

/**
 * Reads pages from `startPage` until one is done. Guards against a server that repeats a page
 * (ignores `page`): a page with the same items as the previous one ends the iteration.
 */
export async function* iteratePages<T>(
  readPage: (page: number) => Promise<ShopkitPage<T>>,
  fingerprint: (page: ShopkitPage<T>) => string,
  startPage = 1,
): AsyncGenerator<ShopkitPage<T>, void, undefined> {
  let previous: string | undefined;
  for (let page = startPage; ; page++) {
    const result = await readPage(page);
    const current = fingerprint(result);
    if (result.received > 0 && current === previous) return;
    previous = current;
    yield result;
    if (result.done) return;
  }
}
