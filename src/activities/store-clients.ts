import type { Dispatcher } from 'undici';
import type { StoreConfig } from '../config';
import type { LookupOptions, StoreLookup } from '../registry/store-lookup';
import { sharedAgent, TokenBucketRegistry, type RetryPolicy } from '../http';
import { ShopimindClient } from '../shopimind';
import { ShopkitClient } from '../shopkit';
import { storeNotConfigured } from './failures';

/** HTTP requests an activity made, per API; retries count, since they spend quota too. */
export interface CallCounts {
  shopkit: number;
  shopimind: number;
}

export interface StoreClients {
  store: StoreConfig;
  shopkit: ShopkitClient;
  shopimind: ShopimindClient;
  /** Requests sent so far through these clients. */
  calls: CallCounts;
}

export interface ClientFactoryOptions {
  /** Overrides for tests: shorter retries, another pool. */
  retry?: RetryPolicy;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/**
 * Builds a store's API clients from the worker's stores: configured ones, or the installation registry's,
 * looked up on each call through its short cache so a new or changed installation needs no restart.
 * Clients are cheap (the connection pool and the per-key token buckets are shared process-wide), so each
 * activity gets its own pair and with it an exact count of the requests it made.
 */
export class StoreClientFactory {
  private readonly buckets = new TokenBucketRegistry();

  constructor(
    private readonly stores: StoreLookup,
    private readonly options: ClientFactoryOptions = {},
  ) {}

  async forStore(storeId: string, lookup?: LookupOptions): Promise<StoreClients> {
    const store = await this.stores.get(storeId, lookup);
    if (!store) throw storeNotConfigured(storeId);
    const calls: CallCounts = { shopkit: 0, shopimind: 0 };
    const counted = (api: keyof CallCounts) =>
      (this.options.dispatcher ?? sharedAgent).compose((dispatch) => (opts, handler) => {
        calls[api] += 1;
        return dispatch(opts, handler);
      });
    const common = { buckets: this.buckets, retry: this.options.retry, timeoutMs: this.options.timeoutMs };
    return {
      store,
      calls,
      shopkit: new ShopkitClient(store, { ...common, dispatcher: counted('shopkit') }),
      shopimind: new ShopimindClient(store, { ...common, dispatcher: counted('shopimind') }),
    };
  }
}
