/**
 * The sandbox's Shopkit store: generated entities under a mutation overlay, plus the mutations a
 * merchant or shopper would cause, each one bumping the entity's modification time and emitting
 * the webhooks Shopkit would send (docs/shopkit-api-notes.md#webhook-payloads), in the webhook payload shapes.
 */
import { createHash } from 'node:crypto';
import { SHOPKIT_ORDER_STATUSES, type ShopkitEventName } from '../shopkit/schemas';
import { EntityCollection } from './shopkit-entity-collection';
import type { DeliveryOptions, ShopkitWebhookSender } from './shopkit-webhook-sender';
import { localIso, SHOPKIT_ID_BASE, type ShopkitStoreGenerator, type WireObject } from './store-generator';

export const SANDBOX_RESOURCES = ['products', 'categories', 'brands', 'orders', 'clients', 'coupons'] as const;
export type SandboxResource = (typeof SANDBOX_RESOURCES)[number];
export type MutableResource = 'orders' | 'clients' | 'products';

export interface MutationOptions extends DeliveryOptions {
  /** Emit these events instead of the ones the change implies (e.g. `order_tag_added`). */
  events?: ShopkitEventName[];
  /** Apply the change without any webhook. */
  silent?: boolean;
}

export interface MutationResult {
  entity: WireObject;
  events: ShopkitEventName[];
  deliveries: number;
}

/** Order status → the dedicated event Shopkit sends besides `order_change_status`. */
const STATUS_EVENTS: Partial<Record<string, ShopkitEventName>> = {
  sent: 'order_sent',
  canceled: 'order_canceled',
  delivered: 'order_delivered',
  returned: 'order_returned',
  pickup_available: 'order_pickup_available',
  waiting_shipment: 'order_waiting_shipment',
};

/** Webhooks carry the status label in the store language (docs/shopkit-api-notes.md#webhook-payloads). */
const STATUS_LABELS_PT: Record<string, string> = {
  pending: 'Pendente',
  processing: 'Em processamento',
  sent: 'Enviada',
  canceled: 'Cancelada',
  waiting_confirmation: 'Aguarda confirmação',
  waiting_payment: 'Aguarda pagamento',
  waiting_stock: 'Aguarda stock',
  delivered: 'Entregue',
  returned: 'Devolvida',
  pickup_available: 'Disponível para levantamento',
  waiting_shipment: 'Aguarda envio',
};

/** The key each resource stores its modification time under, and in which format. */
const MODIFIED_AT: Record<MutableResource, { key: string; unix: boolean }> = {
  orders: { key: 'update_at', unix: false },
  products: { key: 'updated_at', unix: false },
  // Clients have no modification field; `last_seen_at` (Unix seconds) is the one that moves.
  clients: { key: 'last_seen_at', unix: true },
};

export class ShopkitSandboxStore {
  readonly collections: Record<SandboxResource, EntityCollection>;
  /** Buyer of each order created through the sandbox (generated orders derive it from the generator). */
  private readonly createdOrderClients = new Map<number, number>();

  constructor(
    readonly generator: ShopkitStoreGenerator,
    private readonly webhooks: ShopkitWebhookSender,
    private readonly clock: () => number = Date.now,
  ) {
    const { sizes } = generator;
    const collection = (count: number, firstId: number, generate: (i: number) => WireObject) =>
      new EntityCollection(count, firstId, generate);
    this.collections = {
      products: collection(sizes.products, SHOPKIT_ID_BASE.product, (i) => generator.product(i)),
      categories: collection(sizes.categories, SHOPKIT_ID_BASE.category, (i) => generator.category(i)),
      brands: collection(sizes.brands, SHOPKIT_ID_BASE.brand, (i) => generator.brand(i)),
      orders: collection(sizes.orders, SHOPKIT_ID_BASE.order, (i) => generator.order(i)),
      clients: collection(sizes.clients, SHOPKIT_ID_BASE.client, (i) => generator.client(i)),
      coupons: collection(sizes.coupons, SHOPKIT_ID_BASE.coupon, (i) => generator.coupon(i)),
    };
  }

  counts(): Record<SandboxResource, number> {
    const entries = SANDBOX_RESOURCES.map((resource) => [resource, this.collections[resource].size] as const);
    return Object.fromEntries(entries) as Record<SandboxResource, number>;
  }

  /** Creates an entity from generated defaults overridden by `fields`. */
  create(resource: MutableResource, fields: WireObject = {}, options: MutationOptions = {}): MutationResult {
    const collection = this.collections[resource];
    const { id, index } = collection.reserveId();
    // A created entity starts as what the generator would make at its index, so it is complete and valid.
    const generated: Record<MutableResource, (i: number) => WireObject> = {
      products: (i) => this.generator.product(i),
      clients: (i) => this.generator.client(i),
      orders: (i) => this.generator.order(i),
    };
    const now = this.clock();
    const entity: WireObject & { id: number } = { ...generated[resource](index), ...fields, id };
    if (resource === 'orders') {
      entity.created_at = localIso(now);
      const clientId = Number(fields.client_id ?? SHOPKIT_ID_BASE.client + (index % this.generator.sizes.clients));
      delete entity.client_id;
      this.createdOrderClients.set(id, clientId);
      const client = this.collections.clients.get(clientId);
      if (client) entity.client = { ...(entity.client as WireObject), ...buyerOf(client) };
    } else if (resource === 'products') {
      entity.created_at = localIso(now);
    } else {
      entity.created_at = Math.floor(now / 1000);
    }
    this.stamp(resource, entity, undefined);
    collection.put(entity);
    const event = { orders: 'order_created', clients: 'client_created', products: 'product_created' } as const;
    return this.notify(resource, entity, [event[resource]], options);
  }

  /** Merges `patch` into the entity (any key, so tests can also break the schema) and bumps its time. */
  update(
    resource: MutableResource,
    id: number,
    patch: WireObject,
    options: MutationOptions = {},
  ): MutationResult | undefined {
    const before = this.collections[resource].get(id);
    if (before === undefined) return undefined;
    const entity: WireObject & { id: number } = { ...before, ...patch, id };
    if (resource === 'orders' && typeof patch.status_alias === 'string' && patch.status === undefined) {
      entity.status = SHOPKIT_ORDER_STATUSES.indexOf(patch.status_alias as never) + 1;
    }
    this.stamp(resource, entity, before);
    this.collections[resource].put(entity);
    return this.notify(resource, entity, impliedUpdateEvents(resource, before, entity), options);
  }

  remove(resource: MutableResource, id: number, options: MutationOptions = {}): MutationResult | undefined {
    const entity = this.collections[resource].remove(id);
    if (entity === undefined) return undefined;
    const event = { orders: 'order_deleted', clients: 'client_deleted', products: 'product_deleted' } as const;
    return this.notify(resource, entity, [event[resource]], options);
  }

  /** A client (un)subscribing: `newsletter_(un)subscribed` with the short envelope, then `client_updated`. */
  setNewsletter(clientId: number, subscribed: boolean, options: MutationOptions = {}): MutationResult | undefined {
    const result = this.update('clients', clientId, { accepts_marketing: subscribed }, { ...options, silent: true });
    if (result === undefined) return undefined;
    const event = subscribed ? 'newsletter_subscribed' : 'newsletter_unsubscribed';
    const { name, email } = result.entity as { name: string; email: string };
    // The documented example's hash is 40 hex characters, not the client hash.
    const short = { client: { name, email, hash: createHash('sha1').update(email).digest('hex') } };
    const events: ShopkitEventName[] = options.events ?? [event, 'client_updated'];
    if (options.silent) return { entity: result.entity, events: [], deliveries: 0 };
    let deliveries = 0;
    for (const name of events) {
      const body = name.startsWith('newsletter_') ? short : { client: toWebhookClient(result.entity) };
      deliveries += this.webhooks.emit(name, body, options);
    }
    return { entity: result.entity, events, deliveries };
  }

  /**
   * A shopper leaving a cart: `cart_abandoned` (undocumented envelope; the sandbox's choice is
   * `ShopkitAbandonedCartSchema`). Lines are the given products' first variants.
   */
  abandonCart(clientId: number, productIds: number[], options: MutationOptions = {}): MutationResult | undefined {
    const client = this.collections.clients.get(clientId);
    if (client === undefined) return undefined;
    const products = productIds.map((id) => this.collections.products.get(id)).filter((p) => p !== undefined);
    const now = localIso(this.clock());
    const lines = products.map((product) => {
      const variant = (product.options as WireObject[] | undefined)?.[0];
      return {
        id: product.id,
        option_id: variant?.id ?? null,
        title: product.title,
        option: variant?.title ?? null,
        quantity: 1,
        price: Number(variant?.price ?? product.price),
      };
    });
    const cart: WireObject = {
      id: this.clock() % 1_000_000_000,
      client: { name: client.name, email: client.email, hash: client.hash },
      products: lines,
      total: lines.reduce((sum, line) => sum + line.price, 0),
      currency: 'EUR',
      url: `${this.generator.storefront}/cart/recover/${String(client.hash)}`,
      created_at: now,
      updated_at: now,
    };
    const events = options.events ?? ['cart_abandoned'];
    const deliveries = options.silent
      ? 0
      : events.reduce((n, name) => n + this.webhooks.emit(name, { cart }, options), 0);
    return { entity: cart, events, deliveries };
  }

  /** Buyer id of an order (the order webhook carries it; API orders do not). */
  orderClientId(orderId: number): number | undefined {
    const created = this.createdOrderClients.get(orderId);
    if (created !== undefined) return created;
    const index = orderId - SHOPKIT_ID_BASE.order;
    if (index < 0 || index >= this.generator.sizes.orders) return undefined;
    const buyer = this.generator.orderReferences(index).clientIndex;
    return this.generator.isGuestBuyer(buyer) ? undefined : SHOPKIT_ID_BASE.client + buyer;
  }

  /** Moves the modification time forward: now, and always at least one second past the previous value. */
  private stamp(resource: MutableResource, entity: WireObject, before: WireObject | undefined): void {
    const { key, unix } = MODIFIED_AT[resource];
    const previousMs = before === undefined ? 0 : timeOf(before[key]);
    const ms = Math.max(this.clock(), previousMs + 1000);
    entity[key] = unix ? Math.floor(ms / 1000) : localIso(ms);
  }

  private notify(
    resource: MutableResource,
    entity: WireObject,
    implied: ShopkitEventName[],
    options: MutationOptions,
  ): MutationResult {
    const events = options.events ?? implied;
    if (options.silent) return { entity, events: [], deliveries: 0 };
    const body =
      resource === 'orders'
        ? { order: this.toWebhookOrder(entity) }
        : resource === 'clients'
          ? { client: toWebhookClient(entity) }
          : { product: entity };
    const deliveries = events.reduce((n, name) => n + this.webhooks.emit(name, body, options), 0);
    return { entity, events, deliveries };
  }

  /**
   * The order webhook's differences (docs/shopkit-api-notes.md#webhook-payloads): string buyer id, numeric method id,
   * localised status.
   */
  private toWebhookOrder(order: WireObject): WireObject {
    const clientId = this.orderClientId(Number(order.id));
    const methodId = Number(order.shipment_method_id);
    return {
      ...order,
      status_description: STATUS_LABELS_PT[String(order.status_alias)] ?? order.status_description,
      shipment_method_id: Number.isFinite(methodId) ? methodId : undefined,
      client: { ...(order.client as WireObject), ...(clientId === undefined ? {} : { id: String(clientId) }) },
    };
  }
}

function impliedUpdateEvents(resource: MutableResource, before: WireObject, after: WireObject): ShopkitEventName[] {
  if (resource === 'clients') return ['client_updated'];
  if (resource === 'products') {
    const stockChanged = JSON.stringify(before.stock) !== JSON.stringify(after.stock);
    return stockChanged ? ['product_updated', 'product_updated_stock'] : ['product_updated'];
  }
  const events: ShopkitEventName[] = ['order_updated'];
  if (before.status_alias !== after.status_alias) {
    events.push('order_change_status');
    const dedicated = STATUS_EVENTS[String(after.status_alias)];
    if (dedicated) events.push(dedicated);
  }
  if (!before.paid && after.paid) events.push('order_paid');
  return events;
}

/**
 * The client webhook's shape (docs/shopkit-api-notes.md#webhook-payloads): no id/hash/type/summary,
 * `subscribe_newsletter`, `[]` tags.
 */
function toWebhookClient(client: WireObject): WireObject {
  const { id: _id, hash: _hash, type: _type, is_registered: _r, is_deleted: _d, orders_summary: _s, ...rest } = client;
  const { accepts_marketing, l10n: _l10n, cart: _cart, wishlist: _wishlist, initials: _initials, ...fields } = rest;
  const billing = { ...(client.billing as WireObject) };
  delete billing.same_as_delivery;
  return {
    ...fields,
    locale: 'pt_PT',
    subscribe_newsletter: accepts_marketing,
    ip_address: '192.0.2.10',
    tags: Array.isArray(client.tags) ? client.tags : [],
    billing,
  };
}

function buyerOf(client: WireObject): WireObject {
  return {
    hash: client.hash,
    name: client.name,
    email: client.email,
    is_registered: client.type === 'registered',
    delivery: client.delivery,
    billing: client.billing,
  };
}

function timeOf(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? 0 : ms;
  }
  return 0;
}
