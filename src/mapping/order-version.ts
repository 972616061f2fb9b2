import type { ShopkitOrder } from '../shopkit/schemas';
import { DEFAULT_MAPPING_CONFIG } from './mapping-context';
import { toUtcIso } from './timestamps';

/**
 * An order's newest-wins ordering key: its `update_at` as epoch ms (0 when Shopkit sent none). The
 * gateway stamps events with it and the sync activities report what they wrote with it, so both sides
 * of the comparison are computed the same way.
 */
export function orderVersionOf(order: Pick<ShopkitOrder, 'updated_at'>): number {
  const iso = toUtcIso(order.updated_at, DEFAULT_MAPPING_CONFIG.timezone);
  const ms = iso === null ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
