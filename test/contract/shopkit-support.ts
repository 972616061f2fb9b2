import type { StoreConfig } from '../../src/config';
import { ShopkitClient, type ShopkitClientOptions } from '../../src/shopkit';
import type { ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';

/** Retries fast enough for tests; Retry-After still wins over this backoff. */
export const fastRetry = { maxAttempts: 5, initialDelayMs: 5, maxDelayMs: 50, maxElapsedMs: 10_000 };

export function storeFor(sim: ShopkitSimulator, apiKey = sim.apiKey): StoreConfig {
  return {
    storeId: 'contract-store',
    shopkit: { baseUrl: sim.baseUrl, apiKey, webhookSecret: sim.webhookSecret, quotaPerHour: 1_000_000 },
    shopimind: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused', quotaPerMinute: 600 },
  };
}

export function clientFor(sim: ShopkitSimulator, options: ShopkitClientOptions = {}, apiKey?: string): ShopkitClient {
  return new ShopkitClient(storeFor(sim, apiKey), { retry: fastRetry, ...options });
}
