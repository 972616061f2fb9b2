import { ShopimindOrdersStatusSchema, type ShopimindOrdersStatus } from '../shopimind/schemas';
import { SHOPKIT_ORDER_STATUSES, type ShopkitOrderStatus } from '../shopkit/schemas';
import { labelIn, type Labels, type MappingConfig } from './mapping-context';
import { mapEach, type MappingResult } from './mapping-result';

interface OrderStatusInfo {
  labels: Labels;
  /** The merchant has accepted the order once it reaches this status, paid or not (D10). */
  confirmedByStatus: boolean;
  /** Voids the order whatever `paid` says. */
  voided?: true;
}

/**
 * docs/mapping-decisions.md#order-statuses. Code 0 / `all` is a query filter and is never pushed (D9), so it has no
 * row.
 */
export const ORDER_STATUSES: Readonly<Record<ShopkitOrderStatus, OrderStatusInfo>> = {
  pending: { labels: { en: 'Pending', pt: 'Pendente' }, confirmedByStatus: false },
  processing: { labels: { en: 'Processing', pt: 'Em processamento' }, confirmedByStatus: true },
  sent: { labels: { en: 'Sent', pt: 'Enviada' }, confirmedByStatus: true },
  canceled: { labels: { en: 'Canceled', pt: 'Cancelada' }, confirmedByStatus: false, voided: true },
  waiting_confirmation: {
    labels: { en: 'Awaiting confirmation', pt: 'A aguardar confirmação' },
    confirmedByStatus: false,
  },
  waiting_payment: { labels: { en: 'Awaiting payment', pt: 'A aguardar pagamento' }, confirmedByStatus: false },
  waiting_stock: { labels: { en: 'Awaiting stock', pt: 'A aguardar stock' }, confirmedByStatus: true },
  delivered: { labels: { en: 'Delivered', pt: 'Entregue' }, confirmedByStatus: true },
  returned: { labels: { en: 'Returned', pt: 'Devolvida' }, confirmedByStatus: false, voided: true },
  pickup_available: {
    labels: { en: 'Ready for pickup', pt: 'Disponível para levantamento' },
    confirmedByStatus: true,
  },
  waiting_shipment: { labels: { en: 'Awaiting shipment', pt: 'A aguardar envio' }, confirmedByStatus: true },
};

export type OrderStatusContext = Pick<MappingConfig, 'defaultLang' | 'seedTimestamp' | 'dataSourceId'>;

/**
 * The 11 status rows, labelled from the fixed table, never from the localised `status_description`
 * (docs/mapping-decisions.md#order-statuses).
 */
export function mapOrderStatuses(ctx: OrderStatusContext): MappingResult<ShopimindOrdersStatus> {
  return mapEach(SHOPKIT_ORDER_STATUSES, {
    schema: ShopimindOrdersStatusSchema,
    sourceId: (alias) => alias,
    map: (alias) => ({
      status_id: alias,
      lang: ctx.defaultLang,
      name: labelIn(ORDER_STATUSES[alias].labels, ctx.defaultLang),
      is_deleted: false,
      created_at: ctx.seedTimestamp,
      updated_at: ctx.seedTimestamp,
      id_data_source: ctx.dataSourceId,
    }),
  });
}

/** D10: never when canceled/returned; otherwise when paid or in a status reached only after acceptance. */
export function isOrderConfirmed(status: ShopkitOrderStatus, paid: boolean): boolean {
  const info = ORDER_STATUSES[status];
  return !info.voided && (paid || info.confirmedByStatus);
}
