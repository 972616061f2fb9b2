import type { z } from 'zod';
import {
  customDataRecordSchemaFor,
  idempotencyKey,
  ShopimindEventTriggerSchema,
  shopimindResources,
  validate,
  type ShopimindResourceName,
} from '../../src/shopimind';
import { chunk } from '../../src/shopimind/chunking';
import { fieldTables, sampleItem, setPath, wrongTypeValue, type FieldRow } from './shopimind-field-tables';

/** Widened: the conformance tests feed every schema items of the wrong shape on purpose. */
const schemaOf = (resource: ShopimindResourceName): z.ZodType => shopimindResources[resource].schema;
const resources = Object.keys(fieldTables) as ShopimindResourceName[];
const rowsOf = (resource: ShopimindResourceName) => fieldTables[resource].map((row) => [resource, row] as const);
const allRows = resources.flatMap(rowsOf);

function check(resource: ShopimindResourceName, mutate: (item: Record<string, unknown>) => void) {
  const item = sampleItem(resource) as Record<string, unknown>;
  mutate(item);
  return validate(schemaOf(resource), item);
}

function reasonsAt(result: ReturnType<typeof check>, path: string) {
  if (result.success) throw new Error(`expected ${path} to be refused, the item was accepted`);
  return result.reasons.filter((reason) => reason.path === path);
}

describe('ShopiMind item schemas against the write-model field tables (docs/shopimind-api-notes.md#write-models)', () => {
  test.each(resources)('%s: the full sample and the required-only sample are valid', (resource) => {
    const schema = schemaOf(resource);
    expect(validate(schema, sampleItem(resource))).toMatchObject({ success: true });
    expect(validate(schema, sampleItem(resource, {}, false))).toMatchObject({ success: true });
  });

  test.each(resources)('%s: the schema declares exactly the fields of the table', (resource) => {
    const tableFields = fieldTables[resource].map(([path]) => path).filter((path) => !path.includes('.'));
    const schemaFields = Object.keys(shopimindResources[resource].schema.shape).filter((f) => f !== 'label_source');
    expect(schemaFields.sort()).toEqual([...new Set(tableFields)].sort());
  });

  const required = allRows.filter(([, [, , req]]) => req === 'R');
  test.each(required.map(([resource, [path]]) => [resource, path]))(
    '%s: missing required %s is refused, naming it',
    (resource, path) => {
      const result = check(resource, (item) => setPath(item, path, undefined));
      expect(reasonsAt(result, path)).toEqual([{ path, message: 'is required' }]);
    },
  );

  test.each(allRows.map(([resource, row]) => [resource, row[0], row] as const))(
    '%s: %s of the wrong JSON type is refused, naming it',
    (resource, path, row: FieldRow) => {
      const result = check(resource, (item) => setPath(item, path, wrongTypeValue(row[1])));
      const reasons = result.success ? [] : result.reasons;
      // An array element of the wrong type is reported at its index below the field.
      expect(reasons.some((r) => r.path === path || r.path.startsWith(`${path}.`))).toBe(true);
      expect(reasons.every((r) => r.message.length > 0)).toBe(true);
    },
  );

  test.each(allRows.map(([resource, row]) => [resource, row[0], row[3]] as const))(
    '%s: %s set to null follows the Null column (%s)',
    (resource, path, nullable) => {
      const result = check(resource, (item) => setPath(item, path, null));
      if (nullable === 'Y') expect(result).toMatchObject({ success: true });
      else expect(reasonsAt(result, path).length).toBeGreaterThan(0);
    },
  );

  test.each([
    ['customers', 'email', 'not-an-email'],
    ['customers', 'created_at', '07/05/2026'],
    ['productImages', 'url', 'http://cdn.example/mug.webp'],
    ['products', 'link', 'not a url'],
    ['products', 'product_id', 4.2],
    ['customers', 'customer_id', ''],
    ['vouchers', 'type_voucher', 'gift'],
  ] as const)('%s: %s = %j is refused for its format', (resource, path, value) => {
    const result = check(resource, (item) => setPath(item, path, value));
    expect(reasonsAt(result, path).length).toBeGreaterThan(0);
  });
});

describe('the resources table (docs/shopimind-api-notes.md#resources-and-limits)', () => {
  test('per-call maxima and external-id keys', () => {
    const summary = Object.fromEntries(
      Object.entries(shopimindResources).map(([name, r]) => [name, [r.upsertMax, r.keys.join('+')]]),
    );
    expect(summary).toEqual({
      customers: [50, 'customer_id'],
      customerAddresses: [50, 'customer_id+address_id'],
      customersGroups: [100, 'group_id+lang'],
      newsletterSubscribers: [50, 'email'],
      products: [50, 'product_id+lang'],
      productVariations: [50, 'product_id+variation_id'],
      productImages: [50, 'product_id+image_id'],
      productsCategories: [100, 'category_id+lang'],
      productsManufacturers: [100, 'manufacturer_id'],
      orders: [50, 'order_id'],
      ordersCarriers: [100, 'carrier_id'],
      ordersStatuses: [100, 'status_id+lang'],
      vouchers: [50, 'voucher_id'],
    });
    expect(shopimindResources.customers.bulkDelete.max).toBe(20);
    expect(shopimindResources.newsletterSubscribers).not.toHaveProperty('bulkDelete');
  });
});

describe('custom data and events', () => {
  const definition = {
    name: 'loyalty',
    unique_keys: ['card'],
    fields: [
      { name: 'card', label: 'Card', type: 'text' as const, required: true },
      { name: 'points', label: 'Points', type: 'number' as const, required: false },
      { name: 'tier', label: 'Tier', type: 'list' as const, required: true, options: ['gold', 'silver'] },
      { name: 'contact', label: 'Contact', type: 'number' as const, required: true },
    ],
    relationships: [{ sourceField: 'contact', targetSchemaType: 'system' as const, targetSchema: 'contacts' }],
  };
  const schema = customDataRecordSchemaFor(definition);

  test('a record is checked against its definition', () => {
    expect(
      validate(schema, { card: 'A1', points: 3, tier: 'gold', contact: { by: 'email', value: 'a@b.co' } }),
    ).toMatchObject({ success: true });
    const refused = validate(schema, { points: 'many', tier: 'bronze', contact: 7 });
    expect(refused.success ? [] : refused.reasons.map((r) => r.path).sort()).toEqual(['card', 'points', 'tier']);
  });

  test("a definition's schema is built once; changed fields build another", () => {
    expect(customDataRecordSchemaFor({ ...definition, fields: [...definition.fields] })).toBe(schema);
    const wider = {
      ...definition,
      fields: definition.fields.map((f) => (f.name === 'tier' ? { ...f, options: ['gold', 'silver', 'bronze'] } : f)),
    };
    const widerSchema = customDataRecordSchemaFor(wider);
    expect(widerSchema).not.toBe(schema);
    expect(validate(widerSchema, { card: 'A1', tier: 'bronze', contact: 7 })).toMatchObject({ success: true });
    expect(validate(schema, { card: 'A1', tier: 'bronze', contact: 7 })).toMatchObject({ success: false });
  });

  test('an event trigger needs a contact or a visitor', () => {
    expect(validate(ShopimindEventTriggerSchema, { contact: { email: 'a@b.co' } })).toMatchObject({ success: true });
    expect(validate(ShopimindEventTriggerSchema, { metaData: {} })).toMatchObject({
      success: false,
      reasons: [{ path: 'contact', message: 'a contact or a visitor is required' }],
    });
  });
});

describe('idempotency key and chunking', () => {
  test("the key depends on the route and the body as sent, and validation fixes the body's key order", () => {
    const body = (items: unknown[]) => JSON.stringify({ customers: items });
    const key = idempotencyKey('/customers', body([{ a: 1, b: 2 }]));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKey('/customers', body([{ a: 1, b: 2 }]))).toBe(key);
    expect(idempotencyKey('/orders', body([{ a: 1, b: 2 }]))).not.toBe(key);
    expect(idempotencyKey('/customers', body([{ a: 1, b: 3 }]))).not.toBe(key);
    // Items reach the body through their resource schema, which emits fields in the schema's order.
    const item = sampleItem('customers', { customer_id: 'c-1' });
    const reversed = Object.fromEntries(Object.entries(item).reverse());
    const validated = (input: unknown) => {
      const checked = validate(schemaOf('customers'), input);
      if (!checked.success) throw new Error('the sample customer does not validate');
      return checked.data;
    };
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(item));
    expect(idempotencyKey('/customers', body([validated(reversed)]))).toBe(
      idempotencyKey('/customers', body([validated(item)])),
    );
  });

  test('chunks keep the caller indices', () => {
    const entries = [3, 5, 6, 9, 10].map((index) => ({ index, item: `i${index}` }));
    expect(chunk(entries, 2)).toEqual([
      { items: ['i3', 'i5'], indices: [3, 5] },
      { items: ['i6', 'i9'], indices: [6, 9] },
      { items: ['i10'], indices: [10] },
    ]);
    expect(() => chunk(entries, 0)).toThrow(RangeError);
  });
});
