import { createHash } from 'node:crypto';
import { customerIdOf, normaliseEmail, orderVersionOf } from '../mapping';
import { parseShopkitWebhookEvent, SHOPKIT_EVENT_NAMES, type ShopkitEventName } from '../shopkit/schemas';
import type { SyncEvent } from '../contracts/sync';

export type NormalisedWebhook = { ok: true; event: SyncEvent } | { ok: false; status: 400; reason: string };

export function isShopkitEventName(name: string): name is ShopkitEventName {
  return (SHOPKIT_EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * A verified delivery → the event the store-sync workflow receives: the parsed payload (no headers, no
 * secret), the receipt time and a digest of the exact delivery (duplicate deliveries share it).
 */
export function normaliseWebhook(eventName: ShopkitEventName, rawBody: Buffer, receivedAt: string): NormalisedWebhook {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'the body is not JSON' };
  }
  const digest = createHash('sha256').update(eventName).update('\n').update(rawBody).digest('hex').slice(0, 32);
  const base = { event: eventName, receivedAt, digest };
  const parsed = parseShopkitWebhookEvent(eventName, body);
  if (!parsed.success) {
    // Product envelopes are undocumented (docs/shopkit-api-notes.md#webhook-events): an id is enough, since the sync
    // re-reads the product.
    const productId = productIdOf(body);
    if (eventName.startsWith('product_') && productId !== undefined) {
      return {
        ok: true,
        event: { ...base, kind: eventName === 'product_deleted' ? 'productDeleted' : 'product', productId },
      };
    }
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      status: 400,
      reason: `invalid ${eventName} payload${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
    };
  }
  const data = parsed.data;
  if ('order' in data) {
    if (data.event === 'order_deleted')
      return { ok: true, event: { ...base, kind: 'orderDeleted', orderId: data.order.id } };
    return {
      ok: true,
      event: { ...base, kind: 'order', orderId: data.order.id, version: orderVersionOf(data.order), order: data.order },
    };
  }
  if ('product' in data) {
    const kind = data.event === 'product_deleted' ? 'productDeleted' : 'product';
    return { ok: true, event: { ...base, kind, productId: data.product.id } };
  }
  if ('cart' in data) return { ok: true, event: { ...base, kind: 'cart', cart: data.cart } };
  const email = normaliseEmail(data.client.email);
  if (!email) return { ok: false, status: 400, reason: `${eventName}: the client e-mail is missing or invalid` };
  const customerId = customerIdOf(email);
  if (data.event === 'newsletter_subscribed' || data.event === 'newsletter_unsubscribed') {
    return {
      ok: true,
      event: {
        ...base,
        kind: 'newsletter',
        customerId,
        email,
        name: data.client.name,
        subscribed: data.event === 'newsletter_subscribed',
      },
    };
  }
  return {
    ok: true,
    event: { ...base, kind: data.event === 'client_deleted' ? 'clientDeleted' : 'client', customerId },
  };
}

function productIdOf(body: unknown): number | undefined {
  const product = typeof body === 'object' && body !== null ? (body as { product?: unknown }).product : undefined;
  const id = typeof product === 'object' && product !== null ? (product as { id?: unknown }).id : undefined;
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
