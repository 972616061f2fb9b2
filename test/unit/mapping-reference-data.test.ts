import {
  carrierIdOf,
  isOrderConfirmed,
  mapCarriers,
  mapCustomerGroups,
  mapOrderStatuses,
  mapShipmentMethodCarriers,
  SEED_CARRIERS,
} from '../../src/mapping';
import { ShopkitOrderSchema } from '../../src/shopkit/schemas';
import { ctx, rawOrder1337 } from './mapping-fixtures';

describe('customer groups', () => {
  it('seeds the three groups in the default language with the installation timestamp', () => {
    const { items, rejected } = mapCustomerGroups(ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        group_id: 'retail',
        lang: 'pt',
        name: 'Retalho',
        created_at: ctx.seedTimestamp,
        updated_at: ctx.seedTimestamp,
        id_data_source: 42,
      },
      {
        group_id: 'wholesale',
        lang: 'pt',
        name: 'Revenda / B2B',
        created_at: ctx.seedTimestamp,
        updated_at: ctx.seedTimestamp,
        id_data_source: 42,
      },
      {
        group_id: 'wholesale_pending',
        lang: 'pt',
        name: 'Pedido de revenda pendente',
        created_at: ctx.seedTimestamp,
        updated_at: ctx.seedTimestamp,
        id_data_source: 42,
      },
    ]);
  });

  it('uses English labels for other languages and rejects an invalid seed timestamp', () => {
    expect(mapCustomerGroups({ ...ctx, defaultLang: 'fr' }).items.map((g) => g.name)).toEqual([
      'Retail',
      'Wholesale / B2B',
      'Wholesale request pending',
    ]);
    const { items, rejected } = mapCustomerGroups({ ...ctx, seedTimestamp: 'yesterday' });
    expect(items).toEqual([]);
    expect(rejected.map((r) => r.sourceId)).toEqual(['retail', 'wholesale', 'wholesale_pending']);
    expect(rejected[0]?.reasons[0]).toMatch(/^created_at: /);
  });
});

describe('order statuses', () => {
  it('pushes the 11 statuses (never `all`) with fixed labels', () => {
    const { items, rejected } = mapOrderStatuses(ctx);
    expect(rejected).toEqual([]);
    expect(items.map((s) => s.status_id)).toEqual([
      'pending',
      'processing',
      'sent',
      'canceled',
      'waiting_confirmation',
      'waiting_payment',
      'waiting_stock',
      'delivered',
      'returned',
      'pickup_available',
      'waiting_shipment',
    ]);
    expect(items[2]).toEqual({
      status_id: 'sent',
      lang: 'pt',
      name: 'Enviada',
      is_deleted: false,
      created_at: ctx.seedTimestamp,
      updated_at: ctx.seedTimestamp,
      id_data_source: 42,
    });
    expect(mapOrderStatuses({ ...ctx, defaultLang: 'en' }).items[9]?.name).toBe('Ready for pickup');
  });

  it('confirms paid or progressed orders, never canceled or returned ones (D10)', () => {
    expect(isOrderConfirmed('pending', true)).toBe(true);
    expect(isOrderConfirmed('pending', false)).toBe(false);
    expect(isOrderConfirmed('waiting_payment', false)).toBe(false);
    expect(isOrderConfirmed('waiting_shipment', false)).toBe(true);
    expect(isOrderConfirmed('sent', false)).toBe(true);
    expect(isOrderConfirmed('canceled', true)).toBe(false);
    expect(isOrderConfirmed('returned', true)).toBe(false);
  });
});

describe('carriers', () => {
  it('maps the 16 seed carriers as active rows with seed timestamps', () => {
    const { items, rejected } = mapCarriers(SEED_CARRIERS, ctx);
    expect(rejected).toEqual([]);
    expect(items).toHaveLength(16);
    expect(items.find((c) => c.carrier_id === 'vasp')).toEqual({
      carrier_id: 'vasp',
      name: 'VASP Expresso',
      is_active: true,
      created_at: ctx.seedTimestamp,
      updated_at: ctx.seedTimestamp,
      id_data_source: 42,
    });
  });

  it('normalises aliases (asp → vasp), falls back to the alias as name, deactivates on request, rejects empty aliases', () => {
    const { items, rejected } = mapCarriers(
      [
        { alias: ' ASP ', title: '' },
        { alias: '  ', title: 'Nobody' },
      ],
      ctx,
      { isActive: false },
    );
    expect(items).toEqual([expect.objectContaining({ carrier_id: 'vasp', name: 'vasp', is_active: false })]);
    expect(rejected).toEqual([{ sourceId: '(no alias)', reasons: ['carrier alias is empty'] }]);
  });

  it('derives the order carrier: tracking alias, else method row, else null (D11)', () => {
    expect(carrierIdOf({ tracking_carrier: 'CTT', shipment_method_id: 492 })).toBe('ctt');
    expect(carrierIdOf({ tracking_carrier: '', shipment_method_id: 492 })).toBe('method-492');
    expect(carrierIdOf({ tracking_carrier: ' ', shipment_method_id: null })).toBeNull();
  });

  it('creates one lazy method row per shipping method, named after the latest order', () => {
    const order = (id: number, method: string, methodId: string | number, updated: string, tracking = '') =>
      ShopkitOrderSchema.parse({
        ...rawOrder1337(),
        id,
        shipment_method: method,
        shipment_method_id: methodId,
        update_at: updated,
        tracking_carrier: tracking,
      });
    const { items, rejected } = mapShipmentMethodCarriers(
      [
        order(1, 'Transportadora nova', '492', '2024-03-01T10:00:00+00:00'),
        order(2, 'Transportadora', 492, '2024-01-01T10:00:00+00:00'),
        order(3, '', 7, '2024-01-01T10:00:00+00:00'),
        order(4, 'Ignored', 8, '2024-01-01T10:00:00+00:00', 'dpd'),
      ],
      ctx,
    );
    expect(rejected).toEqual([]);
    expect(items.map((c) => [c.carrier_id, c.name])).toEqual([
      ['method-492', 'Transportadora nova'],
      ['method-7', 'Shipping method 7'],
    ]);
  });
});
