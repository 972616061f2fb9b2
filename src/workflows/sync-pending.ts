/**
 * The store-sync workflow's pending work, coalesced per entity. Pure and deterministic (no clock, no
 * I/O): the workflow hands in receipt times, so this state survives replay and continueAsNew as data.
 *
 * Rules: orders carry their payload and keep the newest by `update_at`; an order delete wins over any
 * update (Shopkit never reuses an order id). Products and clients are re-read from Shopkit at flush
 * time, so any update event makes them a `refresh` — the re-read is the truth, a 404 becomes a delete —
 * and only a key that saw deletes alone is deleted without reading. Newsletter rows keep the newest
 * receipt. Event triggers are not idempotent in ShopiMind, so each content digest fires once.
 */
import type { ShopkitOrder } from '../shopkit/schemas';
import type { SyncBatchInput, SyncEvent, SyncTrigger } from '../contracts/sync';

export interface PendingOrder {
  v: number;
  /** Epoch ms of the first receipt still waiting (lag). */
  at: number;
  order?: ShopkitOrder;
  deleted?: boolean;
  /** Re-read from Shopkit instead of trusting the payload (received while an import ran). */
  reread?: boolean;
}

export interface PendingState {
  orders: Record<string, PendingOrder>;
  products: Record<string, { at: number; op: 'refresh' | 'delete' }>;
  clients: Record<string, { at: number; op: 'refresh' | 'delete'; observedAt: string }>;
  newsletters: Record<
    string,
    { at: number; email: string; name: string; subscribed: boolean; observedAt: string; v: number }
  >;
  triggers: (SyncTrigger & { at: number })[];
  /** Last written version per order id (`-1`: deleted), oldest first, bounded. */
  written: Record<string, number>;
  /** Digests of triggers already fired, oldest first, bounded. */
  fired: string[];
  /** Entities dropped because the pending set was full (a reconciliation must catch up). */
  overflowed: boolean;
}

/** Bounds of `written` and `fired`: enough to recognise late deliveries, small enough for history. */
const WRITTEN_MEMORY = 5_000;
const FIRED_MEMORY = 2_000;
/** Entities held at most (e.g. while inactive); beyond, events are dropped and `overflowed` is set. */
const MAX_PENDING = 20_000;
/**
 * Pending orders that keep their payload. The pending set travels in workflow task completions and in
 * continue-as-new inputs, which gRPC caps at 4 MB; past this many (≈ 6 KB each) an order keeps only its
 * id and version and the flush re-reads it from Shopkit (50 a request).
 */
export const MAX_PENDING_PAYLOADS = 200;

export function emptyPending(): PendingState {
  return {
    orders: {},
    products: {},
    clients: {},
    newsletters: {},
    triggers: [],
    written: {},
    fired: [],
    overflowed: false,
  };
}

export type AddOutcome = 'added' | 'coalesced' | 'stale' | 'duplicate' | 'dropped';

/** Adds one event; `now` is the workflow clock (ms), used only for lag. */
export function addEvent(state: PendingState, event: SyncEvent, now: number, holdOrders: boolean): AddOutcome {
  const receivedMs = Date.parse(event.receivedAt);
  const at = Number.isNaN(receivedMs) ? now : receivedMs;
  if (pendingCount(state) >= MAX_PENDING && !isPendingKey(state, event)) {
    state.overflowed = true;
    return 'dropped';
  }
  switch (event.kind) {
    case 'order':
      return addOrder(state, String(event.orderId), { v: event.version, at, order: event.order }, holdOrders, event);
    case 'orderDeleted':
      return addOrder(state, String(event.orderId), { v: Number.MAX_SAFE_INTEGER, at, deleted: true }, false);
    case 'product':
    case 'productDeleted': {
      const key = String(event.productId);
      const existing = state.products[key];
      const op = event.kind === 'product' || existing?.op === 'refresh' ? 'refresh' : 'delete';
      state.products[key] = { at: existing?.at ?? at, op };
      return existing ? 'coalesced' : 'added';
    }
    case 'client':
    case 'clientDeleted': {
      const existing = state.clients[event.customerId];
      const op = event.kind === 'client' || existing?.op === 'refresh' ? 'refresh' : 'delete';
      const observedAt = existing && existing.observedAt > event.receivedAt ? existing.observedAt : event.receivedAt;
      state.clients[event.customerId] = { at: existing?.at ?? at, op, observedAt };
      return existing ? 'coalesced' : 'added';
    }
    case 'newsletter': {
      const existing = state.newsletters[event.customerId];
      // The flush re-reads the client: its consent flag decides, this row only says "touched".
      refreshClient(state, event.customerId, at, event.receivedAt);
      if (existing && existing.v > at) return 'stale';
      state.newsletters[event.customerId] = {
        at: existing?.at ?? at,
        email: event.email,
        name: event.name,
        subscribed: event.subscribed,
        observedAt: event.receivedAt,
        v: at,
      };
      return existing ? 'coalesced' : 'added';
    }
    case 'cart':
      return addTrigger(state, { digest: event.digest, codeName: 'cart_abandoned', cart: event.cart, at });
  }
}

function addOrder(
  state: PendingState,
  key: string,
  entry: PendingOrder,
  hold: boolean,
  event?: SyncEvent & { kind: 'order' },
): AddOutcome {
  const trigger =
    event?.event === 'order_payment_failed'
      ? addTrigger(state, { digest: event.digest, codeName: 'order_payment_failed', order: event.order, at: entry.at })
      : undefined;
  const written = state.written[writtenKey(key)];
  if (!entry.deleted && written !== undefined && (written === -1 || written > entry.v)) return 'stale';
  const existing = state.orders[key];
  if (existing && (existing.deleted || existing.v > entry.v)) return 'stale';
  // Shopkit's `update_at` has one-second resolution: a payload of the same second as one written or
  // pending may be the older of the two, whatever order they arrived in. Only Shopkit can tell, so the
  // flush re-reads such an order instead of trusting either payload.
  const sameSecond =
    !entry.deleted &&
    (written === entry.v || (existing !== undefined && existing.v === entry.v && !sameOrder(existing, entry)));
  const reread = Boolean(existing?.reread || hold || sameSecond) && !entry.deleted;
  const { order, ...slim } = entry;
  const keep = order !== undefined && (existing?.order !== undefined || !payloadsFull(state));
  state.orders[key] = {
    ...slim,
    at: existing?.at ?? entry.at,
    ...(keep ? { order } : {}),
    ...(reread || (order !== undefined && !keep) ? { reread: true } : {}),
  };
  if (!existing) return 'added';
  return trigger === 'duplicate' ? 'duplicate' : 'coalesced';
}

function payloadsFull(state: PendingState): boolean {
  let payloads = 0;
  for (const pending of Object.values(state.orders))
    if (pending.order && ++payloads >= MAX_PENDING_PAYLOADS) return true;
  return false;
}

function sameOrder(a: PendingOrder, b: PendingOrder): boolean {
  return JSON.stringify(a.order) === JSON.stringify(b.order);
}

/** Prefixed so the object keeps insertion order (integer-like keys would be sorted). */
function writtenKey(orderId: string | number): string {
  return `o${orderId}`;
}

function refreshClient(state: PendingState, customerId: string, at: number, observedAt: string): void {
  const existing = state.clients[customerId];
  const latest = existing && existing.observedAt > observedAt ? existing.observedAt : observedAt;
  state.clients[customerId] = { at: existing?.at ?? at, op: 'refresh', observedAt: latest };
}

function addTrigger(state: PendingState, trigger: SyncTrigger & { at: number }): AddOutcome {
  if (state.fired.includes(trigger.digest) || state.triggers.some((t) => t.digest === trigger.digest)) {
    return 'duplicate';
  }
  state.triggers.push(trigger);
  return 'added';
}

function isPendingKey(state: PendingState, event: SyncEvent): boolean {
  switch (event.kind) {
    case 'order':
    case 'orderDeleted':
      return String(event.orderId) in state.orders;
    case 'product':
    case 'productDeleted':
      return String(event.productId) in state.products;
    case 'client':
    case 'clientDeleted':
    case 'newsletter':
      return event.customerId in state.clients;
    case 'cart':
      return false;
  }
}

export function pendingCount(state: PendingState): number {
  return (
    Object.keys(state.orders).length +
    Object.keys(state.products).length +
    Object.keys(state.clients).length +
    Object.keys(state.newsletters).length
  );
}

/** Epoch ms of the oldest pending receipt, or undefined when nothing is pending. */
export function oldestPending(state: PendingState): number | undefined {
  let oldest: number | undefined;
  const visit = (at: number) => (oldest = oldest === undefined ? at : Math.min(oldest, at));
  const groups: Record<string, { at: number }>[] = [state.orders, state.products, state.clients, state.newsletters];
  for (const group of groups) for (const entry of Object.values(group)) visit(entry.at);
  for (const trigger of state.triggers) visit(trigger.at);
  return oldest;
}

/** Marks every pending order to be re-read: they may be older than what an import just wrote. */
export function markOrdersForReread(state: PendingState): void {
  for (const entry of Object.values(state.orders)) if (!entry.deleted) entry.reread = true;
}

export type TakenBatch = Pick<SyncBatchInput, 'orders' | 'products' | 'clients' | 'newsletters'>;

/** Removes up to `max` entities from the pending set and returns them as one batch (plus the taken state). */
export function takeBatch(state: PendingState, max: number): { batch: TakenBatch; taken: PendingState } {
  const taken = emptyPending();
  let room = max;
  const take = <T>(from: Record<string, T>, into: Record<string, T>) => {
    for (const key of Object.keys(from)) {
      if (room <= 0) return;
      into[key] = from[key] as T;
      delete from[key];
      room -= 1;
    }
  };
  // Newsletter rows ride with their client refresh, so take them first and their clients with them.
  take(state.newsletters, taken.newsletters);
  for (const customerId of Object.keys(taken.newsletters)) {
    const client = state.clients[customerId];
    if (client) {
      taken.clients[customerId] = client;
      delete state.clients[customerId];
    }
  }
  take(state.products, taken.products);
  take(state.clients, taken.clients);
  take(state.orders, taken.orders);

  const batch: TakenBatch = {
    orders: { upserts: [], reread: [], deletes: [] },
    products: { refresh: [], deletes: [] },
    clients: { refresh: [], deletes: [] },
    newsletters: [],
  };
  for (const [key, entry] of Object.entries(taken.orders)) {
    if (entry.deleted) batch.orders.deletes.push(Number(key));
    else if (entry.reread || !entry.order) batch.orders.reread.push(Number(key));
    else batch.orders.upserts.push(entry.order);
  }
  for (const [key, entry] of Object.entries(taken.products)) {
    (entry.op === 'delete' ? batch.products.deletes : batch.products.refresh).push(Number(key));
  }
  for (const [customerId, entry] of Object.entries(taken.clients)) {
    if (entry.op === 'delete') batch.clients.deletes.push(customerId);
    else batch.clients.refresh.push({ customerId, observedAt: entry.observedAt });
  }
  for (const [customerId, row] of Object.entries(taken.newsletters)) {
    batch.newsletters.push({
      customerId,
      email: row.email,
      name: row.name,
      subscribed: row.subscribed,
      observedAt: row.observedAt,
    });
  }
  return { batch, taken };
}

/** Puts a batch that could not be written back, unless newer events replaced its entities meanwhile. */
export function restoreBatch(state: PendingState, taken: PendingState): void {
  for (const [key, entry] of Object.entries(taken.orders)) {
    const current = state.orders[key];
    if (!current) state.orders[key] = entry;
    else if (entry.deleted) state.orders[key] = { ...entry, at: Math.min(entry.at, current.at) };
    else if (!current.deleted && current.v < entry.v) state.orders[key] = entry;
    else current.at = Math.min(current.at, entry.at);
  }
  for (const [key, entry] of Object.entries(taken.products)) {
    const current = state.products[key];
    state.products[key] = current
      ? {
          at: Math.min(current.at, entry.at),
          op: current.op === 'refresh' || entry.op === 'refresh' ? 'refresh' : 'delete',
        }
      : entry;
  }
  for (const [key, entry] of Object.entries(taken.clients)) {
    const current = state.clients[key];
    state.clients[key] = current
      ? {
          at: Math.min(current.at, entry.at),
          op: current.op === 'refresh' || entry.op === 'refresh' ? 'refresh' : 'delete',
          observedAt: current.observedAt > entry.observedAt ? current.observedAt : entry.observedAt,
        }
      : entry;
  }
  for (const [key, entry] of Object.entries(taken.newsletters)) {
    const current = state.newsletters[key];
    if (!current || current.v < entry.v) state.newsletters[key] = entry;
  }
}

/**
 * Remembers what was written per order, so an older payload arriving later does not overwrite it. An
 * event that arrived while that write was in flight is judged now, as it would have been after it: an
 * older version is dropped, one of the same second is re-read. A write older than one already recorded
 * (a reconciliation and a flush overlapped) may have landed last: that order is re-read from Shopkit.
 * `now` (workflow clock) dates such a re-read. Returns how many pending orders it dropped.
 */
export function rememberWritten(state: PendingState, versions: readonly [number, number][], now: number): number {
  let superseded = 0;
  for (const [orderId, version] of versions) {
    const key = writtenKey(orderId);
    const previous = state.written[key];
    delete state.written[key];
    const written = previous === -1 || version === -1 ? -1 : Math.max(previous ?? version, version);
    state.written[key] = written;
    const id = String(orderId);
    const pending = state.orders[id];
    if (pending?.deleted) continue;
    if (previous !== undefined && written !== -1 && version < written) {
      state.orders[id] = { v: Math.max(pending?.v ?? written, written), at: pending?.at ?? now, reread: true };
    } else if (!pending) continue;
    else if (written === -1 || pending.v < written) {
      delete state.orders[id];
      superseded += 1;
    } else if (pending.v === written) pending.reread = true;
  }
  const keys = Object.keys(state.written);
  for (let i = 0; i < keys.length - WRITTEN_MEMORY; i++) delete state.written[keys[i] as string];
  return superseded;
}

export function rememberFired(state: PendingState, digests: readonly string[]): void {
  state.fired.push(...digests);
  if (state.fired.length > FIRED_MEMORY) state.fired.splice(0, state.fired.length - FIRED_MEMORY);
}
