import type { ShopkitOrder } from '../../src/shopkit/schemas';
import type { SyncEvent } from '../../src/contracts/sync';
import {
  addEvent,
  emptyPending,
  markOrdersForReread,
  MAX_PENDING_PAYLOADS,
  pendingCount,
  rememberFired,
  rememberWritten,
  restoreBatch,
  takeBatch,
} from '../../src/workflows/sync-pending';

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, s)).toISOString();
const order = (id: number, version: number, note: string) => ({ id, note }) as unknown as ShopkitOrder;
const orderEvent = (id: number, version: number, note: string, digest = `d-${id}-${version}-${note}`): SyncEvent => ({
  event: 'order_updated',
  receivedAt: at(version),
  digest,
  kind: 'order',
  orderId: id,
  version,
  order: order(id, version, note),
});

describe('store-sync pending set (pure coalescing rules)', () => {
  it('keeps the newest order version whatever the arrival order, and a delete beats any update', () => {
    const state = emptyPending();
    expect(addEvent(state, orderEvent(1, 20, 'new'), 0, false)).toBe('added');
    expect(addEvent(state, orderEvent(1, 10, 'old'), 0, false)).toBe('stale');
    expect(addEvent(state, orderEvent(2, 10, 'x'), 0, false)).toBe('added');
    const del: SyncEvent = {
      event: 'order_deleted',
      receivedAt: at(1),
      digest: 'del',
      kind: 'orderDeleted',
      orderId: 2,
    };
    expect(addEvent(state, del, 0, false)).toBe('coalesced');
    expect(addEvent(state, orderEvent(2, 30, 'late update'), 0, false)).toBe('stale');
    const { batch } = takeBatch(state, 100);
    expect(batch.orders.upserts).toEqual([order(1, 20, 'new')]);
    expect(batch.orders.deletes).toEqual([2]);
    expect(pendingCount(state)).toBe(0);
  });

  it('re-reads an order whose same-second payloads disagree, whichever arrived last', () => {
    for (const notes of [
      ['first', 'second'],
      ['second', 'first'],
    ]) {
      const state = emptyPending();
      expect(addEvent(state, orderEvent(1, 30, notes[0] as string), 0, false)).toBe('added');
      expect(addEvent(state, orderEvent(1, 30, notes[1] as string), 0, false)).toBe('coalesced');
      // A redelivery of the very same payload is no doubt: it stays a payload upsert.
      expect(addEvent(state, orderEvent(2, 30, 'same'), 0, false)).toBe('added');
      expect(addEvent(state, orderEvent(2, 30, 'same', 'redelivery'), 0, false)).toBe('coalesced');
      const { batch } = takeBatch(state, 100);
      expect(batch.orders.reread).toEqual([1]);
      expect(batch.orders.upserts).toEqual([order(2, 30, 'same')]);
    }
    // A payload of the second already written may be older than what was written: re-read it too.
    const state = emptyPending();
    rememberWritten(state, [[1, 30]], 0);
    expect(addEvent(state, orderEvent(1, 30, 'late'), 0, false)).toBe('added');
    expect(takeBatch(state, 100).batch.orders.reread).toEqual([1]);
  });

  it('keeps at most MAX_PENDING_PAYLOADS order payloads pending; later orders are re-read', () => {
    const state = emptyPending();
    const count = MAX_PENDING_PAYLOADS + 30;
    for (let id = 1; id <= count; id++) expect(addEvent(state, orderEvent(id, 10, 'x'), 0, false)).toBe('added');
    // A newer payload of an order that already holds one still replaces it.
    expect(addEvent(state, orderEvent(1, 20, 'newer'), 0, false)).toBe('coalesced');
    const upserts: unknown[] = [];
    const reread: number[] = [];
    while (pendingCount(state) > 0) {
      const { batch } = takeBatch(state, 100);
      upserts.push(...batch.orders.upserts);
      reread.push(...batch.orders.reread);
    }
    expect(upserts).toHaveLength(MAX_PENDING_PAYLOADS);
    expect(upserts).toContainEqual(order(1, 20, 'newer'));
    expect(reread.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => MAX_PENDING_PAYLOADS + 1 + i));
  });

  it('refuses an order payload older than what was already written, and anything after a written delete', () => {
    const state = emptyPending();
    rememberWritten(
      state,
      [
        [1, 50],
        [2, -1],
      ],
      0,
    );
    expect(addEvent(state, orderEvent(1, 40, 'older'), 0, false)).toBe('stale');
    expect(addEvent(state, orderEvent(1, 50, 'same second'), 0, false)).toBe('added');
    expect(addEvent(state, orderEvent(2, 99, 'resurrect'), 0, false)).toBe('stale');
    // A delete written after an update wins over a late duplicate of that very update.
    rememberWritten(state, [[1, -1]], 0);
    expect(addEvent(state, orderEvent(1, 50, 'duplicate of the last update'), 0, false)).toBe('stale');
  });

  it('judges an order event that arrived during the flush writing a newer version as if after it', () => {
    const state = emptyPending();
    addEvent(state, orderEvent(1, 50, 'newer'), 0, false);
    addEvent(state, orderEvent(2, 50, 'same second'), 0, false);
    takeBatch(state, 10);
    // While that batch is in flight, older and same-second deliveries of both orders arrive.
    expect(addEvent(state, orderEvent(1, 40, 'older, redelivered'), 0, false)).toBe('added');
    expect(addEvent(state, orderEvent(2, 50, 'other payload'), 0, false)).toBe('added');
    expect(addEvent(state, orderEvent(3, 10, 'unrelated'), 0, false)).toBe('added');
    expect(
      rememberWritten(
        state,
        [
          [1, 50],
          [2, 50],
        ],
        0,
      ),
    ).toBe(1);
    const { batch } = takeBatch(state, 10);
    expect(batch.orders.upserts.map((o) => o.id)).toEqual([3]);
    expect(batch.orders.reread).toEqual([2]);
  });

  it('re-reads an order whose older version was written after a newer one (a reconciliation beside a flush)', () => {
    const state = emptyPending();
    rememberWritten(state, [[1, 50]], 0);
    // The reconciliation read version 40 before the flush wrote 50, and wrote it after.
    expect(rememberWritten(state, [[1, 40]], 7)).toBe(0);
    const { batch } = takeBatch(state, 10);
    expect(batch.orders.reread).toEqual([1]);
    expect(batch.orders.upserts).toEqual([]);
    // A write of the same or a newer version needs nothing more.
    rememberWritten(state, [[1, 50]], 8);
    rememberWritten(state, [[1, 60]], 9);
    expect(pendingCount(state)).toBe(0);
  });

  it('turns products and clients into re-reads unless they only saw deletes', () => {
    const state = emptyPending();
    const product = (kind: 'product' | 'productDeleted'): SyncEvent => ({
      event: kind === 'product' ? 'product_updated' : 'product_deleted',
      receivedAt: at(1),
      digest: kind,
      kind,
      productId: 7,
    });
    addEvent(state, product('productDeleted'), 0, false);
    addEvent(state, product('product'), 0, false);
    addEvent(
      state,
      { event: 'client_deleted', receivedAt: at(2), digest: 'c', kind: 'clientDeleted', customerId: 'abc' },
      0,
      false,
    );
    const { batch } = takeBatch(state, 100);
    expect(batch.products).toEqual({ refresh: [7], deletes: [] });
    expect(batch.clients).toEqual({ refresh: [], deletes: ['abc'] });
  });

  it('fires each trigger digest once, even across flushes', () => {
    const state = emptyPending();
    const cart = (digest: string): SyncEvent => ({
      event: 'cart_abandoned',
      receivedAt: at(1),
      digest,
      kind: 'cart',
      cart: {} as never,
    });
    expect(addEvent(state, cart('x'), 0, false)).toBe('added');
    expect(addEvent(state, cart('x'), 0, false)).toBe('duplicate');
    rememberFired(
      state,
      state.triggers.splice(0).map((t) => t.digest),
    );
    expect(addEvent(state, cart('x'), 0, false)).toBe('duplicate');
    expect(addEvent(state, cart('y'), 0, false)).toBe('added');
  });

  it('holds orders received during an import as re-reads, and restores a failed batch without losing newer events', () => {
    const state = emptyPending();
    addEvent(state, orderEvent(1, 10, 'held'), 0, true);
    addEvent(state, orderEvent(3, 10, 'before'), 0, false);
    markOrdersForReread(state);
    const { batch, taken } = takeBatch(state, 100);
    expect(batch.orders.reread.sort()).toEqual([1, 3]);
    addEvent(state, orderEvent(1, 20, 'newer while flushing'), 0, false);
    restoreBatch(state, taken);
    expect(state.orders['1']?.v).toBe(20);
    expect(state.orders['3']?.reread).toBe(true);
  });
});
