/**
 * A local Shopkit API v1 (docs/shopkit-api-notes.md#simulator-choices) over a generated store: the read endpoints the
 * connector uses with Shopkit's paging (`page`, `limit` default 25 max 50, `X-Total-Count`, 404 past
 * the end), filters, webhook CRUD, and through the shared SimulatorKit: the API key (header or
 * `X-API-KEY` query parameter), a quota answered with 429 + Retry-After, and injected faults.
 *
 * Sandbox-only routes (no key) under `/__sandbox/`: mutations that emit signed webhooks, stats,
 * paged entity dumps, delivery log and live reconfiguration. Choices where Shopkit is silent: a list
 * is a bare JSON array (configurable), products default to `active` unless `status_alias` says
 * otherwise (why the client always sends `status_alias=all`), and client updates move `last_seen_at`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SHOPKIT_EVENT_NAMES, SHOPKIT_ORDER_STATUSES, SHOPKIT_PRODUCT_STATUSES } from '../shopkit/schemas';
import { MAX_PAGES_IN_FLIGHT } from '../contracts/import';
import type { EntityCollection } from './shopkit-entity-collection';
import {
  SANDBOX_RESOURCES,
  ShopkitSandboxStore,
  type MutableResource,
  type SandboxResource,
} from './shopkit-sandbox-store';
import { ShopkitWebhookSender, type WebhookSenderOptions } from './shopkit-webhook-sender';
import { nonNegativeInt, SANDBOX_PREFIX, SimulatorKit, type FaultOptions, type QuotaOptions } from './simulator-kit';
import { ORDER_MAX_LAG_MS, ShopkitStoreGenerator, type ShopkitStoreSizes, type WireObject } from './store-generator';

/** `array`: bare JSON arrays; `keyed`: `{"0": …, "paging": …}`; `single`: a lone match as an object. */
export type ListShape = 'array' | 'keyed' | 'single';

export interface ShopkitSimulatorOptions {
  seed?: number;
  /** Default: 50 products, 40 clients, 120 orders. */
  sizes?: ShopkitStoreSizes;
  /** The generated store's present (ISO). */
  now?: string;
  username?: string;
  /** Default: 40 hex characters derived from the seed. */
  apiKey?: string;
  /** HMAC key of webhook signatures. Default: random. */
  webhookSecret?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Requests per window; default Shopkit's 3,600 per hour; null disables it. */
  quota?: QuotaOptions | null;
  faults?: FaultOptions;
  listShape?: ListShape;
  /** Delivery retries and interval (default 5 × 1 hour). */
  webhooks?: Omit<WebhookSenderOptions, 'secret'>;
  /** Source of mutation times (default `Date.now`). */
  clock?: () => number;
}

export interface ShopkitSimulator {
  /** e.g. `http://127.0.0.1:40123/v1`. */
  baseUrl: string;
  /** `http://127.0.0.1:40123/__sandbox` */
  sandboxUrl: string;
  apiKey: string;
  webhookSecret: string;
  port: number;
  store: ShopkitSandboxStore;
  generator: ShopkitStoreGenerator;
  kit: SimulatorKit;
  webhooks: ShopkitWebhookSender;
  close(): Promise<void>;
}

const BASE = '/v1';
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 50;
const NOT_FOUND = { message: 'Not found.' };
const BAD_REQUEST = { message: 'Bad request.' };

type Query = Record<string, string | undefined>;
type ListSource = { total: number; slice(offset: number, limit: number): WireObject[] };

/** The sliding window of {@link compressedShopkitQuota}. */
const COMPRESSED_WINDOW_MS = 10_000;

/**
 * Shopkit's quota at a test's pace: `perSecond` calls a second over a 10-second sliding window, plus room
 * for a few late calls. The documented quota is 3,600 calls an hour; the connector paces at 99.5 % of it,
 * which leaves 18 calls of room in any hour, so a call that a stalled worker or Temporal server made late
 * (bunched with the next slot's) never reaches the limit. The same 0.5 % of a 10-second window is 0.15
 * call, a room an hour never lacks: the compressed window gets the late calls of the pages a store may
 * have in flight instead, and still refuses an unpaced import at once.
 */
export function compressedShopkitQuota(perSecond: number): QuotaOptions {
  return {
    // Beyond the rate: the late calls of the pages a store's import may have in flight.
    requests: Math.round((perSecond * COMPRESSED_WINDOW_MS) / 1_000) + MAX_PAGES_IN_FLIGHT,
    windowMs: COMPRESSED_WINDOW_MS,
  };
}

export async function startShopkitSimulator(options: ShopkitSimulatorOptions = {}): Promise<ShopkitSimulator> {
  const seed = options.seed ?? 1;
  const generator = new ShopkitStoreGenerator({
    seed,
    sizes: options.sizes ?? { products: 50, clients: 40, orders: 120 },
    now: options.now,
    username: options.username,
  });
  const apiKey = options.apiKey ?? createHash('sha1').update(`shopkit-sandbox-key:${seed}`).digest('hex');
  const webhookSecret = options.webhookSecret ?? randomBytes(24).toString('hex');
  const webhooks = new ShopkitWebhookSender({ ...options.webhooks, secret: webhookSecret });
  const store = new ShopkitSandboxStore(generator, webhooks, options.clock);
  const kit = new SimulatorKit({
    apiKeyHeader: 'x-api-key',
    apiKey,
    quota: options.quota === undefined ? { requests: 3_600, windowMs: 3_600_000 } : options.quota,
    faults: options.faults,
  });

  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  // Shopkit also takes the key as a query parameter (docs/shopkit-api-notes.md#fundamentals); the kit only reads the
  // header.
  app.addHook('onRequest', (request, _reply, done) => {
    const key = (request.query as Query)['X-API-KEY'];
    if (typeof key === 'string' && request.headers['x-api-key'] === undefined) request.headers['x-api-key'] = key;
    done();
  });
  kit.install(app);
  registerReadRoutes(app, store, options.listShape ?? 'array');
  registerWebhookRoutes(app, webhooks);
  registerSandboxRoutes(app, store, kit, webhooks);

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    baseUrl: `${origin}${BASE}`,
    sandboxUrl: `${origin}${SANDBOX_PREFIX.slice(0, -1)}`,
    apiKey,
    webhookSecret,
    port,
    store,
    generator,
    kit,
    webhooks,
    close: async () => {
      webhooks.close();
      await app.close();
    },
  };
}

// -----------------------------------------------------------------------------------------------
// Read endpoints (docs/shopkit-api-notes.md#read-routes)

function registerReadRoutes(app: FastifyInstance, store: ShopkitSandboxStore, shape: ListShape): void {
  const { products, categories, brands, orders, clients, coupons } = store.collections;

  app.get(`${BASE}/store`, () => store.generator.store());
  app.get(`${BASE}/shipment/carrier`, () => store.generator.carriers());

  app.get<{ Querystring: Query }>(`${BASE}/product`, (request, reply) => {
    const { id, handle } = request.query;
    if (id !== undefined) return single(reply, products.get(Number(id)));
    if (handle !== undefined) return single(reply, products.filter(`handle:${handle}`, (p) => p.handle === handle)[0]);
    return list(request, reply, shape, filtered(products, request.query, productMatcher(request.query)));
  });
  app.get<{ Params: { id: string } }>(`${BASE}/product/:id`, (request, reply) =>
    single(reply, products.get(Number(request.params.id))),
  );

  app.get<{ Querystring: Query }>(`${BASE}/category`, (request, reply) => {
    if (request.query.id !== undefined) return single(reply, categories.get(Number(request.query.id)));
    const { active, is_parent: isParent } = request.query;
    const match = (c: WireObject) =>
      (active === undefined || String(c.active) === active) && (isParent !== 'true' || c.parent === 0);
    return list(request, reply, shape, filtered(categories, request.query, match));
  });
  app.get<{ Params: { id: string } }>(`${BASE}/category/:id`, (request, reply) =>
    single(reply, categories.get(Number(request.params.id))),
  );

  app.get<{ Querystring: Query }>(`${BASE}/brand`, (request, reply) => {
    if (request.query.id !== undefined) return single(reply, brands.get(Number(request.query.id)));
    const { active } = request.query;
    const match = (b: WireObject) => active === undefined || String(b.active) === active;
    return list(request, reply, shape, filtered(brands, request.query, match));
  });
  app.get<{ Params: { id: string } }>(`${BASE}/brand/:id`, (request, reply) =>
    single(reply, brands.get(Number(request.params.id))),
  );

  app.get<{ Querystring: Query }>(`${BASE}/order`, (request, reply) => {
    if (request.query.id !== undefined) return single(reply, orders.get(Number(request.query.id)));
    const match = orderMatcher(request.query);
    if (match === 'bad') return reply.code(400).send(BAD_REQUEST);
    const email = request.query.client_email?.toLowerCase();
    const base = {
      range: orderRange(store, request.query),
      candidates: email === undefined ? undefined : store.generator.orderIndexesOfEmail(email),
    };
    return list(request, reply, shape, filtered(orders, request.query, match, base));
  });
  app.get<{ Params: { id: string } }>(`${BASE}/order/:id`, (request, reply) =>
    single(reply, orders.get(Number(request.params.id))),
  );

  app.get<{ Querystring: Query }>(`${BASE}/client`, (request, reply) => {
    const { hash } = request.query;
    if (hash !== undefined) return clientByHash(reply, clients, hash);
    return list(request, reply, shape, filtered(clients, request.query, clientMatcher(request.query)));
  });
  app.get<{ Params: { hash: string } }>(`${BASE}/client/:hash`, (request, reply) =>
    clientByHash(reply, clients, request.params.hash),
  );

  // No coupon list exists (docs/shopkit-api-notes.md#read-routes): one coupon by id or code, as a one-element array.
  const coupon = (reply: FastifyReply, key: { id?: string; code?: string }) => {
    if (key.id === undefined && key.code === undefined) return reply.code(400).send(BAD_REQUEST);
    const found =
      key.id !== undefined
        ? coupons.get(Number(key.id))
        : coupons.filter(`code:${key.code}`, (c) => c.code === key.code)[0];
    return found === undefined ? reply.code(404).send(NOT_FOUND) : [found];
  };
  app.get<{ Querystring: Query }>(`${BASE}/coupon`, (request, reply) => coupon(reply, request.query));
  app.get<{ Params: { code: string } }>(`${BASE}/coupon/:code`, (request, reply) =>
    coupon(reply, /^\d+$/.test(request.params.code) ? { id: request.params.code } : { code: request.params.code }),
  );
}

function single(reply: FastifyReply, entity: WireObject | undefined) {
  return entity === undefined ? reply.code(404).send(NOT_FOUND) : entity;
}

function clientByHash(reply: FastifyReply, clients: EntityCollection, hash: string) {
  const found = clients.filter(`hash:${hash}`, (c) => c.hash === hash.toLowerCase());
  return found.length === 0 ? reply.code(404).send(NOT_FOUND) : found;
}

/** The whole collection when no filter applies (served lazily), else the cached filtered list. */
function filtered(
  collection: EntityCollection,
  query: Query,
  match: ((entity: WireObject) => boolean) | undefined,
  base?: Parameters<EntityCollection['filter']>[2],
): ListSource {
  if (match === undefined) return { total: collection.size, slice: (offset, limit) => collection.slice(offset, limit) };
  const { page: _page, limit: _limit, ...filters } = query;
  const items = collection.filter(JSON.stringify(filters), match, base);
  return { total: items.length, slice: (offset, limit) => items.slice(offset, offset + limit) };
}

function list(request: FastifyRequest, reply: FastifyReply, shape: ListShape, source: ListSource) {
  const query = request.query as Query;
  const page = positive(query.page) ?? 1;
  const limit = Math.min(MAX_LIMIT, positive(query.limit) ?? DEFAULT_LIMIT);
  const offset = (page - 1) * limit;
  // Past the end, Shopkit's documented list error is a 404 (docs/shopkit-api-notes.md#paging).
  if (page > 1 && offset >= source.total) return reply.code(404).send(NOT_FOUND);
  const items = source.slice(offset, limit);
  reply.header('x-total-count', String(source.total));
  if (shape === 'single' && items.length === 1) return items[0];
  if (shape !== 'keyed') return items;
  const link = (target: number) => {
    const url = new URL(request.url, 'http://shopkit.invalid');
    url.searchParams.set('page', String(target));
    url.searchParams.set('limit', String(limit));
    return `${url.pathname}${url.search}`;
  };
  const hasNext = offset + items.length < source.total;
  const paging =
    page > 1 || hasNext ? { previous: page > 1 ? link(page - 1) : null, next: hasNext ? link(page + 1) : null } : null;
  return { ...Object.fromEntries(items.map((item, n) => [String(n), item])), paging };
}

function positive(value: string | undefined): number | undefined {
  const n = nonNegativeInt(value);
  return n === undefined || n === 0 ? undefined : n;
}

function idSet(value: string | undefined): Set<number> | undefined {
  return value === undefined ? undefined : new Set(value.split(',').map((id) => Number(id.trim())));
}

/** A comma list of aliases or codes; `all`/`0` (or nothing, with `fallback` undefined) means every status. */
function statusSet(
  aliases: readonly string[],
  alias?: string,
  code?: string,
  fallback?: string,
): Set<string> | undefined {
  const wanted = (alias ?? code ?? fallback)?.split(',').map((s) => s.trim());
  if (wanted === undefined || wanted.includes('all') || wanted.includes('0')) return undefined;
  return new Set(wanted.map((s) => (/^\d+$/.test(s) ? (aliases[Number(s) - 1] ?? s) : s)));
}

function productMatcher(query: Query): (p: WireObject) => boolean {
  const ids = idSet(query.ids);
  const statuses = statusSet(SHOPKIT_PRODUCT_STATUSES, query.status_alias, query.status, 'active');
  const category = query.category === undefined ? undefined : Number(query.category);
  return (p) =>
    (ids === undefined || ids.has(Number(p.id))) &&
    (statuses === undefined || statuses.has(String(p.status_alias))) &&
    (category === undefined || (p.categories as WireObject[]).some((c) => Number(c.id) === category));
}

const ORDER_DATE_TYPES = ['created_at', 'update_at', 'sent_at', 'paid_at'];

function orderMatcher(query: Query): ((o: WireObject) => boolean) | undefined | 'bad' {
  const { date_from: from, date_to: to, date_type: dateType = 'created_at', paid, client_hash: hash } = query;
  if (!ORDER_DATE_TYPES.includes(dateType)) return 'bad';
  const ids = idSet(query.ids);
  const statuses = statusSet(SHOPKIT_ORDER_STATUSES, query.status_alias, query.status);
  const email = query.client_email?.toLowerCase();
  const coupon = query.coupon_code;
  const dated = from !== undefined || to !== undefined;
  if (!ids && !statuses && !dated && paid === undefined && !hash && !email && !coupon) return undefined;
  return (o) => {
    const client = o.client as WireObject;
    // Day granularity on the store-local date written in the timestamp, bounds inclusive.
    const day = typeof o[dateType] === 'string' ? o[dateType].slice(0, 10) : '';
    return (
      (ids === undefined || ids.has(Number(o.id))) &&
      (statuses === undefined || statuses.has(String(o.status_alias))) &&
      (!dated || (day !== '' && (from === undefined || day >= from) && (to === undefined || day <= to))) &&
      (paid === undefined || String(o.paid) === paid) &&
      (hash === undefined || client.hash === hash) &&
      (email === undefined || String(client.email).toLowerCase() === email) &&
      (coupon === undefined || (o.coupon as WireObject | null)?.code === coupon)
    );
  };
}

/** Generated orders are created in index order, so a date window only needs a slice of them. */
function orderRange(store: ShopkitSandboxStore, query: Query): [number, number] | undefined {
  const { date_from: from, date_to: to, date_type: dateType = 'created_at' } = query;
  if (from === undefined && to === undefined) return undefined;
  const hour = 3_600_000;
  const fromMs = from === undefined ? 0 : Date.parse(`${from}T00:00:00Z`) - hour;
  const toMs = to === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(`${to}T23:59:59Z`) + hour;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return undefined;
  // Other dates of an order fall within ORDER_MAX_LAG_MS after its creation.
  const lag = dateType === 'created_at' ? 0 : ORDER_MAX_LAG_MS;
  return store.generator.orderIndexRange(fromMs - lag, toMs);
}

function clientMatcher(query: Query): ((c: WireObject) => boolean) | undefined {
  const { registered, accepts_marketing: marketing, wholesale, q } = query;
  const needle = q?.toLowerCase();
  if (registered === undefined && marketing === undefined && wholesale === undefined && needle === undefined)
    return undefined;
  return (c) =>
    (registered === undefined || String(c.type === 'registered') === registered) &&
    (marketing === undefined || String(c.accepts_marketing) === marketing) &&
    (wholesale === undefined || String(c.wholesale) === wholesale) &&
    (needle === undefined || `${String(c.name)} ${String(c.email)}`.toLowerCase().includes(needle));
}

// -----------------------------------------------------------------------------------------------
// Webhook subscriptions (docs/shopkit-api-notes.md#read-routes)

const WebhookInputSchema = z.object({ url: z.url({ protocol: /^https?$/ }), event: z.enum(SHOPKIT_EVENT_NAMES) });

function registerWebhookRoutes(app: FastifyInstance, webhooks: ShopkitWebhookSender): void {
  app.get<{ Querystring: Query }>(`${BASE}/webhook`, (request, reply) => {
    const { id, event, active } = request.query;
    if (id !== undefined) return single(reply, webhooks.get(Number(id)) as WireObject | undefined);
    const found = webhooks.list({ event, active: active === undefined ? undefined : active === 'true' });
    reply.header('x-total-count', String(found.length));
    return found;
  });
  app.get<{ Params: { id: string } }>(`${BASE}/webhook/:id`, (request, reply) =>
    single(reply, webhooks.get(Number(request.params.id)) as WireObject | undefined),
  );
  app.post(`${BASE}/webhook`, (request, reply) => {
    const input = WebhookInputSchema.safeParse(request.body);
    if (!input.success) return reply.code(400).send(BAD_REQUEST);
    const created = webhooks.subscribe(input.data.url, input.data.event);
    return created === undefined ? reply.code(409).send({ message: 'Already exists.' }) : reply.code(201).send(created);
  });
  app.delete<{ Params: { id: string } }>(`${BASE}/webhook/:id`, (request, reply) =>
    webhooks.unsubscribe(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send(NOT_FOUND),
  );
}

// -----------------------------------------------------------------------------------------------
// Sandbox routes: mutations, inspection, reconfiguration

const MutationOptionsSchema = z
  .object({
    duplicate: z.boolean().optional(),
    delayMs: z.number().int().nonnegative().optional(),
    origin: z.enum(['api', 'import', 'backoffice', 'storefront', 'duplicate', 'process']).optional(),
    events: z.array(z.enum(SHOPKIT_EVENT_NAMES)).optional(),
    silent: z.boolean().optional(),
  })
  .default({});
const WireObjectSchema = z.record(z.string(), z.unknown());
const CreateBodySchema = z.object({ fields: WireObjectSchema.default({}), webhook: MutationOptionsSchema }).default({
  fields: {},
  webhook: {},
});
const UpdateBodySchema = z.object({ patch: WireObjectSchema, webhook: MutationOptionsSchema });
const DeleteBodySchema = z.object({ webhook: MutationOptionsSchema }).default({ webhook: {} });
const NewsletterBodySchema = z.object({ subscribed: z.boolean(), webhook: MutationOptionsSchema });
const CartBodySchema = z.object({
  clientId: z.number().int(),
  productIds: z.array(z.number().int()).default([]),
  webhook: MutationOptionsSchema,
});
const ConfigBodySchema = z.object({
  quota: z
    .object({ requests: z.number().int().positive(), windowMs: z.number().int().positive() })
    .nullable()
    .optional(),
  faults: z
    .object({
      seed: z.number().int().optional(),
      errorRate: z.number().min(0).max(1).optional(),
      errorStatus: z.number().int().optional(),
      dropRate: z.number().min(0).max(1).optional(),
      latencyMs: z.number().nonnegative().optional(),
      latencyRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

const MUTABLE: MutableResource[] = ['orders', 'clients', 'products'];
const SANDBOX_PAGE = 100;
const SANDBOX_MAX_PAGE = 1_000;

function registerSandboxRoutes(
  app: FastifyInstance,
  store: ShopkitSandboxStore,
  kit: SimulatorKit,
  webhooks: ShopkitWebhookSender,
): void {
  const sandbox = SANDBOX_PREFIX.slice(0, -1);
  // The kit's entity route needs every item in memory; these pages are built on demand instead.
  app.get(`${sandbox}/stats`, () => {
    const deliveries = webhooks.deliveries();
    return {
      ...kit.stats(),
      counts: store.counts(),
      webhooks: {
        subscriptions: webhooks.list().length,
        suspended: webhooks.list({ active: false }).length,
        attempts: deliveries.length,
        failedAttempts: deliveries.filter((d) => !d.ok).length,
      },
    };
  });
  app.get<{ Params: { resource: string }; Querystring: Query }>(`${sandbox}/entities/:resource`, (request, reply) => {
    const { resource } = request.params;
    const page = positive(request.query.page) ?? 1;
    const limit = Math.min(SANDBOX_MAX_PAGE, positive(request.query.limit) ?? SANDBOX_PAGE);
    if (resource === 'webhooks') {
      const all = webhooks.list();
      return { resource, total: all.length, page, limit, items: all.slice((page - 1) * limit, page * limit) };
    }
    if (!(SANDBOX_RESOURCES as readonly string[]).includes(resource)) return reply.code(404).send(NOT_FOUND);
    const collection = store.collections[resource as SandboxResource];
    return { resource, total: collection.size, page, limit, items: collection.slice((page - 1) * limit, limit) };
  });
  app.get(`${sandbox}/deliveries`, () => webhooks.deliveries());
  app.post(`${sandbox}/config`, (request, reply) => {
    const body = ConfigBodySchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ message: z.prettifyError(body.error) });
    if (body.data.quota !== undefined) kit.setQuota(body.data.quota);
    if (body.data.faults !== undefined) kit.setFaults(body.data.faults);
    return { ok: true };
  });

  for (const resource of MUTABLE) {
    app.post(`${sandbox}/${resource}`, (request, reply) =>
      parsed(reply, CreateBodySchema, request.body, (body) =>
        reply.code(201).send(store.create(resource, body.fields, body.webhook)),
      ),
    );
    app.put<{ Params: { id: string } }>(`${sandbox}/${resource}/:id`, (request, reply) =>
      parsed(reply, UpdateBodySchema, request.body, (body) =>
        found(reply, store.update(resource, Number(request.params.id), body.patch, body.webhook)),
      ),
    );
    app.delete<{ Params: { id: string } }>(`${sandbox}/${resource}/:id`, (request, reply) =>
      parsed(reply, DeleteBodySchema, request.body, (body) =>
        found(reply, store.remove(resource, Number(request.params.id), body.webhook)),
      ),
    );
  }
  app.post<{ Params: { id: string } }>(`${sandbox}/clients/:id/newsletter`, (request, reply) =>
    parsed(reply, NewsletterBodySchema, request.body, (body) =>
      found(reply, store.setNewsletter(Number(request.params.id), body.subscribed, body.webhook)),
    ),
  );
  app.post(`${sandbox}/carts/abandoned`, (request, reply) =>
    parsed(reply, CartBodySchema, request.body, (body) =>
      found(reply, store.abandonCart(body.clientId, body.productIds, body.webhook)),
    ),
  );
}

function parsed<S extends z.ZodType, R>(
  reply: FastifyReply,
  schema: S,
  body: unknown,
  handle: (value: z.output<S>) => R,
): R | FastifyReply {
  const result = schema.safeParse(body);
  return result.success ? handle(result.data) : reply.code(400).send({ message: z.prettifyError(result.error) });
}

function found<T>(reply: FastifyReply, result: T | undefined): T | FastifyReply {
  return result === undefined ? reply.code(404).send(NOT_FOUND) : result;
}
