import { iteratePages, pageOutcome, type ShopkitPage } from '../../src/shopkit/pager';
import { toItemList } from '../../src/shopkit/list-shapes';
import { validateItems } from '../../src/shopkit/item-validation';
import { ShopkitWebhookSchema } from '../../src/shopkit/schemas';

describe('toItemList', () => {
  it('normalises the three documented list shapes', () => {
    expect(toItemList([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(
      toItemList({ '1': { id: 2 }, '0': { id: 1 }, paging: { previous: null, next: '/v1/order?page=2' } }),
    ).toEqual([{ id: 1 }, { id: 2 }]);
    expect(toItemList({ '0': { id: 1 }, paging: null })).toEqual([{ id: 1 }]);
    expect(toItemList({ id: 7 })).toEqual([{ id: 7 }]);
    expect(toItemList(undefined)).toEqual([]);
    expect(toItemList({ paging: null })).toEqual([]);
  });
});

describe('pageOutcome', () => {
  it('ends at X-Total-Count', () => {
    expect(pageOutcome({ page: 2, limit: 50, received: 50, total: 120 })).toEqual({ done: false, pageCount: 3 });
    expect(pageOutcome({ page: 3, limit: 50, received: 20, total: 120 })).toEqual({ done: true, pageCount: 3 });
    expect(pageOutcome({ page: 2, limit: 50, received: 50, total: 100 })).toEqual({ done: true, pageCount: 2 });
  });

  it('ends on an empty page, a 404, or a short page without a total', () => {
    expect(pageOutcome({ page: 4, limit: 50, received: 0, total: 500 })).toEqual({ done: true, pageCount: 3 });
    expect(pageOutcome({ page: 4, limit: 50, received: 0, total: undefined, notFound: true }).done).toBe(true);
    expect(pageOutcome({ page: 1, limit: 50, received: 49, total: undefined }).done).toBe(true);
    expect(pageOutcome({ page: 1, limit: 50, received: 50, total: undefined }).done).toBe(false);
  });

  it('follows the server page size when the server ignores limit', () => {
    // 100 items served 25 at a time although 50 were asked for: four pages, not two.
    const outcomes = [1, 2, 3, 4].map((page) => pageOutcome({ page, limit: 50, received: 25, total: 100 }));
    expect(outcomes.map((o) => o.done)).toEqual([false, false, false, true]);
    expect(outcomes[0]?.pageCount).toBe(4);
  });
});

describe('iteratePages', () => {
  const page = (n: number, ids: number[], done = false): ShopkitPage<{ id: number }> => ({
    items: ids.map((id) => ({ id })),
    invalid: [],
    page: n,
    limit: 2,
    received: ids.length,
    total: undefined,
    pageCount: undefined,
    done,
  });
  const fingerprint = (p: ShopkitPage<{ id: number }>) => p.items.map((i) => i.id).join();

  it('stops when the server serves the same page again', async () => {
    const read = jest.fn((_n: number) => Promise.resolve(page(_n, [1, 2])));
    const pages = [];
    for await (const p of iteratePages(read, fingerprint)) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reads from startPage until a page is done', async () => {
    const read = (n: number) => Promise.resolve(page(n, [n * 10, n * 10 + 1], n === 4));
    const seen: number[] = [];
    for await (const p of iteratePages(read, fingerprint, 2)) seen.push(p.page);
    expect(seen).toEqual([2, 3, 4]);
  });
});

describe('validateItems', () => {
  it('keeps the valid items and reports the others by source id', () => {
    const result = validateItems(ShopkitWebhookSchema, [
      { id: 1, event: 'order_created', url: 'https://a.test' },
      { id: 2, event: 'order_created' },
      { code: 'x' },
      'garbage',
    ]);
    expect(result.items.map((w) => w.id)).toEqual([1]);
    expect(result.invalid).toEqual([
      { index: 1, sourceId: '2', reasons: [expect.stringMatching(/^url: /)] },
      { index: 2, sourceId: 'x', reasons: expect.any(Array) },
      { index: 3, sourceId: null, reasons: expect.any(Array) },
    ]);
  });
});
