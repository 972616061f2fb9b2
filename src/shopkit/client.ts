import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { StoreConfig } from '../config';
import {
  ApiError,
  JsonHttpClient,
  TokenBucketRegistry,
  type HttpRequest,
  type HttpResponse,
  type QueryValue,
  type RetryEvent,
  type RetryPolicy,
} from '../http';
import { formatIssues, validateItems, type ValidatedItems } from './item-validation';
import { toItemList } from './list-shapes';
import { iteratePages, pageOutcome, type ShopkitPage } from './pager';
import {
  listQuery,
  SHOPKIT_MAX_LIMIT,
  shopkitListResources,
  type ShopkitItemOf,
  type ShopkitListFilters,
  type ShopkitListResource,
} from './resources';
import {
  ShopkitCarrierSchema,
  ShopkitClientSchema,
  ShopkitCouponSchema,
  ShopkitOrderSchema,
  ShopkitProductSchema,
  ShopkitStoreSchema,
  ShopkitWebhookSchema,
  type ShopkitCarrier,
  type ShopkitCustomer,
  type ShopkitCoupon,
  type ShopkitOrder,
  type ShopkitProduct,
  type ShopkitStore,
  type ShopkitWebhook,
} from './schemas';

const HOUR_MS = 3_600_000;

export interface ShopkitClientOptions {
  /** Share one registry per process so every client of one API key draws on one quota. */
  buckets?: TokenBucketRegistry;
  retry?: RetryPolicy;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  onRetry?: (event: RetryEvent) => void;
}

/** Page position of a list read; the page size defaults to Shopkit's maximum, 50. */
export interface ShopkitPageRequest {
  page?: number;
  limit?: number;
}

export interface ShopkitPagesOptions {
  limit?: number;
  startPage?: number;
}

/**
 * Read access to one store's Shopkit API (docs/shopkit-api-notes.md): list pages validated item by
 * item, single lookups that answer `null` for 404, and webhook subscriptions. Requests are paced
 * by a token bucket per API key and retried by {@link JsonHttpClient}; failures are `ApiError`s
 * naming the store and the path, never the key.
 */
export class ShopkitClient {
  private readonly http: JsonHttpClient;

  constructor(store: StoreConfig, options: ShopkitClientOptions = {}) {
    const { apiKey, baseUrl, quotaPerHour } = store.shopkit;
    const buckets = options.buckets ?? new TokenBucketRegistry();
    this.http = new JsonHttpClient({
      api: 'shopkit',
      storeId: store.storeId,
      baseUrl,
      authHeaders: { 'X-API-KEY': apiKey },
      bucket: buckets.forKey('shopkit', apiKey, { requests: quotaPerHour, windowMs: HOUR_MS, burst: 1 }),
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher,
      onRetry: options.onRetry,
    });
  }

  get storeId(): string {
    return this.http.storeId;
  }

  /**
   * Resolves one quota interval after this key's last call in this process. A caller the workflows'
   * pacing does not see (webhook registration) awaits it before handing the store over to them.
   */
  afterQuotaInterval(): Promise<void> {
    return this.http.afterQuotaInterval();
  }

  async getStore(): Promise<ShopkitStore> {
    const response = await this.http.send({ method: 'GET', path: '/store' });
    return this.parseOne(ShopkitStoreSchema, response.body, { method: 'GET', path: '/store' }, response.status);
  }

  /**
   * Reads exactly one page of a list: the unit of work of one import activity. A 404 (Shopkit's
   * answer past the end of a list) is an empty, done page. Items failing their schema are returned
   * in `invalid`, the others in `items`.
   */
  async readPage<R extends ShopkitListResource>(
    resource: R,
    page: number,
    filters: ShopkitListFilters = {},
    limit: number = SHOPKIT_MAX_LIMIT,
  ): Promise<ShopkitPage<ShopkitItemOf<R>>> {
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be an integer ≥ 1, got ${page}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > SHOPKIT_MAX_LIMIT) {
      throw new RangeError(`limit must be an integer in 1..${SHOPKIT_MAX_LIMIT}, got ${limit}`);
    }
    const { path, schema } = shopkitListResources[resource];
    const response = await this.getOrNull(path, listQuery(resource, page, limit, filters));
    const raw = response === null ? [] : toItemList(response.body);
    const total = parseTotalCount(response?.headers['x-total-count']);
    // The schema is looked up by `resource`, so its output is ShopkitItemOf<R>; TS cannot follow the index.
    const { items, invalid } = validateItems(schema, raw) as ValidatedItems<ShopkitItemOf<R>>;
    const outcome = pageOutcome({ page, limit, received: raw.length, total, notFound: response === null });
    return { items, invalid, page, limit, received: raw.length, total, ...outcome };
  }

  /** Every page of a list, in order, from `startPage` until the list ends (see `pageOutcome`). */
  pages<R extends ShopkitListResource>(
    resource: R,
    filters: ShopkitListFilters = {},
    { limit = SHOPKIT_MAX_LIMIT, startPage = 1 }: ShopkitPagesOptions = {},
  ): AsyncGenerator<ShopkitPage<ShopkitItemOf<R>>, void, undefined> {
    return iteratePages((page) => this.readPage(resource, page, filters, limit), pageFingerprint, startPage);
  }

  listProducts({
    page = 1,
    limit,
    ...filters
  }: ShopkitPageRequest & Pick<ShopkitListFilters, 'ids' | 'category'> = {}) {
    return this.readPage('products', page, filters, limit);
  }

  listCategories({ page = 1, limit }: ShopkitPageRequest = {}) {
    return this.readPage('categories', page, {}, limit);
  }

  listBrands({ page = 1, limit }: ShopkitPageRequest = {}) {
    return this.readPage('brands', page, {}, limit);
  }

  listOrders({
    page = 1,
    limit,
    ...filters
  }: ShopkitPageRequest & Pick<ShopkitListFilters, 'ids' | 'dateType' | 'dateFrom' | 'dateTo'> = {}) {
    return this.readPage('orders', page, filters, limit);
  }

  listClients({ page = 1, limit, ...filters }: ShopkitPageRequest & Pick<ShopkitListFilters, 'registered'> = {}) {
    return this.readPage('clients', page, filters, limit);
  }

  /** One product of any status, or `null` if Shopkit does not know it. */
  async getProduct(productId: number): Promise<ShopkitProduct | null> {
    return this.getOne(ShopkitProductSchema, `/product/${positiveId(productId)}`, { status_alias: 'all' });
  }

  /** Products by id, 50 per request; ids Shopkit does not know are simply absent. */
  getProducts(productIds: readonly number[]): Promise<ValidatedItems<ShopkitProduct>> {
    return this.getByIds('products', productIds);
  }

  async getOrder(orderId: number): Promise<ShopkitOrder | null> {
    return this.getOne(ShopkitOrderSchema, `/order/${positiveId(orderId)}`, { status_alias: 'all' });
  }

  getOrders(orderIds: readonly number[]): Promise<ValidatedItems<ShopkitOrder>> {
    return this.getByIds('orders', orderIds);
  }

  /** A client by its 32-hex e-mail hash (the join key orders carry), or `null`. */
  async getClientByHash(hash: string): Promise<ShopkitCustomer | null> {
    if (!/^[0-9a-f]{32}$/i.test(hash)) throw new RangeError('a Shopkit client hash is 32 hexadecimal characters');
    return this.getOne(ShopkitClientSchema, `/client/${hash.toLowerCase()}`);
  }

  /** The tracking carriers Shopkit supports (a fixed list of aliases). */
  async listCarriers(): Promise<ValidatedItems<ShopkitCarrier>> {
    const response = await this.http.send({ method: 'GET', path: '/shipment/carrier' });
    return validateItems(ShopkitCarrierSchema, toItemList(response.body));
  }

  /** A coupon by id or code (there is no coupon list), or `null`. */
  async getCoupon(key: { id: number } | { code: string }): Promise<ShopkitCoupon | null> {
    if ('id' in key) return this.getOne(ShopkitCouponSchema, '/coupon', { id: positiveId(key.id) });
    return this.getOne(ShopkitCouponSchema, `/coupon/${encodeURIComponent(key.code)}`);
  }

  async listWebhooks(filters: { event?: string; active?: boolean } = {}): Promise<ValidatedItems<ShopkitWebhook>> {
    const response = await this.getOrNull('/webhook', { event: filters.event, active: filters.active });
    return validateItems(ShopkitWebhookSchema, response === null ? [] : toItemList(response.body));
  }

  /** Subscribes `url` to one event. Shopkit answers 409 (an `ApiError`) when it already exists. */
  async createWebhook(subscription: { url: string; event: string }): Promise<ShopkitWebhook> {
    const req: HttpRequest = { method: 'POST', path: '/webhook', body: subscription };
    const response = await this.http.send(req);
    return this.parseOne(ShopkitWebhookSchema, toItemList(response.body)[0], req, response.status);
  }

  /** Unsubscribes; `false` when it was already gone, so retries stay idempotent. */
  async deleteWebhook(webhookId: number): Promise<boolean> {
    try {
      await this.http.send({ method: 'DELETE', path: `/webhook/${positiveId(webhookId)}` });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') return false;
      throw err;
    }
  }

  private async getByIds<R extends 'products' | 'orders'>(
    resource: R,
    ids: readonly number[],
  ): Promise<ValidatedItems<ShopkitItemOf<R>>> {
    const result: ValidatedItems<ShopkitItemOf<R>> = { items: [], invalid: [] };
    for (let start = 0; start < ids.length; start += SHOPKIT_MAX_LIMIT) {
      const chunk = ids.slice(start, start + SHOPKIT_MAX_LIMIT).map(positiveId);
      const page = await this.readPage(resource, 1, { ids: chunk });
      result.items.push(...page.items);
      result.invalid.push(...page.invalid);
    }
    return result;
  }

  private async getOne<S extends z.ZodType>(
    schema: S,
    path: string,
    query?: Record<string, QueryValue>,
  ): Promise<z.output<S> | null> {
    const response = await this.getOrNull(path, query);
    if (response === null) return null;
    const [item] = toItemList(response.body);
    if (item === undefined) return null;
    return this.parseOne(schema, item, { method: 'GET', path }, response.status);
  }

  /** GET that reads 404 as "nothing there" (Shopkit's answer for unknown ids and empty lists). */
  private async getOrNull(path: string, query?: Record<string, QueryValue>): Promise<HttpResponse | null> {
    try {
      return await this.http.send({ method: 'GET', path, query });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') return null;
      throw err;
    }
  }

  private parseOne<S extends z.ZodType>(
    schema: S,
    body: unknown,
    req: Pick<HttpRequest, 'method' | 'path'>,
    status: number,
  ): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const reasons = formatIssues(parsed.error).slice(0, 5).join('; ');
    throw this.http.error(req, 'bad_response', false, {
      status,
      reason: `the response does not match the schema: ${reasons}`,
    });
  }
}

function parseTotalCount(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}

function positiveId(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`a Shopkit id is a positive integer, got ${value}`);
  return value;
}

/** Identifies a page's content, to notice a server that serves the same page again. */
function pageFingerprint(page: ShopkitPage<{ id: number | null; hash?: string | null }>): string {
  const keys = page.items.map((item) => item.id ?? item.hash ?? '');
  return JSON.stringify([page.received, keys, page.invalid.map((item) => item.sourceId)]);
}
