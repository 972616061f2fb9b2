/**
 * ShopiMind write models and response envelopes (docs/shopimind-api-notes.md).
 *
 * One definition used twice: the client validates every item locally before spending quota on it, and the sandbox
 * simulator validates what it receives with the very same schemas. Required-ness, JSON types and id types follow the
 * field tables of docs/shopimind-api-notes.md#write-models exactly (ids are strings or numbers per
 * docs/shopimind-api-notes.md#id-types, not interchangeable). Where ShopiMind leaves a format open, only what is
 * certain is enforced: timestamps are ISO-8601, emails are emails, image URLs are HTTPS, links are http(s) URLs, and
 * external ids, `lang` and `currency` are non-empty.
 */
import { z } from 'zod';

// --- scalars ---------------------------------------------------------------------------------------------

const externalId = z.string().min(1, 'must not be empty');
const integerId = z.int();
const lang = z.string().min(1, 'must not be empty');
const currency = z.string().min(1, 'must not be empty');
const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });
const email = z.email({ error: 'must be an email address' });
const link = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const httpsImageUrl = z.url({ protocol: /^https$/, error: 'must be an HTTPS URL' });
/** Optional and nullable: `null` is an allowed value (column "Null = Y" of the field tables). */
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/**
 * Attributes that attribute an item to a data source, on every resource but newsletter subscribers
 * (docs/shopimind-api-notes.md#data-source-attributes).
 */
const dataSourceAttributes = {
  id_data_source: integerId.optional(),
  source_label: z.string().optional(),
  // The SDK injects `label_source` while its types say `source_label`; which one the server reads is unknown.
  label_source: z.string().optional(),
};
/** `shop_id` (docs/shopimind-api-notes.md#data-source-attributes). */
const shopId = { shop_id: nullable(z.string()) };
const timestamps = { created_at: timestamp, updated_at: timestamp };

// --- items the connector writes (docs/shopimind-api-notes.md#write-models) -------------------------------

/** Customer (docs/shopimind-api-notes.md#write-models). */
export const ShopimindCustomerSchema = z.object({
  customer_id: externalId,
  ...shopId,
  email,
  phone_number: nullable(z.string()),
  first_name: z.string(),
  last_name: z.string(),
  birth_date: nullable(z.string()),
  is_opt_in: z.boolean(),
  is_newsletter_subscribed: z.boolean(),
  lang,
  group_ids: nullable(z.array(externalId)),
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindCustomer = z.infer<typeof ShopimindCustomerSchema>;

const addressFields = {
  address_id: integerId,
  first_name: z.string(),
  last_name: z.string(),
  primary_phone: nullable(z.string()),
  secondary_phone: nullable(z.string()),
  company: nullable(z.string()),
  address_line_1: z.string(),
  address_line_2: nullable(z.string()),
  postal_code: z.string(),
  city: z.string(),
  country: z.string().min(1, 'must not be empty'),
  is_active: z.boolean(),
  ...dataSourceAttributes,
};

/**
 * Customer address (docs/shopimind-api-notes.md#write-models), as sent to the cross-customer route
 * `POST /v1/customers/addresses/bulk`, where `customer_id` is required on every item (the per-customer route takes it
 * from the path instead).
 */
export const ShopimindCustomerAddressSchema = z.object({ customer_id: externalId, ...addressFields });
export type ShopimindCustomerAddress = z.infer<typeof ShopimindCustomerAddressSchema>;

/** Customers group (docs/shopimind-api-notes.md#write-models) — one row per language. */
export const ShopimindCustomersGroupSchema = z.object({
  group_id: externalId,
  ...shopId,
  lang,
  name: z.string(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindCustomersGroup = z.infer<typeof ShopimindCustomersGroupSchema>;

/** Newsletter subscriber (docs/shopimind-api-notes.md#write-models) — no data-source attributes on this resource. */
export const ShopimindNewsletterSubscriberSchema = z.object({
  ...shopId,
  email,
  is_subscribed: z.boolean(),
  first_name: z.string(),
  last_name: z.string(),
  postal_code: z.string(),
  lang,
  updated_at: timestamp,
});
export type ShopimindNewsletterSubscriber = z.infer<typeof ShopimindNewsletterSubscriberSchema>;

/**
 * Product (docs/shopimind-api-notes.md#write-models) — one row per language; `product_id` is a number here (a string on
 * cross-product sub-items).
 */
export const ShopimindProductSchema = z.object({
  product_id: integerId,
  ...shopId,
  lang,
  name: z.string(),
  reference: nullable(z.string()),
  ean13: nullable(z.string()),
  description: z.string(),
  description_short: nullable(z.string()),
  link,
  image_link: nullable(link),
  category_ids: nullable(z.array(integerId)),
  manufacturer_id: nullable(externalId),
  currency,
  price: z.number(),
  price_discount: nullable(z.number()),
  quantity_remaining: z.number(),
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindProduct = z.infer<typeof ShopimindProductSchema>;

/**
 * Product variation (docs/shopimind-api-notes.md#write-models), as sent to the cross-product route
 * `POST /v1/products/variations/bulk` (`product_id` a string).
 */
export const ShopimindProductVariationSchema = z.object({
  product_id: externalId,
  variation_id: integerId,
  name: z.string(),
  lang,
  reference: nullable(z.string()),
  ean13: nullable(z.string()),
  link,
  image_link: nullable(link),
  price: z.number(),
  price_discount: nullable(z.number()),
  quantity_remaining: z.number(),
  is_default: z.boolean(),
  ...dataSourceAttributes,
});
export type ShopimindProductVariation = z.infer<typeof ShopimindProductVariationSchema>;

/**
 * Product image (docs/shopimind-api-notes.md#write-models), as sent to the cross-product route
 * `POST /v1/products/images/bulk` (`product_id` a string).
 */
export const ShopimindProductImageSchema = z.object({
  product_id: externalId,
  image_id: externalId,
  lang,
  variation_id: nullable(integerId),
  url: httpsImageUrl,
  is_default: z.boolean(),
  ...dataSourceAttributes,
});
export type ShopimindProductImage = z.infer<typeof ShopimindProductImageSchema>;

/** Products category (docs/shopimind-api-notes.md#write-models) — one row per language. */
export const ShopimindProductsCategorySchema = z.object({
  category_id: integerId,
  ...shopId,
  lang,
  name: z.string(),
  description: z.string(),
  parent_category_id: nullable(integerId),
  link,
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindProductsCategory = z.infer<typeof ShopimindProductsCategorySchema>;

/** Products manufacturer (docs/shopimind-api-notes.md#write-models) — no `lang`. */
export const ShopimindProductsManufacturerSchema = z.object({
  manufacturer_id: externalId,
  ...shopId,
  name: z.string(),
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindProductsManufacturer = z.infer<typeof ShopimindProductsManufacturerSchema>;

/** `order.customer` (docs/shopimind-api-notes.md#write-models). */
export const ShopimindOrderCustomerSchema = z.object({
  customer_id: externalId,
  email,
  created_at: timestamp,
});

/** `order.products[]` (docs/shopimind-api-notes.md#write-models). */
export const ShopimindOrderProductSchema = z.object({
  product_id: integerId,
  product_variation_id: nullable(integerId),
  price: z.number(),
  price_without_tax: z.number(),
  manufacturer_id: nullable(externalId),
  quantity: z.number(),
});
export type ShopimindOrderProduct = z.infer<typeof ShopimindOrderProductSchema>;

/**
 * Order (docs/shopimind-api-notes.md#write-models) — address ids are strings here although the address entity's
 * `address_id` is a number.
 */
export const ShopimindOrderSchema = z.object({
  order_id: externalId,
  ...shopId,
  lang,
  reference: nullable(z.string()),
  carrier_id: nullable(externalId),
  status_id: externalId,
  address_delivery_id: nullable(externalId),
  address_invoice_id: nullable(externalId),
  customer: ShopimindOrderCustomerSchema,
  products: z.array(ShopimindOrderProductSchema),
  cart_id: externalId,
  cart_updated_at: timestamp,
  amount: z.number(),
  amount_without_tax: z.number(),
  shipping_costs: z.number(),
  shipping_costs_without_tax: z.number(),
  shipping_number: nullable(z.string()),
  currency,
  voucher_used: nullable(z.string()),
  voucher_value: nullable(z.string()),
  is_confirmed: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindOrder = z.infer<typeof ShopimindOrderSchema>;

/** Orders carrier (docs/shopimind-api-notes.md#write-models) — no `lang`. */
export const ShopimindOrdersCarrierSchema = z.object({
  carrier_id: externalId,
  ...shopId,
  name: z.string(),
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindOrdersCarrier = z.infer<typeof ShopimindOrdersCarrierSchema>;

/** Orders status (docs/shopimind-api-notes.md#write-models) — one row per language. */
export const ShopimindOrdersStatusSchema = z.object({
  status_id: externalId,
  ...shopId,
  lang,
  name: z.string(),
  is_deleted: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindOrdersStatus = z.infer<typeof ShopimindOrdersStatusSchema>;

export const VoucherTypeSchema = z.enum(['free_shipping', 'amount_reduction', 'percentage_reduction']);
export type VoucherType = z.infer<typeof VoucherTypeSchema>;

/**
 * Voucher (docs/shopimind-api-notes.md#write-models) — `customer_id` set reserves the voucher to that customer; absent
 * or null opens it to all.
 */
export const ShopimindVoucherSchema = z.object({
  voucher_id: externalId,
  ...shopId,
  lang,
  code: z.string().min(1, 'must not be empty'),
  description: z.string(),
  started_at: timestamp,
  ended_at: nullable(timestamp),
  customer_id: nullable(externalId),
  type_voucher: VoucherTypeSchema,
  value: nullable(z.number()),
  minimum_amount: z.number(),
  currency,
  reduction_tax: z.boolean(),
  is_used: z.boolean(),
  is_active: z.boolean(),
  ...timestamps,
  ...dataSourceAttributes,
});
export type ShopimindVoucher = z.infer<typeof ShopimindVoucherSchema>;

// --- data sources (docs/shopimind-api-notes.md#data-sources) ---------------------------------------------

export const ShopimindDataSourceSchema = z.object({
  id_data_source: integerId,
  id_shop: integerId.optional(),
  label: z.string(),
  type: z.string().optional(),
  is_default: z.boolean().optional(),
  config: nullable(z.string()),
  active: z.boolean().optional(),
  parent_id: nullable(integerId),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type ShopimindDataSource = z.infer<typeof ShopimindDataSourceSchema>;

export const ShopimindDataSourceCreateSchema = z.object({
  label: z.string().min(1, 'must not be empty'),
  type: z.string().optional(),
  config: nullable(z.union([z.string(), z.record(z.string(), z.unknown())])),
  parent_id: nullable(integerId),
  is_default: z.boolean().optional(),
});
export type ShopimindDataSourceCreate = z.infer<typeof ShopimindDataSourceCreateSchema>;

// --- custom data (docs/shopimind-api-notes.md#custom-data) -----------------------------------------------

export const CustomDataFieldTypeSchema = z.enum([
  'bool',
  'text',
  'longtext',
  'number',
  'decimal',
  'list',
  'date',
  'datetime',
  'json',
  'geolocation',
]);
export type CustomDataFieldType = z.infer<typeof CustomDataFieldTypeSchema>;

export const ShopimindCustomDataFieldSchema = z.object({
  name: z.string().min(1, 'must not be empty'),
  label: z.string(),
  type: CustomDataFieldTypeSchema,
  description: z.string().optional(),
  required: z.boolean(),
  default: z.unknown().optional(),
  options: z.array(z.union([z.string(), z.number()])).optional(),
});

/** Relationship keys are camelCase on the wire (docs/shopimind-api-notes.md#definitions). */
export const ShopimindCustomDataRelationshipSchema = z.object({
  sourceField: z.string(),
  targetSchemaType: z.enum(['system', 'custom']),
  targetSchema: z.string(),
  targetField: z.string().optional(),
});

/** Body of `POST /v1/custom-data-definitions`. */
export const ShopimindCustomDataDefinitionSchema = z.object({
  name: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
  unique_keys: z.array(z.string()).optional(),
  fields: z.array(ShopimindCustomDataFieldSchema).min(1, 'needs at least one field'),
  relationships: z.array(ShopimindCustomDataRelationshipSchema).optional(),
});
export type ShopimindCustomDataDefinition = z.infer<typeof ShopimindCustomDataDefinitionSchema>;

/** A definition as read back: the create body plus its server id (`data.id`). */
export const ShopimindStoredCustomDataDefinitionSchema = ShopimindCustomDataDefinitionSchema.extend({
  id: integerId,
});
export type ShopimindStoredCustomDataDefinition = z.infer<typeof ShopimindStoredCustomDataDefinitionSchema>;

/**
 * A contact reference in a record: a canonical id (legacy) or a resolver object (docs/shopimind-api-notes.md#records).
 */
export const ContactReferenceSchema = z.union([
  integerId,
  z.object({ by: z.enum(['id_contact', 'email', 'id_customer']), value: z.union([z.string(), z.number()]) }),
]);

/** A record without its definition at hand: field name → JSON value. */
export const ShopimindCustomDataRecordSchema = z.record(z.string(), z.unknown());
export type ShopimindCustomDataRecord = z.infer<typeof ShopimindCustomDataRecordSchema>;

const recordFieldValue: Record<CustomDataFieldType, z.ZodType> = {
  bool: z.boolean(),
  text: z.string(),
  longtext: z.string(),
  number: z.number(),
  decimal: z.number(),
  list: z.union([z.string(), z.number()]),
  date: z.iso.date({ error: 'must be an ISO-8601 date' }),
  datetime: timestamp,
  json: z.unknown(),
  geolocation: z.unknown(),
};

/** Built record schemas by definition (its fields and relationships); a handful per deployment. */
const recordSchemas = new Map<string, z.ZodType<ShopimindCustomDataRecord>>();
const RECORD_SCHEMAS_KEPT = 256;

/**
 * The record schema a definition implies: typed columns, required ones present, list values among the
 * options, and contact relations as an id or a resolver object. Built once per definition: zod compiles
 * an object schema's parser on its first use, which cost 20× the validation of a 20-record write.
 */
export function customDataRecordSchemaFor(
  definition: ShopimindCustomDataDefinition,
): z.ZodType<ShopimindCustomDataRecord> {
  const key = JSON.stringify([definition.fields, definition.relationships ?? []]);
  let schema = recordSchemas.get(key);
  if (!schema) {
    if (recordSchemas.size >= RECORD_SCHEMAS_KEPT) recordSchemas.clear();
    schema = buildRecordSchema(definition);
    recordSchemas.set(key, schema);
  }
  return schema;
}

function buildRecordSchema(definition: ShopimindCustomDataDefinition): z.ZodType<ShopimindCustomDataRecord> {
  const contactFields = new Set(
    (definition.relationships ?? [])
      .filter((r) => r.targetSchemaType === 'system' && r.targetSchema === 'contacts')
      .map((r) => r.sourceField),
  );
  const shape: Record<string, z.ZodType> = {};
  for (const field of definition.fields) {
    let value = contactFields.has(field.name) ? ContactReferenceSchema : recordFieldValue[field.type];
    if (field.type === 'list' && field.options && field.options.length > 0) {
      const allowed = field.options;
      value = value.refine((v) => allowed.includes(v as string | number), `must be one of ${allowed.join(', ')}`);
    }
    shape[field.name] = field.required ? value : value.nullable().optional();
  }
  return z.looseObject(shape);
}

// --- events (docs/shopimind-api-notes.md#events) ---------------------------------------------------------

/** Body of `POST /v1/events`; the nesting of `properties` is not documented, so it stays a free object. */
export const ShopimindEventDeclareSchema = z.object({
  name: z.string().min(1, 'must not be empty'),
  code_name: z.string().min(1, 'must not be empty'),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type ShopimindEventDeclare = z.infer<typeof ShopimindEventDeclareSchema>;

const customData = z.record(z.string(), z.unknown()).optional();

/** Body of `POST /v1/events/trigger/{code_name}`: a contact or a visitor is required. */
export const ShopimindEventTriggerSchema = z
  .object({
    contact: z
      .object({ id: integerId.optional(), email: email.optional(), phone: z.string().optional(), customData })
      .refine((c) => c.id !== undefined || c.email !== undefined || c.phone !== undefined, {
        error: 'needs one of id, email or phone',
      })
      .optional(),
    visitor: z.object({ id: integerId, customData }).optional(),
    metaData: customData,
    customData,
  })
  .refine((body) => body.contact !== undefined || body.visitor !== undefined, {
    error: 'a contact or a visitor is required',
    path: ['contact'],
  });
export type ShopimindEventTrigger = z.infer<typeof ShopimindEventTriggerSchema>;

// --- bulk deletes (docs/shopimind-api-notes.md#bulk-deletes) ---------------------------------------------

const stringOrNumberId = z.union([externalId, integerId]);

/** The id type of each bulk-delete body key (SDK types, docs/shopimind-api-notes.md#bulk-deletes). */
export const BulkDeleteIdSchemas = {
  customer_ids: externalId,
  address_ids: externalId,
  group_ids: externalId,
  product_ids: stringOrNumberId,
  variation_ids: stringOrNumberId,
  image_ids: externalId,
  category_ids: stringOrNumberId,
  manufacturer_ids: externalId,
  order_ids: externalId,
  carrier_ids: externalId,
  status_ids: externalId,
  voucher_ids: externalId,
} as const;
export type BulkDeleteKey = keyof typeof BulkDeleteIdSchemas;
export type BulkDeleteId = string | number;

/** A bulk-delete body: an object holding one id array, e.g. `{ "customer_ids": ["1", "2"] }`. */
export const bulkDeleteBodySchema = (key: BulkDeleteKey) => z.object({ [key]: z.array(z.unknown()) });

/** Custom-data records are deleted by a raw array of their auto-increment ids. */
export const CustomDataRecordIdSchema = stringOrNumberId;

// --- response envelopes (docs/shopimind-api-notes.md#response-envelopes) ---------------------------------

/** `{ statusCode, data }` (docs/shopimind-api-notes.md#single-resource). */
export const singleResponseSchema = <T extends z.ZodType>(data: T) => z.object({ statusCode: z.number(), data });

export const PaginationSchema = z.object({
  total_items: z.number(),
  items_per_page: z.number(),
  total_pages: z.number(),
  current_page: z.number(),
  offset: z.number(),
  has_previous_page: z.boolean(),
  has_next_page: z.boolean(),
  next_page: z.number().nullable(),
  previous_page: z.number().nullable(),
});
export type Pagination = z.infer<typeof PaginationSchema>;

/** `{ statusCode, data, meta }` (docs/shopimind-api-notes.md#list). */
export const listResponseSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    statusCode: z.number(),
    data: z.array(item),
    meta: z.object({ pagination: PaginationSchema, generated_at: z.string() }),
  });
export type ListResponse<T> = { statusCode: number; data: T[]; meta: { pagination: Pagination; generated_at: string } };

/**
 * One refused item (docs/shopimind-api-notes.md#bulk-write-result). ShopiMind names its contents (index, original item,
 * validation errors) but not their keys; this shape is what the simulator sends, and the client also accepts
 * plain-string errors and `field` instead of `path`.
 */
export const RejectedItemErrorSchema = z.union([
  z.string().transform((message) => ({ path: '', message })),
  z
    .object({ path: z.string().optional(), field: z.string().optional(), message: z.string() })
    .transform((e) => ({ path: e.path ?? e.field ?? '', message: e.message })),
]);

export const RejectedItemSchema = z.object({
  index: z.number(),
  item: z.unknown().optional(),
  errors: z.array(RejectedItemErrorSchema).default([]),
});
export type RejectedItem = z.output<typeof RejectedItemSchema>;

/** docs/shopimind-api-notes.md#bulk-write-result — counters at the top level, not under `data`. */
export const BulkWriteResultSchema = z.object({
  statusCode: z.number().optional(),
  sent_count: z.number(),
  rejected_count: z.number(),
  rejected_items: z.array(RejectedItemSchema).default([]),
});

/** The body of a 400 for a batch whose items were all invalid, when it itemises them. */
export const AllRejectedBodySchema = z.object({ rejected_items: z.array(RejectedItemSchema).min(1) });
