import { createHash } from 'node:crypto';
import type { ShopkitClient } from '../shopkit/schemas';

/** Trimmed, lower-cased e-mail; `null` when empty or without `@` (such customers are rejected). */
export function normaliseEmail(email: string | null | undefined): string | null {
  const text = typeof email === 'string' ? email.trim().toLowerCase() : '';
  return text.includes('@') ? text : null;
}

/**
 * ShopiMind `customer_id` = MD5 hex of the normalised e-mail (D1); equals Shopkit's client `hash`, so guests
 * and registered clients share one key and orders need no client lookup.
 */
export function customerIdOf(normalisedEmail: string): string {
  return createHash('md5').update(normalisedEmail, 'utf8').digest('hex');
}

/** Names a client in rejections by id, else by customer id; never by e-mail (rejections reach workflow history). */
export function clientSourceId(client: Pick<ShopkitClient, 'id' | 'email'>): string {
  if (client.id !== null) return `client ${client.id}`;
  const email = normaliseEmail(client.email);
  return email ? `customer ${customerIdOf(email)}` : '(client without id or e-mail)';
}
