import { z } from 'zod';
import {
  ShopimindEventTriggerSchema,
  type ShopimindEventDeclare,
  type ShopimindEventTrigger,
} from '../shopimind/schemas';
import type { ShopkitAbandonedCart, ShopkitOrder } from '../shopkit/schemas';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { roundMoney } from './money';
import { normaliseEmail } from './customer-identity';
import { cleanText, displayText } from './text';
import { toUtcIso } from './timestamps';

/**
 * ShopiMind events fired from Shopkit webhooks that no resource upsert expresses: an abandoned cart and a failed
 * payment. The contact is matched by e-mail (the trigger has no customer-id resolver,
 * docs/shopimind-api-notes.md#events).
 */

type EventPropertyType = 'bool' | 'text' | 'longtext' | 'number' | 'decimal' | 'date' | 'json';

interface EventProperty {
  name: string;
  type: EventPropertyType;
  required: boolean;
  description: string;
}

/**
 * The nesting of `properties` is undocumented (docs/shopimind-api-notes.md#events); this declares the target and the
 * `metaData` fields with the documented attributes (name, type, required, description).
 */
function declareEvent(name: string, codeName: string, metaData: readonly EventProperty[]): ShopimindEventDeclare {
  return { name, code_name: codeName, properties: { target: 'contact', metaData } };
}

const CART_PROPERTIES = [
  { name: 'cart_id', type: 'text', required: true, description: 'Shopkit cart id' },
  { name: 'cart_url', type: 'text', required: false, description: 'Link that restores the cart' },
  { name: 'total', type: 'decimal', required: true, description: 'Cart total' },
  { name: 'currency', type: 'text', required: true, description: 'ISO 4217 currency' },
  { name: 'item_count', type: 'number', required: true, description: 'Units in the cart' },
  {
    name: 'products',
    type: 'json',
    required: true,
    description: 'Lines: product_id, variation_id, name, quantity, price',
  },
  { name: 'abandoned_at', type: 'text', required: false, description: 'UTC ISO time of the last cart change' },
] as const satisfies readonly EventProperty[];

const PAYMENT_FAILED_PROPERTIES = [
  { name: 'order_id', type: 'text', required: true, description: 'Shopkit order id (ShopiMind order_id)' },
  { name: 'amount', type: 'decimal', required: true, description: 'Order total' },
  { name: 'currency', type: 'text', required: true, description: 'ISO 4217 currency' },
  { name: 'payment_method', type: 'text', required: false, description: 'Shopkit payment method key' },
  { name: 'payment_title', type: 'text', required: false, description: 'Payment method as shown to the buyer' },
  { name: 'order_url', type: 'text', required: false, description: 'Storefront order page' },
  { name: 'status_id', type: 'text', required: true, description: 'Order status alias' },
  { name: 'created_at', type: 'text', required: true, description: 'UTC ISO order creation time' },
] as const satisfies readonly EventProperty[];

export const CART_ABANDONED_EVENT = declareEvent('Shopkit abandoned cart', 'cart_abandoned', CART_PROPERTIES);
export const ORDER_PAYMENT_FAILED_EVENT = declareEvent(
  'Shopkit order payment failed',
  'order_payment_failed',
  PAYMENT_FAILED_PROPERTIES,
);

/** A trigger for one event, with the `code_name` that goes into the trigger URL. */
export interface EventTrigger {
  codeName: string;
  body: ShopimindEventTrigger;
}

const PROPERTY_VALUE: Record<EventPropertyType, z.ZodType> = {
  bool: z.boolean(),
  text: z.string(),
  longtext: z.string(),
  number: z.number(),
  decimal: z.number(),
  date: z.iso.date(),
  json: z.unknown(),
};

/** Checks a trigger against ShopiMind's body schema and the declared `metaData`, so a bad trigger fails here. */
function triggerSchemaFor(properties: readonly EventProperty[]): z.ZodType<EventTrigger> {
  const shape: Record<string, z.ZodType> = {};
  for (const property of properties) {
    const value = PROPERTY_VALUE[property.type];
    shape[property.name] = property.required
      ? value.refine((v) => v !== undefined, 'is required')
      : value.nullable().optional();
  }
  return z.object({
    codeName: z.string(),
    body: ShopimindEventTriggerSchema.and(z.object({ metaData: z.object(shape) })),
  });
}

const CartTriggerSchema = triggerSchemaFor(CART_PROPERTIES);
const PaymentFailedTriggerSchema = triggerSchemaFor(PAYMENT_FAILED_PROPERTIES);

export type EventTriggerContext = Pick<MappingConfig, 'timezone'>;

/** `cart_abandoned` webhooks → `cart_abandoned` triggers. */
export function mapCartAbandonedTriggers(
  carts: readonly ShopkitAbandonedCart[],
  ctx: EventTriggerContext,
): MappingResult<EventTrigger> {
  return mapEach(carts, {
    schema: CartTriggerSchema,
    sourceId: (cart) => `cart ${cart.id}`,
    map: (cart) => ({
      codeName: CART_ABANDONED_EVENT.code_name,
      body: {
        contact: { email: normaliseEmail(cart.client.email) ?? reject('cart e-mail is missing or invalid') },
        metaData: {
          cart_id: String(cart.id),
          cart_url: cleanText(cart.url) || null,
          total: roundMoney(cart.total),
          currency: cleanText(cart.currency),
          item_count: cart.products.reduce((sum, line) => sum + line.quantity, 0),
          products: cart.products.map((line) => ({
            product_id: line.id,
            variation_id: line.option_id,
            name: displayText(line.title),
            quantity: line.quantity,
            price: roundMoney(line.price),
          })),
          abandoned_at: toUtcIso(cart.updated_at ?? cart.created_at, ctx.timezone),
        },
      },
    }),
  });
}

/** `order_payment_failed` webhooks → `order_payment_failed` triggers (the order itself is upserted as usual). */
export function mapOrderPaymentFailedTriggers(
  orders: readonly ShopkitOrder[],
  ctx: EventTriggerContext,
): MappingResult<EventTrigger> {
  return mapEach(orders, {
    schema: PaymentFailedTriggerSchema,
    sourceId: (order) => `order ${order.id}`,
    map: (order) => ({
      codeName: ORDER_PAYMENT_FAILED_EVENT.code_name,
      body: {
        contact: { email: normaliseEmail(order.client.email) ?? reject('order client e-mail is missing or invalid') },
        metaData: {
          order_id: String(order.id),
          amount: roundMoney(order.total),
          currency: cleanText(order.currency),
          payment_method: cleanText(order.payment.method ?? order.payment.type) || null,
          payment_title: cleanText(order.payment.title ?? order.payment.description) || null,
          order_url: cleanText(order.permalink) || null,
          status_id: order.status_alias,
          created_at: toUtcIso(order.created_at, ctx.timezone) ?? reject('order created_at is not a timestamp'),
        },
      },
    }),
  });
}
