/**
 * Shopkit's webhook sender as the sandbox plays it (docs/shopkit-api-notes.md#webhook-delivery): one subscription = one
 * URL + one event; POST of the JSON body signed with HMAC-SHA256 of its exact bytes; a failed delivery is retried
 * `retries` times at `retryIntervalMs` (5 × 1 hour in production), after which the subscription is suspended (`active:
 * false`).
 */
import { request } from 'undici';
import type { ShopkitEventName } from '../shopkit/schemas';
import { signShopkitBody } from '../shopkit/webhook-signature';

export type ResourceOrigin = 'api' | 'import' | 'backoffice' | 'storefront' | 'duplicate' | 'process';

export interface WebhookSubscription {
  id: number;
  event: string;
  url: string;
  active: boolean;
}

export interface WebhookSenderOptions {
  secret: string;
  /** Retries after the first failed attempt. Default 5. */
  retries?: number;
  /** Default one hour, as Shopkit. */
  retryIntervalMs?: number;
  /** Per-attempt timeout. Default 5 s. */
  timeoutMs?: number;
}

/** How a mutation's webhook is delivered; the knobs exist to test idempotency and ordering. */
export interface DeliveryOptions {
  /** Deliver the same body twice (two independent deliveries). */
  duplicate?: boolean;
  /** Hold the first attempt back, e.g. to make an older event arrive after a newer one. */
  delayMs?: number;
  origin?: ResourceOrigin;
}

export interface DeliveryAttempt {
  subscriptionId: number;
  event: string;
  attempt: number;
  /** HTTP status, or undefined when the request itself failed. */
  status: number | undefined;
  ok: boolean;
  at: string;
}

const FIRST_WEBHOOK_ID = 8_001;

export class ShopkitWebhookSender {
  private readonly subscriptions = new Map<number, WebhookSubscription>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: DeliveryAttempt[] = [];
  private nextId = FIRST_WEBHOOK_ID;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly retries: number;
  private readonly retryIntervalMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.retries = options.retries ?? 5;
    this.retryIntervalMs = options.retryIntervalMs ?? 3_600_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** The new subscription, or undefined when this URL already receives this event (Shopkit's 409). */
  subscribe(url: string, event: string): WebhookSubscription | undefined {
    for (const existing of this.subscriptions.values()) {
      if (existing.url === url && existing.event === event) return undefined;
    }
    const subscription = { id: this.nextId++, event, url, active: true };
    this.subscriptions.set(subscription.id, subscription);
    return { ...subscription };
  }

  unsubscribe(id: number): boolean {
    return this.subscriptions.delete(id);
  }

  get(id: number): WebhookSubscription | undefined {
    const subscription = this.subscriptions.get(id);
    return subscription && { ...subscription };
  }

  list(filter: { event?: string; active?: boolean } = {}): WebhookSubscription[] {
    return [...this.subscriptions.values()]
      .filter(
        (s) =>
          (filter.event === undefined || s.event === filter.event) &&
          (filter.active === undefined || s.active === filter.active),
      )
      .map((s) => ({ ...s }));
  }

  /** Every delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt }));
  }

  /** Queues `body` for every active subscription to `event`; returns how many deliveries were queued. */
  emit(event: ShopkitEventName, body: unknown, options: DeliveryOptions = {}): number {
    if (this.closed) return 0;
    const raw = JSON.stringify(body);
    const copies = options.duplicate ? 2 : 1;
    let queued = 0;
    for (const subscription of this.subscriptions.values()) {
      if (!subscription.active || subscription.event !== event) continue;
      for (let copy = 0; copy < copies; copy++) {
        this.schedule(subscription.id, event, raw, options.origin ?? 'backoffice', 1, options.delayMs ?? 0);
        queued++;
      }
    }
    return queued;
  }

  /** Resolves once no delivery is queued or in flight (retries included). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private schedule(id: number, event: string, raw: string, origin: ResourceOrigin, attempt: number, delayMs: number) {
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(id, event, raw, origin, attempt).finally(() => {
        this.pending = Math.max(0, this.pending - 1);
        this.settle();
      });
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(id: number, event: string, raw: string, origin: ResourceOrigin, attempt: number) {
    const subscription = this.subscriptions.get(id);
    if (!subscription || this.closed) return;
    const status = await this.post(subscription.url, event, raw, origin);
    const ok = status !== undefined && status >= 200 && status < 300;
    this.attempts.push({ subscriptionId: id, event, attempt, status, ok, at: new Date().toISOString() });
    if (ok || this.closed) return;
    if (attempt <= this.retries) this.schedule(id, event, raw, origin, attempt + 1, this.retryIntervalMs);
    else subscription.active = false;
  }

  private async post(url: string, event: string, raw: string, origin: ResourceOrigin): Promise<number | undefined> {
    try {
      const response = await request(url, {
        method: 'POST',
        body: raw,
        headers: {
          'user-agent': 'Shopkit-Webhook',
          'content-type': 'application/json',
          'x-shopkit-event': event,
          'x-webhook-signature': signShopkitBody(raw, this.options.secret),
          'x-webhook-resource-origin': origin,
          'x-platform': 'Shopkit',
          'x-shopkit-environment': 'production',
        },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await response.body.dump();
      return response.statusCode;
    } catch {
      return undefined;
    }
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
