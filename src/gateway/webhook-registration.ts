import { ApiError, TokenBucketRegistry } from '../http';
import type { StoreLookup } from '../registry/store-lookup';
import { ShopkitClient, type ShopkitEventName } from '../shopkit';

/**
 * The Shopkit events the sync consumes (docs/mapping-decisions.md#incremental-triggers); the status-specific order
 * events are redundant.
 */
export const SYNC_WEBHOOK_EVENTS: readonly ShopkitEventName[] = [
  'order_created',
  'order_updated',
  'order_deleted',
  'order_payment_failed',
  'client_created',
  'client_updated',
  'client_deleted',
  'client_tag_added',
  'client_wholesale_requested',
  'client_wholesale_accepted',
  'client_wholesale_revoked',
  'newsletter_subscribed',
  'newsletter_unsubscribed',
  'product_created',
  'product_updated',
  'product_updated_stock',
  'product_deleted',
  'cart_abandoned',
];

export interface WebhookRegistration {
  url: string;
  created: string[];
  existing: string[];
  /** Events Shopkit refused (D40: some editions only accept them in the back office). */
  failed: { event: string; error: string }[];
}

export type WebhookRegistrar = (storeId: string, url: string) => Promise<WebhookRegistration>;
/** Deletes every Shopkit webhook of the store that points at `url`; returns how many. */
export type WebhookRemover = (storeId: string, url: string) => Promise<number>;

async function shopkitOf(stores: StoreLookup, storeId: string, buckets: TokenBucketRegistry): Promise<ShopkitClient> {
  const store = await stores.get(storeId);
  if (!store) throw new Error(`store ${storeId} is not configured`);
  return new ShopkitClient(store, { buckets });
}

/**
 * Registers the sync's webhooks with the store's Shopkit key; what already exists is left alone. The
 * store's workflows do not see these calls: they are spaced by the key's bucket in this process (shared
 * by every registration), and the answer waits one quota interval after the last of them, so an import
 * or sync started on that answer does not call Shopkit within an interval of it.
 */
export function shopkitWebhookRegistrar(stores: StoreLookup): WebhookRegistrar {
  const buckets = new TokenBucketRegistry();
  return async (storeId, url) => {
    const shopkit = await shopkitOf(stores, storeId, buckets);
    try {
      return await register(shopkit, url);
    } finally {
      await shopkit.afterQuotaInterval();
    }
  };
}

async function register(shopkit: ShopkitClient, url: string): Promise<WebhookRegistration> {
  const { items } = await shopkit.listWebhooks();
  const registered = new Map(items.filter((w) => w.url === url).map((w) => [w.event, w]));
  const result: WebhookRegistration = { url, created: [], existing: [], failed: [] };
  for (const event of SYNC_WEBHOOK_EVENTS) {
    const existing = registered.get(event);
    if (existing?.active) {
      result.existing.push(event);
      continue;
    }
    try {
      // Shopkit suspends a subscription after 5 failed deliveries (docs/shopkit-api-notes.md#webhook-delivery):
      // re-creating revives it.
      if (existing) await shopkit.deleteWebhook(existing.id);
      await shopkit.createWebhook({ url, event });
      result.created.push(event);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) result.existing.push(event);
      else result.failed.push({ event, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

/** Removes the sync's webhooks (uninstall): Shopkit stops calling a store that is gone. */
export function shopkitWebhookRemover(stores: StoreLookup): WebhookRemover {
  const buckets = new TokenBucketRegistry();
  return async (storeId, url) => {
    const shopkit = await shopkitOf(stores, storeId, buckets);
    const { items } = await shopkit.listWebhooks();
    let removed = 0;
    for (const webhook of items.filter((w) => w.url === url)) {
      if (await shopkit.deleteWebhook(webhook.id)) removed += 1;
    }
    return removed;
  };
}

/** Where Shopkit delivers a store's webhooks on this gateway. */
export function shopkitWebhookUrl(publicUrl: string, storeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/shopkit/${encodeURIComponent(storeId)}`;
}
