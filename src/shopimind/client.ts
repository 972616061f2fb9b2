import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { StoreConfig } from '../config';
import {
  ApiError,
  defaultRetryPolicy,
  JsonHttpClient,
  TokenBucketRegistry,
  type HttpRequest,
  type HttpResponse,
  type QueryValue,
  type RetryEvent,
  type RetryPolicy,
} from '../http';
import { chunk } from './chunking';
import { idempotencyKey } from './idempotency-key';
import { fillPath, shopimindResources, externalIdOf, CUSTOM_DATA_RECORDS_MAX } from './resources';
import type {
  ChildResource,
  ShopimindItem,
  ShopimindResource,
  ShopimindResourceName,
  TopLevelDeletable,
  TopLevelListable,
} from './resources';
import {
  AllRejectedBodySchema,
  BulkDeleteIdSchemas,
  BulkWriteResultSchema,
  customDataRecordSchemaFor,
  CustomDataRecordIdSchema,
  listResponseSchema,
  ShopimindCustomDataDefinitionSchema,
  ShopimindDataSourceCreateSchema,
  ShopimindDataSourceSchema,
  ShopimindEventDeclareSchema,
  ShopimindEventTriggerSchema,
  ShopimindStoredCustomDataDefinitionSchema,
  singleResponseSchema,
  type BulkDeleteId,
  type ListResponse,
  type RejectedItem,
  type ShopimindCustomDataDefinition,
  type ShopimindCustomDataRecord,
  type ShopimindDataSource,
  type ShopimindDataSourceCreate,
  type ShopimindEventDeclare,
  type ShopimindEventTrigger,
  type ShopimindStoredCustomDataDefinition,
} from './schemas';
import { validate, type Reason, type Validation } from './validation';
import { mergeResults, type Rejection, type WriteResult } from './write-result';

export interface ShopimindClientOptions {
  /** Share one registry between clients so that all clients of one API key draw from one bucket. */
  buckets?: TokenBucketRegistry;
  retry?: RetryPolicy;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  onRetry?: (event: RetryEvent) => void;
}

export type FilterOperator =
  | 'EQUALS'
  | 'NOT_EQUALS'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'STARTS_WITH'
  | 'ENDS_WITH'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'IN'
  | 'NOT_IN'
  | 'LIKE'
  | 'BETWEEN'
  | 'NOT_BETWEEN';

/**
 * List parameters (docs/shopimind-api-notes.md#list-queries); `order` and `filters` travel in bracket notation like the
 * SDK's.
 */
export interface ListQuery {
  limit?: number;
  offset?: number;
  fields?: readonly string[];
  order?: readonly { field: string; type: 'asc' | 'desc' }[];
  filters?: readonly { field: string; operator: FilterOperator; values: string | number | boolean }[];
}

/** Read models are not documented field by field, so list items stay plain records. */
export type ShopimindReadItem = Record<string, unknown>;

const ReadListSchema = listResponseSchema(z.record(z.string(), z.unknown()));
const DataSourceListSchema = z.object({ data: z.array(ShopimindDataSourceSchema) });
const DataSourceSchema = singleResponseSchema(ShopimindDataSourceSchema);
const CreatedDefinitionSchema = singleResponseSchema(z.looseObject({ id: z.int() }));
const DEFAULT_PAGE_SIZE = 100;

/** How one logical bulk write is validated, split, sent and attributed. */
interface BulkWrite<T> {
  path: string;
  max: number;
  validate: (item: unknown) => Validation<T>;
  externalId: (item: unknown) => string | undefined;
  /** The request body for one chunk of valid items. */
  body: (items: T[]) => unknown;
  /** Whether a replay is harmless; decides the `Idempotency-Key` header and whether the POST is retried. */
  idempotent: boolean;
}

/**
 * The ShopiMind API for one store. Every bulk write validates its items with the shared zod schemas first
 * (refused items never cost quota), splits the rest at the route's per-call maximum, sends each chunk with an
 * `Idempotency-Key` derived from its content so the retry layer may replay it, and returns the sent count and
 * the rejections of all chunks, located in the caller's input.
 */
export class ShopimindClient {
  private readonly http: JsonHttpClient;
  /** Same key and bucket, never replayed: for writes that are not idempotent (event triggers, inserted records). */
  private readonly httpOnce: JsonHttpClient;

  constructor(store: StoreConfig, options: ShopimindClientOptions = {}) {
    const { apiKey, baseUrl, quotaPerMinute } = store.shopimind;
    const buckets = options.buckets ?? new TokenBucketRegistry();
    const shared = {
      api: 'shopimind' as const,
      storeId: store.storeId,
      baseUrl,
      authHeaders: { 'spm-api-key': apiKey },
      bucket: buckets.forKey('shopimind', apiKey, { requests: quotaPerMinute, windowMs: 60_000 }),
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher,
      onRetry: options.onRetry,
    };
    const retry = options.retry ?? defaultRetryPolicy;
    this.http = new JsonHttpClient({ ...shared, retry });
    this.httpOnce = new JsonHttpClient({ ...shared, retry: { ...retry, maxAttempts: 1 } });
  }

  get storeId(): string {
    return this.http.storeId;
  }

  /** Upserts items of a resource (POST, keyed by the resource's external id), `upsertMax` per call. */
  upsert<R extends ShopimindResourceName>(resource: R, items: readonly ShopimindItem<R>[]): Promise<WriteResult> {
    const def: ShopimindResource = shopimindResources[resource];
    return this.writeInChunks(items, {
      path: def.upsertPath,
      max: def.upsertMax,
      validate: (item) => validate(def.schema, item),
      externalId: (item) => externalIdOf(def.keys, item),
      body: (valid) => valid,
      idempotent: true,
    });
  }

  /**
   * Deletes by external id; unknown ids succeed silently (docs/shopimind-api-notes.md#essentials), so a replay is
   * harmless.
   */
  deleteMany(resource: TopLevelDeletable, ids: readonly BulkDeleteId[]): Promise<WriteResult> {
    return this.deleteIds(shopimindResources[resource], {}, ids);
  }

  /** Deletes sub-resources (addresses, variations, images) of one parent. */
  deleteChildren(resource: ChildResource, parentId: BulkDeleteId, ids: readonly BulkDeleteId[]): Promise<WriteResult> {
    const def = shopimindResources[resource];
    return this.deleteIds(def, { [def.parent]: parentId }, ids);
  }

  /** One page of a resource (docs/shopimind-api-notes.md#list, the envelope). */
  list(resource: TopLevelListable, query: ListQuery = {}): Promise<ListResponse<ShopimindReadItem>> {
    return this.page(shopimindResources[resource].listPath, query);
  }

  /** Every item of a resource, page after page. */
  iterate(resource: TopLevelListable, query: Omit<ListQuery, 'offset'> = {}): AsyncGenerator<ShopimindReadItem> {
    return this.pages(shopimindResources[resource].listPath, query);
  }

  listCustomerAddresses(customerId: string, query: ListQuery = {}): Promise<ListResponse<ShopimindReadItem>> {
    return this.page(fillPath(shopimindResources.customerAddresses.listPath, { customer_id: customerId }), query);
  }

  async listDataSources(): Promise<ShopimindDataSource[]> {
    const req: HttpRequest = { method: 'GET', path: '/data-sources' };
    return this.parse(DataSourceListSchema, req, await this.http.send(req)).data;
  }

  async createDataSource(source: ShopimindDataSourceCreate): Promise<ShopimindDataSource> {
    const req: HttpRequest = { method: 'POST', path: '/data-sources' };
    const body = this.checkBody(ShopimindDataSourceCreateSchema, source, req);
    // A replayed create could make a second source with the same label: never retried.
    return this.parse(DataSourceSchema, req, await this.httpOnce.send({ ...req, body })).data;
  }

  /** The data source labelled `label`, created (with `init`) when none exists yet. */
  async findOrCreateDataSource(
    label: string,
    init: Omit<ShopimindDataSourceCreate, 'label'> = { type: 'api' },
  ): Promise<ShopimindDataSource> {
    const existing = (await this.listDataSources()).find((source) => source.label === label);
    return existing ?? this.createDataSource({ ...init, label });
  }

  listCustomDataDefinitions(query: ListQuery = {}): Promise<ListResponse<ShopimindReadItem>> {
    return this.page('/custom-data-definitions', query);
  }

  /** Creates a definition (names are unique: a duplicate is a 4xx) and returns it with its server id. */
  async createCustomDataDefinition(
    definition: ShopimindCustomDataDefinition,
  ): Promise<ShopimindStoredCustomDataDefinition> {
    const req: HttpRequest = { method: 'POST', path: '/custom-data-definitions' };
    const body = this.checkBody(ShopimindCustomDataDefinitionSchema, definition, req);
    const created = this.parse(CreatedDefinitionSchema, req, await this.httpOnce.send({ ...req, body }));
    return ShopimindStoredCustomDataDefinitionSchema.parse({ ...body, id: created.data.id });
  }

  /**
   * Writes records of a definition, 20 per call, validated against the definition's fields. With `unique_keys`
   * they are upserts and replayed on failure; without, each call inserts, so nothing is retried.
   */
  writeCustomDataRecords(
    definition: ShopimindStoredCustomDataDefinition,
    records: readonly ShopimindCustomDataRecord[],
  ): Promise<WriteResult> {
    const schema = customDataRecordSchemaFor(definition);
    const keys = definition.unique_keys ?? [];
    return this.writeInChunks(records, {
      path: `/custom-data-records/${encodeURIComponent(definition.id)}`,
      max: CUSTOM_DATA_RECORDS_MAX,
      validate: (record) => validate(schema, record),
      externalId: (record) => (keys.length > 0 ? externalIdOf(keys, record) : undefined),
      body: (valid) => valid,
      idempotent: keys.length > 0,
    });
  }

  /** One page of a definition's records (docs/shopimind-api-notes.md#records), with the list parameters. */
  listCustomDataRecords(definitionId: number, query: ListQuery = {}): Promise<ListResponse<ShopimindReadItem>> {
    return this.page(`/custom-data-records/${encodeURIComponent(definitionId)}`, query);
  }

  deleteCustomDataRecords(definitionId: number, recordIds: readonly BulkDeleteId[]): Promise<WriteResult> {
    return this.writeInChunks(recordIds, {
      path: `/custom-data-records/${encodeURIComponent(definitionId)}/bulk-delete`,
      max: CUSTOM_DATA_RECORDS_MAX,
      validate: (id) => validate(CustomDataRecordIdSchema, id),
      externalId: String,
      body: (valid) => valid,
      idempotent: true,
    });
  }

  listEvents(query: ListQuery = {}): Promise<ListResponse<ShopimindReadItem>> {
    return this.page('/events', query);
  }

  /** Declares an event type; an existing `code_name` (409) is not an error, so startup may always declare. */
  async declareEvent(event: ShopimindEventDeclare): Promise<'declared' | 'already-declared'> {
    const req: HttpRequest = { method: 'POST', path: '/events' };
    const body = this.checkBody(ShopimindEventDeclareSchema, event, req);
    try {
      await this.http.send({ ...req, body });
      return 'declared';
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return 'already-declared';
      throw err;
    }
  }

  /** Fires one event instance. Each call fires again, so it is sent once and never replayed. */
  async triggerEvent(codeName: string, trigger: ShopimindEventTrigger): Promise<void> {
    const req: HttpRequest = { method: 'POST', path: `/events/trigger/${encodeURIComponent(codeName)}` };
    const body = this.checkBody(ShopimindEventTriggerSchema, trigger, req);
    await this.httpOnce.send({ ...req, body });
  }

  private async deleteIds(
    def: ShopimindResource & { bulkDelete: NonNullable<ShopimindResource['bulkDelete']> },
    params: Record<string, BulkDeleteId>,
    ids: readonly BulkDeleteId[],
  ): Promise<WriteResult> {
    const { path, bodyKey, max } = def.bulkDelete;
    const malformed = ids.filter((id) => !validate(BulkDeleteIdSchemas[bodyKey], id).success);
    // A delete whose ids do not have the documented type would be dropped without a word: that is a bug
    // of the caller, and a record left in ShopiMind, so it fails loudly instead.
    if (malformed.length > 0) {
      const sample = malformed.slice(0, 5).map((id) => JSON.stringify(id));
      throw new Error(
        `${path}: ${malformed.length} ${bodyKey} do not have the documented type, e.g. ${sample.join(', ')}`,
      );
    }
    return this.writeInChunks(ids, {
      path: fillPath(path, params),
      max,
      validate: (id) => validate(BulkDeleteIdSchemas[bodyKey], id),
      externalId: String,
      body: (valid) => ({ [bodyKey]: valid }),
      idempotent: true,
    });
  }

  private async writeInChunks<T>(input: readonly unknown[], write: BulkWrite<T>): Promise<WriteResult> {
    const valid: { index: number; item: T }[] = [];
    const local: Rejection[] = [];
    input.forEach((item, index) => {
      const checked = write.validate(item);
      if (checked.success) valid.push({ index, item: checked.data });
      else local.push({ index, externalId: write.externalId(item), reasons: checked.reasons, source: 'local' });
    });
    const results: WriteResult[] = [{ sent: 0, rejected: local }];
    // Sequential on purpose: the server applies batches of one resource in order, and a caller's input may
    // hold successive versions of one entity.
    for (const { items, indices } of chunk(valid, write.max)) {
      const remote = await this.sendChunk(write, items);
      const rejected = remote.rejected.map(({ index, errors }): Rejection => {
        const inputIndex = indices[index] ?? -1;
        return {
          index: inputIndex,
          externalId: write.externalId(input[inputIndex]),
          reasons: errors.length > 0 ? errors : [{ path: '', message: 'rejected by ShopiMind without a reason' }],
          source: 'remote',
        };
      });
      results.push({ sent: remote.sent, rejected });
    }
    return mergeResults(results);
  }

  /** Sends one chunk; a 400 that itemises its rejections becomes per-item rejections, any other 400 throws. */
  private async sendChunk<T>(
    write: BulkWrite<T>,
    items: T[],
  ): Promise<{ sent: number; rejected: Pick<RejectedItem, 'index' | 'errors'>[] }> {
    const body = write.body(items);
    const bodyJson = JSON.stringify(body);
    const req: HttpRequest = {
      method: 'POST',
      path: write.path,
      body,
      bodyJson,
      headers: write.idempotent ? { 'idempotency-key': idempotencyKey(write.path, bodyJson) } : undefined,
    };
    try {
      const result = this.parse(
        BulkWriteResultSchema,
        req,
        await (write.idempotent ? this.http : this.httpOnce).send(req),
      );
      return { sent: result.sent_count, rejected: result.rejected_items.filter((r) => r.index < items.length) };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      const itemised = AllRejectedBodySchema.safeParse(err.responseBody);
      if (!itemised.success) throw err;
      const reasons = new Map(itemised.data.rejected_items.map((r) => [r.index, r.errors]));
      const fallback: Reason[] = [{ path: '', message: 'the whole batch was refused' }];
      return { sent: 0, rejected: items.map((_, index) => ({ index, errors: reasons.get(index) ?? fallback })) };
    }
  }

  private async page(path: string, query: ListQuery): Promise<ListResponse<ShopimindReadItem>> {
    const req: HttpRequest = { method: 'GET', path, query: encodeListQuery(query) };
    return this.parse(ReadListSchema, req, await this.http.send(req));
  }

  private async *pages(path: string, query: Omit<ListQuery, 'offset'>): AsyncGenerator<ShopimindReadItem> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    for (let offset = 0; ;) {
      const { data, meta } = await this.page(path, { ...query, limit, offset });
      yield* data;
      if (!meta.pagination.has_next_page || data.length === 0) return;
      offset += data.length;
    }
  }

  /** Validates a single-object body locally; a refusal is the same typed, non-retryable error a 400 gives. */
  private checkBody<T>(schema: z.ZodType<T>, input: unknown, req: HttpRequest): T {
    const checked = validate(schema, input);
    if (checked.success) return checked.data;
    const reasons = checked.reasons.map((r) => `${r.path || '(body)'} ${r.message}`).join('; ');
    throw this.http.error(req, 'validation', false, { reason: `refused before sending: ${reasons}` });
  }

  private parse<T>(schema: z.ZodType<T>, req: HttpRequest, response: HttpResponse): T {
    const parsed = schema.safeParse(response.body);
    if (parsed.success) return parsed.data;
    throw this.http.error(req, 'bad_response', false, {
      status: response.status,
      body: JSON.stringify(response.body)?.slice(0, 300),
      reason: `unexpected response body: ${z.prettifyError(parsed.error).slice(0, 300)}`,
    });
  }
}

/**
 * List-query wire encoding (docs/shopimind-api-notes.md#list-queries): `fields` comma-separated, `order` and `filters`
 * in bracket notation.
 */
function encodeListQuery(query: ListQuery): Record<string, QueryValue> {
  const encoded: Record<string, QueryValue> = {
    limit: query.limit,
    offset: query.offset,
    fields: query.fields?.join(','),
  };
  query.order?.forEach((o, i) => {
    encoded[`order[${i}][field]`] = o.field;
    encoded[`order[${i}][type]`] = o.type;
  });
  query.filters?.forEach((f, i) => {
    encoded[`filters[${i}][field]`] = f.field;
    encoded[`filters[${i}][operator]`] = f.operator;
    encoded[`filters[${i}][values]`] = f.values;
  });
  return encoded;
}
