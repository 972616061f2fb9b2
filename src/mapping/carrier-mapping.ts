import { ShopimindOrdersCarrierSchema, type ShopimindOrdersCarrier } from '../shopimind/schemas';
import type { ShopkitCarrier, ShopkitOrder } from '../shopkit/schemas';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { cleanText, displayText } from './text';

/**
 * Shopkit's tracking carriers (docs/mapping-decisions.md#carriers), the seed used when `GET /shipment/carrier` is
 * unavailable.
 */
export const SEED_CARRIERS: readonly ShopkitCarrier[] = [
  { alias: 'correos_express', title: 'Correos Express' },
  { alias: 'ctt', title: 'CTT' },
  { alias: 'dhl_express', title: 'DHL Express' },
  { alias: 'dhl_globalmail', title: 'DHL Global Mail' },
  { alias: 'dhl_parcel', title: 'DHL Parcel' },
  { alias: 'dpd', title: 'DPD' },
  { alias: 'fedex', title: 'FedEx' },
  { alias: 'gls', title: 'GLS' },
  { alias: 'mrw', title: 'MRW' },
  { alias: 'nacex', title: 'Nacex' },
  { alias: 'rangel', title: 'Rangel' },
  { alias: 'seur', title: 'SEUR' },
  { alias: 'tnt', title: 'TNT' },
  { alias: 'ups', title: 'UPS' },
  { alias: 'vasp', title: 'VASP Expresso' },
  { alias: 'other', title: 'Other' },
];

/** Prefix of lazily created rows for store-defined shipping methods; cannot clash with aliases (D11). */
const METHOD_PREFIX = 'method-';

export type CarrierContext = Pick<MappingConfig, 'seedTimestamp' | 'dataSourceId'>;

/**
 * Carrier rows from `GET /shipment/carrier` (or {@link SEED_CARRIERS}). Pass `isActive: false` for aliases
 * that disappeared from the list: orders keep referencing them, so they are deactivated, not deleted.
 */
export function mapCarriers(
  carriers: readonly ShopkitCarrier[],
  ctx: CarrierContext,
  options: { isActive?: boolean } = {},
): MappingResult<ShopimindOrdersCarrier> {
  return mapEach(carriers, {
    schema: ShopimindOrdersCarrierSchema,
    sourceId: (carrier) => cleanText(carrier.alias) || '(no alias)',
    map: (carrier) => {
      const carrierId = carrierAlias(carrier.alias) ?? reject('carrier alias is empty');
      return carrierRow(carrierId, displayText(carrier.title) || carrierId, options.isActive ?? true, ctx);
    },
  });
}

/**
 * The `method-<shipment_method_id>` rows the given orders reference (D11), one per method, named after
 * the most recently updated order; push them before those orders.
 */
export function mapShipmentMethodCarriers(
  orders: readonly ShopkitOrder[],
  ctx: CarrierContext,
): MappingResult<ShopimindOrdersCarrier> {
  const latestByMethod = new Map<string, ShopkitOrder>();
  for (const order of orders) {
    const carrierId = carrierIdOf(order);
    if (!carrierId?.startsWith(METHOD_PREFIX)) continue;
    const seen = latestByMethod.get(carrierId);
    if (!seen || orderRecency(order) > orderRecency(seen)) latestByMethod.set(carrierId, order);
  }
  return mapEach([...latestByMethod], {
    schema: ShopimindOrdersCarrierSchema,
    sourceId: ([carrierId]) => carrierId,
    map: ([carrierId, order]) =>
      carrierRow(
        carrierId,
        displayText(order.shipment_method) || `Shipping method ${order.shipment_method_id ?? ''}`.trim(),
        true,
        ctx,
      ),
  });
}

/** The order's `carrier_id`: its tracking alias, else its shipping method row, else `null` (D11). */
export function carrierIdOf(order: Pick<ShopkitOrder, 'tracking_carrier' | 'shipment_method_id'>): string | null {
  const alias = carrierAlias(order.tracking_carrier);
  if (alias) return alias;
  return order.shipment_method_id === null ? null : `${METHOD_PREFIX}${order.shipment_method_id}`;
}

/** Trimmed, lower-case alias; the shipment filter's typo `asp` means `vasp` (docs/mapping-decisions.md#carriers). */
function carrierAlias(alias: string): string | null {
  const cleaned = cleanText(alias).toLowerCase();
  if (cleaned === '') return null;
  return cleaned === 'asp' ? 'vasp' : cleaned;
}

function carrierRow(carrierId: string, name: string, isActive: boolean, ctx: CarrierContext): ShopimindOrdersCarrier {
  // Seed timestamps on every row keep re-pushes byte-identical (D36).
  return {
    carrier_id: carrierId,
    name,
    is_active: isActive,
    created_at: ctx.seedTimestamp,
    updated_at: ctx.seedTimestamp,
    id_data_source: ctx.dataSourceId,
  };
}

function orderRecency(order: ShopkitOrder): number {
  return Date.parse(order.updated_at ?? order.created_at) || 0;
}
