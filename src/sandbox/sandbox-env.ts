import type { ShopimindSimulator } from './shopimind-simulator';
import type { ShopkitSimulator } from './shopkit-simulator';

/**
 * The single-store environment (see src/config.ts) of a store served by the two simulators, with
 * quotas matching theirs: what the demo, the tests and the benchmarks hand to a worker.
 */
export function sandboxStoreEnv(options: {
  storeId: string;
  shopkit: Pick<ShopkitSimulator, 'baseUrl' | 'apiKey' | 'webhookSecret'>;
  shopimind: Pick<ShopimindSimulator, 'baseUrl' | 'apiKey'>;
  shopkitPerSecond: number;
  shopimindPerSecond: number;
}): Record<string, string> {
  return {
    STORE_ID: options.storeId,
    SHOPKIT_BASE_URL: options.shopkit.baseUrl,
    SHOPKIT_API_KEY: options.shopkit.apiKey,
    SHOPKIT_WEBHOOK_SECRET: options.shopkit.webhookSecret,
    SHOPKIT_QUOTA_PER_HOUR: String(options.shopkitPerSecond * 3600),
    SHOPIMIND_BASE_URL: options.shopimind.baseUrl,
    SHOPIMIND_API_KEY: options.shopimind.apiKey,
    SHOPIMIND_QUOTA_PER_MINUTE: String(options.shopimindPerSecond * 60),
  };
}
