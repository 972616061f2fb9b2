/**
 * Coalesces a store's webhook events into as few signals as possible without delaying a lone one: per
 * store, at most one signal is in flight; events that arrive meanwhile (or within `lingerMs` of the first)
 * wait and leave together in the next one. An idle store's event therefore goes after `lingerMs`; a busy
 * store's events share one signal — one history append and one workflow task — instead of one each, so
 * the cost per event falls exactly when Temporal is slow. Each caller's promise settles with the signal
 * that carried its event: resolved once Temporal accepted it, rejected if it did not (the gateway then
 * answers 503 and Shopkit redelivers). Nothing is acknowledged before it is durably in Temporal.
 */
export interface BatchLimits {
  /** Wait this long after an idle store's first event for others to join it. */
  lingerMs: number;
  maxEvents: number;
  /** Estimated bytes per signal, well under Temporal's 2 MB payload limit and gRPC's 4 MB message. */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { lingerMs: 5, maxEvents: 100, maxBytes: 512 * 1024 };

/** Sends one store's events as one signal; resolves once Temporal accepted it. */
export type SendBatch<E> = (storeId: string, events: E[]) => Promise<void>;

interface Waiting<E> {
  event: E;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface StoreQueue<E> {
  waiting: Waiting<E>[];
  /** A signal is in flight, or one is scheduled to leave after the linger. */
  busy: boolean;
}

export class SignalBatcher<E> {
  private readonly stores = new Map<string, StoreQueue<E>>();

  constructor(
    private readonly send: SendBatch<E>,
    private readonly sizeOf: (event: E) => number,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** Resolves when the signal carrying `event` was accepted; rejects with that signal's failure. */
  deliver(storeId: string, event: E): Promise<void> {
    const queue = this.stores.get(storeId) ?? { waiting: [], busy: false };
    this.stores.set(storeId, queue);
    const accepted = new Promise<void>((resolve, reject) => {
      queue.waiting.push({ event, bytes: this.sizeOf(event), resolve, reject });
    });
    if (!queue.busy) {
      queue.busy = true;
      setTimeout(() => this.flush(storeId), this.limits.lingerMs);
    }
    return accepted;
  }

  private flush(storeId: string): void {
    const queue = this.stores.get(storeId);
    if (!queue) return;
    const batch = this.take(queue);
    if (batch.length === 0) {
      this.stores.delete(storeId);
      return;
    }
    const events = batch.map((item) => item.event);
    this.send(storeId, events)
      .then(
        () => batch.forEach((item) => item.resolve()),
        (err: unknown) => batch.forEach((item) => item.reject(err)),
      )
      // What queued meanwhile has waited long enough: it leaves at once.
      .finally(() => this.flush(storeId));
  }

  /** The oldest waiting events within the limits; always at least one, however large. */
  private take(queue: StoreQueue<E>): Waiting<E>[] {
    let count = 0;
    let bytes = 0;
    for (const item of queue.waiting) {
      if (count > 0 && (count >= this.limits.maxEvents || bytes + item.bytes > this.limits.maxBytes)) break;
      count += 1;
      bytes += item.bytes;
    }
    return queue.waiting.splice(0, count);
  }
}
