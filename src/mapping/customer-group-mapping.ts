import { ShopimindCustomersGroupSchema, type ShopimindCustomersGroup } from '../shopimind/schemas';
import type { ShopkitClient } from '../shopkit/schemas';
import { labelIn, type Labels, type MappingConfig } from './mapping-context';
import { mapEach, type MappingResult } from './mapping-result';

/**
 * Shopkit has no customer groups; these fixed seeds encode `client.wholesale`
 * (docs/mapping-decisions.md#customer-groups, D18).
 */
export const CUSTOMER_GROUPS = {
  retail: { en: 'Retail', pt: 'Retalho' },
  wholesale: { en: 'Wholesale / B2B', pt: 'Revenda / B2B' },
  wholesale_pending: { en: 'Wholesale request pending', pt: 'Pedido de revenda pendente' },
} as const satisfies Record<string, Labels>;

export type CustomerGroupId = keyof typeof CUSTOMER_GROUPS;

export type CustomerGroupContext = Pick<MappingConfig, 'defaultLang' | 'seedTimestamp' | 'dataSourceId'>;

/** The three group rows, timestamped with the installation seed so re-pushes are identical (D36). */
export function mapCustomerGroups(ctx: CustomerGroupContext): MappingResult<ShopimindCustomersGroup> {
  const groups = Object.entries(CUSTOMER_GROUPS) as [CustomerGroupId, Labels][];
  return mapEach(groups, {
    schema: ShopimindCustomersGroupSchema,
    sourceId: ([groupId]) => groupId,
    map: ([groupId, labels]) => ({
      group_id: groupId,
      lang: ctx.defaultLang,
      name: labelIn(labels, ctx.defaultLang),
      created_at: ctx.seedTimestamp,
      updated_at: ctx.seedTimestamp,
      id_data_source: ctx.dataSourceId,
    }),
  });
}

/** `client.wholesale`: `true` → wholesale, `"pending"` → wholesale_pending, `false` → retail. */
export function customerGroupOf(wholesale: ShopkitClient['wholesale']): CustomerGroupId {
  if (wholesale === 'pending') return 'wholesale_pending';
  return wholesale ? 'wholesale' : 'retail';
}
