/**
 * A local ShopiMind API (docs/shopimind-api-notes.md) for tests, the demo and benchmarks: every route the connector's
 * client calls, validated with the very schemas the client uses (src/shopimind/schemas.ts).
 *
 * Behaviour worth knowing: bulk writes answer 200 with per-item rejections, or 400 when the body is not the
 * documented shape, exceeds the route's maximum or holds no valid item (the 400 then itemises the rejections);
 * accepted writes are queued and become visible `visibilityDelayMs` later, in order; upserts replace by external
 * id and deletes of unknown ids succeed; a POST carrying an `Idempotency-Key` seen before (within
 * `idempotencyTtlMs`) gets the first answer again without being applied twice. Auth, quota and fault injection
 * come from the simulator kit; `GET /__sandbox/stats` adds write counters to the kit's request counters.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  BulkDeleteIdSchemas,
  bulkDeleteBodySchema,
  customDataRecordSchemaFor,
  CustomDataRecordIdSchema,
  CUSTOM_DATA_RECORDS_MAX,
  externalIdOf,
  ShopimindCustomDataDefinitionSchema,
  ShopimindDataSourceCreateSchema,
  ShopimindEventDeclareSchema,
  ShopimindEventTriggerSchema,
  shopimindResources,
  validate,
  type Pagination,
  type Reason,
  type ShopimindDataSource,
  type ShopimindResource,
  type ShopimindResourceName,
  type ShopimindStoredCustomDataDefinition,
  type Validation,
} from '../shopimind';
import {
  nonNegativeInt,
  registerSandboxRoutes,
  SimulatorKit,
  type FaultOptions,
  type QuotaOptions,
} from './simulator-kit';

export interface ShopimindSimulatorOptions {
  /** Default: a random 32-character key. */
  apiKey?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 600 requests per 60 s (the documented quota); null switches it off. */
  quota?: QuotaOptions | null;
  /** Delay before an accepted write becomes visible to reads; default 0 (immediately). */
  visibilityDelayMs?: number;
  faults?: FaultOptions;
  /**
   * How long an `Idempotency-Key` is remembered; default 120 s, the client's retry budget. Keys derive from
   * content, so a longer memory would swallow a legitimate re-send of identical content after a delete.
   */
  idempotencyTtlMs?: number;
}

export interface ShopimindSimulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  apiKey: string;
  port: number;
  state: ShopimindSimulatorState;
  kit: SimulatorKit;
  close(): Promise<void>;
}

type Item = Record<string, unknown>;

interface WriteCounters {
  /** Bulk-write requests applied (replays excluded). */
  batches: number;
  /** Requests answered from the idempotency cache. */
  replays: number;
  itemsAccepted: number;
  itemsRejected: number;
  itemsDeleted: number;
}

/** The simulated shop's data: what reads see, and the writes still queued. */
export class ShopimindSimulatorState {
  readonly writes: WriteCounters = { batches: 0, replays: 0, itemsAccepted: 0, itemsRejected: 0, itemsDeleted: 0 };
  /** Ids of the products accepted so far, queued or visible (see `serverRules`). */
  readonly knownProducts = new Set<string>();
  /**
   * A test's own server-side rule: a reason to refuse an item that passes validation (as ShopiMind may, for
   * reasons ShopiMind does not document), or undefined to accept it. Lets tests produce remote rejects at will.
   */
  rejectRule: ((resource: ShopimindResourceName, item: Item) => string | undefined) | undefined;
  private readonly collections = new Map<string, Map<string, Item>>();
  private readonly queue: { visibleAt: number; apply: () => void }[] = [];
  private sequence = 0;

  constructor(private readonly visibilityDelayMs: number) {}

  /** Visible items of a collection (a resource name, `dataSources`, `events`, `customDataRecords-<id>`, …). */
  entities(collection: string): Item[] {
    this.flush();
    return [...(this.collections.get(collection)?.values() ?? [])];
  }

  count(collection: string): number {
    return this.entities(collection).length;
  }

  collectionNames(): string[] {
    this.flush();
    return [...this.collections.keys()];
  }

  /** Writes still queued (accepted but not yet visible). */
  get pending(): number {
    this.flush();
    return this.queue.length;
  }

  nextId(): number {
    return ++this.sequence;
  }

  /** Queues a change; it becomes visible after the visibility delay, after every change queued before it. */
  enqueue(apply: () => void): void {
    this.queue.push({ visibleAt: Date.now() + this.visibilityDelayMs, apply });
    this.flush();
  }

  /** Applies a change at once: for the synchronous routes (data sources, definitions, event declarations). */
  put(collection: string, key: string, item: Item): void {
    this.collection(collection).set(key, item);
  }

  collection(name: string): Map<string, Item> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Map();
      this.collections.set(name, collection);
    }
    return collection;
  }

  private flush(): void {
    const now = Date.now();
    while (this.queue.length > 0 && (this.queue[0]?.visibleAt ?? Infinity) <= now) this.queue.shift()?.apply();
  }
}

const BODY_LIMIT = 25 * 1024 * 1024;
const DEFAULT_LIST_LIMIT = 10;

export async function startShopimindSimulator(options: ShopimindSimulatorOptions = {}): Promise<ShopimindSimulator> {
  const apiKey = options.apiKey ?? randomBytes(16).toString('hex');
  const state = new ShopimindSimulatorState(options.visibilityDelayMs ?? 0);
  const kit = new SimulatorKit({
    apiKeyHeader: 'spm-api-key',
    apiKey,
    quota: options.quota === undefined ? { requests: 600, windowMs: 60_000 } : options.quota,
    faults: options.faults,
  });
  // Bodies are plain JSON parsed into fresh objects; scanning each bulk write for prototype keys cost the
  // benchmarks' simulators more than parsing it.
  const app = Fastify({ bodyLimit: BODY_LIMIT, onProtoPoisoning: 'ignore', onConstructorPoisoning: 'ignore' });
  kit.install(app);
  registerSandboxRoutes(app, kit, {
    entities: (collection) => (state.collectionNames().includes(collection) ? state.entities(collection) : undefined),
    stats: () => ({
      writes: { ...state.writes },
      pending: state.pending,
      entities: Object.fromEntries(state.collectionNames().map((name) => [name, state.count(name)])),
    }),
  });
  const idempotency = new IdempotencyCache(options.idempotencyTtlMs ?? 120_000, state);
  registerResourceRoutes(app, state, idempotency);
  registerDataSourceRoutes(app, state);
  registerCustomDataRoutes(app, state, idempotency);
  registerEventRoutes(app, state);
  for (const name of Object.keys(shopimindResources)) state.collection(name);

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    port,
    state,
    kit,
    close: () => app.close(),
  };
}

// --- answers -----------------------------------------------------------------------------------------------

/** What a route answers; handlers return it so that the idempotency cache can store it. */
interface Answer {
  status: number;
  body: unknown;
}

type Handler = (request: FastifyRequest) => Answer;

const ok = (body: object): Answer => ({ status: 200, body: { statusCode: 200, ...body } });
const refuse = (status: number, error: string, message: string, extra: object = {}): Answer => ({
  status,
  body: { statusCode: status, error, message, ...extra },
});
const badRequest = (message: string, extra: object = {}) => refuse(400, 'Bad Request', message, extra);
const notFound = (message: string) => refuse(404, 'Not Found', message);
const conflict = (message: string) => refuse(409, 'Conflict', message);

const isAnswer = (value: object): value is Answer => 'status' in value && 'body' in value;

function serve(handler: Handler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = handler(request);
    return reply.code(status).send(body);
  };
}

/** Remembers answers by `Idempotency-Key` so a replayed POST is answered without being applied again. */
class IdempotencyCache {
  private readonly answers = new Map<string, { expiresAt: number; answer: Answer }>();

  constructor(
    private readonly ttlMs: number,
    private readonly state: ShopimindSimulatorState,
  ) {}

  serve(handler: Handler) {
    return serve((request) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string') return handler(request);
      const cacheKey = `${request.method} ${request.url} ${key}`;
      const now = Date.now();
      const cached = this.answers.get(cacheKey);
      if (cached && cached.expiresAt > now) {
        this.state.writes.replays++;
        return cached.answer;
      }
      const answer = handler(request);
      this.answers.set(cacheKey, { expiresAt: now + this.ttlMs, answer });
      return answer;
    });
  }
}

// --- bulk writes -------------------------------------------------------------------------------------------

interface RejectedEntry {
  index: number;
  item: unknown;
  errors: Reason[];
}

/**
 * Validates a bulk body item by item: a 400 answer when the body is not an array, is empty, exceeds `max` or
 * holds no valid item (that 400 itemises the refusals); otherwise the valid items and the refusals.
 */
function checkBatch<T>(
  state: ShopimindSimulatorState,
  body: unknown,
  max: number,
  check: (item: unknown) => Validation<T>,
): Answer | { accepted: T[]; rejected: RejectedEntry[] } {
  if (!Array.isArray(body)) return badRequest('the request body must be an array');
  if (body.length === 0) return badRequest('the request body must hold at least one item');
  if (body.length > max) return badRequest(`a batch holds at most ${max} items, got ${body.length}`);
  const accepted: T[] = [];
  const rejected: RejectedEntry[] = [];
  body.forEach((item: unknown, index) => {
    const checked = check(item);
    if (checked.success) accepted.push(checked.data);
    else rejected.push({ index, item, errors: checked.reasons });
  });
  state.writes.itemsRejected += rejected.length;
  if (accepted.length === 0) {
    return badRequest('every item of the batch is invalid', {
      rejected_count: rejected.length,
      rejected_items: rejected,
    });
  }
  state.writes.batches++;
  state.writes.itemsAccepted += accepted.length;
  return { accepted, rejected };
}

/**
 * Rules only the server can apply, because they depend on its data: a variation sent through the cross-product route
 * must name a known product (docs/shopimind-api-notes.md#resources-and-limits). Products count as known once accepted,
 * since the server's queue applies batches in order.
 */
function serverRules(
  resource: ShopimindResourceName,
  state: ShopimindSimulatorState,
  checked: Validation<Item>,
): Validation<Item> {
  if (!checked.success) return checked;
  const refused = state.rejectRule?.(resource, checked.data);
  if (refused) return { success: false, reasons: [{ path: '', message: refused }] };
  if (resource !== 'productVariations' || state.knownProducts.has(String(checked.data.product_id))) return checked;
  return { success: false, reasons: [{ path: 'product_id', message: 'unknown product' }] };
}

const bulkResult = (sent: number, rejected: RejectedEntry[]) =>
  ok({ sent_count: sent, rejected_count: rejected.length, rejected_items: rejected });

/** `/customers/{customer_id}/addresses` → `/v1/customers/:customer_id/addresses` */
const route = (template: string) => `/v1${template.replace(/\{(\w+)\}/g, ':$1')}`;
const params = (request: FastifyRequest) => request.params as Record<string, string>;

function registerResourceRoutes(app: FastifyInstance, state: ShopimindSimulatorState, idempotency: IdempotencyCache) {
  for (const [name, def] of Object.entries(shopimindResources) as [ShopimindResourceName, ShopimindResource][]) {
    const items = () => state.collection(name);
    app.post(
      route(def.upsertPath),
      idempotency.serve((request) => {
        const check = (item: unknown) => serverRules(name, state, validate(def.schema, item));
        const batch = checkBatch(state, request.body, def.upsertMax, check);
        if (isAnswer(batch)) return batch;
        if (name === 'products') batch.accepted.forEach((p) => state.knownProducts.add(String(p.product_id)));
        const upserts = batch.accepted.map((item) => [externalIdOf(def.keys, item) as string, item] as const);
        state.enqueue(() => upserts.forEach(([key, item]) => items().set(key, item)));
        return bulkResult(batch.accepted.length, batch.rejected);
      }),
    );

    if (def.bulkDelete) {
      const { path, bodyKey, max } = def.bulkDelete;
      const idSchema = BulkDeleteIdSchemas[bodyKey];
      // The id a delete names: the key that is neither the parent nor the language.
      const idField = def.keys.find((key) => key !== def.parent && key !== 'lang') as string;
      app.post(
        route(path),
        idempotency.serve((request) => {
          const body = bulkDeleteBodySchema(bodyKey).safeParse(request.body);
          if (!body.success) return badRequest(`the request body must be { "${bodyKey}": [...] }`);
          const batch = checkBatch(state, body.data[bodyKey], max, (id) => validate(idSchema, id));
          if (isAnswer(batch)) return batch;
          const ids = new Set(batch.accepted.map(String));
          if (name === 'products') ids.forEach((id) => state.knownProducts.delete(id));
          const parentId = def.parent ? params(request)[def.parent] : undefined;
          state.enqueue(() => {
            for (const [key, item] of items()) {
              const inParent = parentId === undefined || String(item[def.parent as string]) === parentId;
              if (inParent && ids.has(String(item[idField]))) {
                items().delete(key);
                state.writes.itemsDeleted++;
              }
            }
          });
          return bulkResult(batch.accepted.length, batch.rejected);
        }),
      );
    }

    if (def.listPath) {
      app.get(
        route(def.listPath),
        serve((request) => {
          const parentId = def.parent ? params(request)[def.parent] : undefined;
          const visible = state
            .entities(name)
            .filter((item) => parentId === undefined || String(item[def.parent as string]) === parentId);
          return listEnvelope(visible, request.query);
        }),
      );
    }
  }
}

// --- lists -------------------------------------------------------------------------------------------------

/**
 * The list envelope (docs/shopimind-api-notes.md#list) for one page. `EQUALS` and `IN` filters (bracket notation, `IN`
 * values comma-separated — the multi-value shape is undocumented) and `fields` projection are applied; ordering is
 * accepted, not applied.
 */
function listEnvelope(items: readonly unknown[], query: unknown): Answer {
  const params = (query ?? {}) as Record<string, string | undefined>;
  const limit = Math.max(1, nonNegativeInt(params.limit) ?? DEFAULT_LIST_LIMIT);
  const offset = nonNegativeInt(params.offset) ?? 0;
  const filters = listFilters(params);
  const matching = items.filter((item) => filters.every((matches) => matches(item as Item)));
  const fields = params.fields?.split(',').filter(Boolean);
  const page = matching.slice(offset, offset + limit);
  return ok({
    data: fields ? page.map((item) => Object.fromEntries(fields.map((f) => [f, (item as Item)[f]]))) : page,
    meta: { pagination: pagination(matching.length, limit, offset), generated_at: new Date().toISOString() },
  });
}

function listFilters(params: Record<string, string | undefined>): ((item: Item) => boolean)[] {
  const filters: ((item: Item) => boolean)[] = [];
  for (let i = 0; params[`filters[${i}][field]`] !== undefined; i++) {
    const field = params[`filters[${i}][field]`] as string;
    const operator = params[`filters[${i}][operator]`];
    const values = params[`filters[${i}][values]`] ?? '';
    const accepted = new Set(operator === 'IN' ? values.split(',') : [values]);
    if (operator === 'EQUALS' || operator === 'IN') filters.push((item) => accepted.has(String(item[field])));
  }
  return filters;
}

export function pagination(total: number, limit: number, offset: number): Pagination {
  const currentPage = Math.floor(offset / limit) + 1;
  const hasNext = offset + limit < total;
  const hasPrevious = offset > 0;
  return {
    total_items: total,
    items_per_page: limit,
    total_pages: Math.ceil(total / limit),
    current_page: currentPage,
    offset,
    has_previous_page: hasPrevious,
    has_next_page: hasNext,
    next_page: hasNext ? currentPage + 1 : null,
    previous_page: hasPrevious ? Math.max(1, currentPage - 1) : null,
  };
}

// --- data sources, custom data, events ---------------------------------------------------------------------

/** Single-object bodies: the whole request is refused with the reasons. */
function checkBody<T>(schema: z.ZodType<T>, body: unknown): Answer | { data: T } {
  const checked = validate(schema, body);
  return checked.success
    ? { data: checked.data }
    : badRequest('the request body is invalid', { errors: checked.reasons });
}

function registerDataSourceRoutes(app: FastifyInstance, state: ShopimindSimulatorState) {
  app.get(
    '/v1/data-sources',
    serve(() => ok({ data: state.entities('dataSources') })),
  );
  app.post(
    '/v1/data-sources',
    serve((request) => {
      const body = checkBody(ShopimindDataSourceCreateSchema, request.body);
      if (isAnswer(body)) return body;
      const { label, type, is_default: isDefault, config, parent_id: parentId } = body.data;
      const now = new Date().toISOString();
      const source: ShopimindDataSource = {
        id_data_source: state.nextId(),
        label,
        type: type ?? 'api',
        is_default: isDefault ?? false,
        config: typeof config === 'object' && config !== null ? JSON.stringify(config) : config,
        active: true,
        parent_id: parentId ?? null,
        created_at: now,
        updated_at: now,
      };
      state.put('dataSources', String(source.id_data_source), source);
      return ok({ data: source });
    }),
  );
}

const recordsCollection = (definitionId: number) => `customDataRecords-${definitionId}`;

function registerCustomDataRoutes(app: FastifyInstance, state: ShopimindSimulatorState, idempotency: IdempotencyCache) {
  const definitions = () => state.entities('customDataDefinitions') as ShopimindStoredCustomDataDefinition[];
  const definitionOf = (request: FastifyRequest) => {
    const id = Number(params(request).id_definition);
    return definitions().find((d) => d.id === id);
  };

  app.get(
    '/v1/custom-data-definitions',
    serve((request) => listEnvelope(definitions(), request.query)),
  );
  app.post(
    '/v1/custom-data-definitions',
    serve((request) => {
      const body = checkBody(ShopimindCustomDataDefinitionSchema, request.body);
      if (isAnswer(body)) return body;
      if (definitions().some((d) => d.name === body.data.name)) return conflict('already exists');
      const definition: ShopimindStoredCustomDataDefinition = { ...body.data, id: state.nextId() };
      state.put('customDataDefinitions', String(definition.id), definition);
      state.collection(recordsCollection(definition.id));
      return ok({ data: definition });
    }),
  );

  app.get(
    '/v1/custom-data-records/:id_definition',
    serve((request) => {
      const definition = definitionOf(request);
      if (!definition) return notFound('unknown custom data definition');
      return listEnvelope(state.entities(recordsCollection(definition.id)), request.query);
    }),
  );
  app.post(
    '/v1/custom-data-records/:id_definition',
    idempotency.serve((request) => {
      const definition = definitionOf(request);
      if (!definition) return notFound('unknown custom data definition');
      const schema = customDataRecordSchemaFor(definition);
      const batch = checkBatch(state, request.body, CUSTOM_DATA_RECORDS_MAX, (r) => validate(schema, r));
      if (isAnswer(batch)) return batch;
      const keys = definition.unique_keys ?? [];
      const records = batch.accepted.map((record) => ({ ...record, id: state.nextId() }));
      state.enqueue(() => {
        const collection = state.collection(recordsCollection(definition.id));
        for (const record of records) {
          // With unique keys a record replaces its twin (keeping the twin's id); without, it is inserted.
          const key = keys.length > 0 ? (externalIdOf(keys, record) ?? String(record.id)) : String(record.id);
          const twin = collection.get(key);
          collection.set(key, twin ? { ...record, id: twin.id } : record);
        }
      });
      return bulkResult(records.length, batch.rejected);
    }),
  );
  app.post(
    '/v1/custom-data-records/:id_definition/bulk-delete',
    idempotency.serve((request) => {
      const definition = definitionOf(request);
      if (!definition) return notFound('unknown custom data definition');
      const check = (id: unknown) => validate(CustomDataRecordIdSchema, id);
      const batch = checkBatch(state, request.body, CUSTOM_DATA_RECORDS_MAX, check);
      if (isAnswer(batch)) return batch;
      const ids = new Set(batch.accepted.map(String));
      state.enqueue(() => {
        const collection = state.collection(recordsCollection(definition.id));
        for (const [key, record] of collection) {
          if (ids.has(String(record.id))) {
            collection.delete(key);
            state.writes.itemsDeleted++;
          }
        }
      });
      return bulkResult(batch.accepted.length, batch.rejected);
    }),
  );
}

function registerEventRoutes(app: FastifyInstance, state: ShopimindSimulatorState) {
  const events = () => state.entities('events');
  app.get(
    '/v1/events',
    serve((request) => listEnvelope(events(), request.query)),
  );
  app.post(
    '/v1/events',
    serve((request) => {
      const body = checkBody(ShopimindEventDeclareSchema, request.body);
      if (isAnswer(body)) return body;
      if (events().some((e) => e.code_name === body.data.code_name)) return conflict('already exists');
      const event = { ...body.data, id_event: state.nextId() };
      state.put('events', event.code_name, event);
      return ok({ data: event });
    }),
  );
  app.post(
    '/v1/events/trigger/:code_name',
    serve((request) => {
      const codeName = params(request).code_name as string;
      if (!events().some((e) => e.code_name === codeName)) return notFound('unknown event code_name');
      const body = checkBody(ShopimindEventTriggerSchema, request.body);
      if (isAnswer(body)) return body;
      const id = state.nextId();
      state.enqueue(() => state.put('eventTriggers', String(id), { id, code_name: codeName, ...body.data }));
      return ok({ message: 'queued' });
    }),
  );
  state.collection('eventTriggers');
}
