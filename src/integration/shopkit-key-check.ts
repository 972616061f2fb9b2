import { DEFAULT_SHOPIMIND_BASE_URL, DEFAULT_SHOPKIT_BASE_URL, type StoreConfig } from '../config';
import { ApiError } from '../http';
import type { InstallationConfigs } from '../registry/installation-registry';
import { ShopkitClient } from '../shopkit';

/** One quick attempt and a retry: ShopiMind's form waits on this answer. */
const RETRY = { maxAttempts: 2, initialDelayMs: 200, maxDelayMs: 1_000, maxElapsedMs: 5_000 };

/**
 * `/webhook/test-connection`: whether Shopkit accepts the form's API key, with one cheap read (`GET /store`).
 * Never throws for a refused key or an unreachable API: both are "connection_failed" to the merchant.
 */
export async function shopkitKeyWorks(values: InstallationConfigs): Promise<boolean> {
  const apiKey = values.shopkit_api_key;
  const baseUrl = values.shopkit_base_url ?? DEFAULT_SHOPKIT_BASE_URL;
  if (!apiKey || !/^https?:\/\/[^/]/.test(baseUrl)) return false;
  // A Shopkit client reads only the Shopkit key and base URL; the other fields are not known yet.
  const store: StoreConfig = {
    storeId: 'connection-test',
    shopkit: { apiKey, baseUrl, webhookSecret: '', quotaPerHour: 3600 },
    shopimind: { apiKey: '', baseUrl: DEFAULT_SHOPIMIND_BASE_URL, quotaPerMinute: 600 },
  };
  const client = new ShopkitClient(store, { retry: RETRY, timeoutMs: 10_000 });
  try {
    await client.getStore();
    return true;
  } catch (err) {
    if (err instanceof ApiError) return false;
    throw err;
  }
}
