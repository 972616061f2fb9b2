import type { z } from 'zod';
import {
  customDataRecordSchemaFor,
  type ShopimindCustomDataDefinition,
  type ShopimindCustomDataRecord,
} from '../shopimind/schemas';
import type { ShopkitClient } from '../shopkit/schemas';
import { customerGroupOf, type CustomerGroupId } from './customer-group-mapping';
import { clientSourceId, customerIdOf, normaliseEmail } from './customer-identity';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { roundMoney } from './money';
import { cleanText, optionalText } from './text';
import { latestIso, toUtcIso } from './timestamps';

/**
 * "Shopkit customer profile" custom data: the client facts ShopiMind customers have no field for (fiscal id,
 * company, wholesale status, tags, consent, order totals). Records attach to the contact through the shop's
 * customer id and upsert on `customer_id`. Tags live here rather than as groups (D33).
 */
export const CUSTOMER_PROFILE_DEFINITION = {
  name: 'Shopkit customer profile',
  description: 'Client facts from Shopkit that ShopiMind customers have no field for.',
  unique_keys: ['customer_id'],
  fields: [
    { name: 'customer_id', label: 'Customer id', type: 'text', required: true },
    { name: 'contact', label: 'Contact', type: 'number', required: true },
    { name: 'fiscal_id', label: 'Fiscal id (NIF/VAT)', type: 'text', required: false },
    { name: 'company', label: 'Company', type: 'text', required: false },
    {
      name: 'wholesale_status',
      label: 'Wholesale status',
      type: 'list',
      required: true,
      options: ['retail', 'wholesale', 'wholesale_pending'],
    },
    { name: 'tags', label: 'Tags', type: 'text', required: false, description: 'Comma-separated client tags' },
    { name: 'accepts_marketing', label: 'Accepts marketing', type: 'bool', required: true },
    { name: 'orders_paid_count', label: 'Paid orders', type: 'number', required: false },
    { name: 'orders_paid_value', label: 'Paid orders value', type: 'decimal', required: false },
    { name: 'orders_unpaid_count', label: 'Unpaid orders', type: 'number', required: false },
    { name: 'orders_unpaid_value', label: 'Unpaid orders value', type: 'decimal', required: false },
    { name: 'orders_total_count', label: 'Orders', type: 'number', required: false },
    { name: 'orders_total_value', label: 'Orders value', type: 'decimal', required: false },
    { name: 'updated_at', label: 'Updated at', type: 'datetime', required: true },
  ],
  relationships: [
    { sourceField: 'contact', targetSchemaType: 'system', targetSchema: 'contacts', targetField: 'id_contact' },
  ],
} as const satisfies ShopimindCustomDataDefinition;

/** The record schema the definition implies, typed as the records this module builds. */
export const CustomerProfileRecordSchema = customDataRecordSchemaFor(
  CUSTOMER_PROFILE_DEFINITION,
) as z.ZodType<CustomerProfileRecord>;

export interface CustomerProfileRecord extends ShopimindCustomDataRecord {
  customer_id: string;
  contact: { by: 'id_customer'; value: string };
  fiscal_id: string | null;
  company: string | null;
  wholesale_status: CustomerGroupId;
  tags: string | null;
  accepts_marketing: boolean;
  updated_at: string;
  orders_paid_count?: number;
  orders_paid_value?: number;
  orders_unpaid_count?: number;
  orders_unpaid_value?: number;
  orders_total_count?: number;
  orders_total_value?: number;
}

export type CustomerProfileContext = Pick<MappingConfig, 'timezone'> & {
  /** Receipt time of the webhook being mapped (webhook clients are otherwise dated like customers, D27). */
  observedAt?: string;
};

/**
 * One profile record per non-deleted client. Webhook clients carry no `orders_summary`: the order fields are
 * then omitted rather than nulled, so a webhook does not blank totals an API scan recorded.
 */
export function mapCustomerProfiles(
  clients: readonly ShopkitClient[],
  ctx: CustomerProfileContext,
): MappingResult<CustomerProfileRecord> {
  return mapEach(
    clients.filter((client) => !client.is_deleted),
    {
      schema: CustomerProfileRecordSchema,
      sourceId: clientSourceId,
      map: (client) => {
        const email = normaliseEmail(client.email) ?? reject('client e-mail is missing or invalid');
        const customerId = customerIdOf(email);
        const updatedAt =
          latestIso(
            toUtcIso(client.last_seen_at, ctx.timezone),
            toUtcIso(client.created_at, ctx.timezone),
            ctx.observedAt,
          ) ?? reject('client has neither created_at nor last_seen_at');
        const tags = client.tags.map((tag) => cleanText(tag)).filter((tag) => tag !== '');
        const summary = client.orders_summary;
        return {
          customer_id: customerId,
          contact: { by: 'id_customer', value: customerId },
          fiscal_id: optionalText(client.fiscal_id),
          company: optionalText(client.company),
          wholesale_status: customerGroupOf(client.wholesale),
          tags: tags.length > 0 ? tags.join(', ') : null,
          accepts_marketing: client.accepts_marketing,
          updated_at: updatedAt,
          ...(summary && {
            orders_paid_count: summary.paid_count,
            orders_paid_value: roundMoney(summary.paid_value),
            orders_unpaid_count: summary.unpaid_count,
            orders_unpaid_value: roundMoney(summary.unpaid_value),
            orders_total_count: summary.total_count,
            orders_total_value: roundMoney(summary.total_value),
          }),
        };
      },
    },
  );
}
