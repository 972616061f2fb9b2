import { StoreConfigSchema, type StoreConfig } from '../config';
import type { InstallationRegistry } from './installation-registry';
import type { RegistryConfig } from './registry-config';

/**
 * Where a process finds a store's configuration by id. A `ReadonlyMap` of configured stores is one; the
 * registry-backed lookup is another, asynchronous and cached.
 */
export interface StoreLookup {
  /** `fresh`: read past any cache (a connection check must test the keys just saved, not older ones). */
  get(storeId: string, options?: LookupOptions): StoreConfig | undefined | Promise<StoreConfig | undefined>;
}

export interface LookupOptions {
  fresh?: boolean;
}

/**
 * Stores of the installation registry, decrypted on demand and trusted for `ttlMs`: an installation,
 * a new key or an uninstall reaches every process within that delay, without a restart.
 */
export class RegistryStoreLookup implements StoreLookup {
  private readonly cache = new Map<string, { at: number; value: Promise<StoreConfig | undefined> }>();

  constructor(
    private readonly registry: InstallationRegistry,
    private readonly defaults: RegistryConfig['defaults'],
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(storeId: string, options: LookupOptions = {}): Promise<StoreConfig | undefined> {
    const cached = this.cache.get(storeId);
    if (cached && !options.fresh && this.now() - cached.at < this.ttlMs) return cached.value;
    const value = this.load(storeId);
    this.cache.set(storeId, { at: this.now(), value });
    // A failed read is not remembered: the next call asks the database again.
    value.catch(() => this.cache.delete(storeId));
    return value;
  }

  /** Forgets what this process knows of a store (after it changed the installation itself). */
  invalidate(storeId: string): void {
    this.cache.delete(storeId);
  }

  private async load(storeId: string): Promise<StoreConfig | undefined> {
    const found = await this.registry.secretsOfStore(storeId);
    if (!found) return undefined;
    return StoreConfigSchema.parse({
      storeId,
      shopkit: {
        baseUrl: found.installation.shopkitBaseUrl,
        apiKey: found.secrets.shopkitApiKey,
        webhookSecret: found.secrets.shopkitWebhookSecret,
        quotaPerHour: this.defaults.shopkitQuotaPerHour,
      },
      shopimind: {
        baseUrl: this.defaults.shopimindBaseUrl,
        apiKey: found.secrets.accessToken,
        quotaPerMinute: this.defaults.shopimindQuotaPerMinute,
      },
    });
  }
}

/** The configured stores first (one self-hosted shop), then the registry. */
export function combinedLookup(configured: ReadonlyMap<string, StoreConfig>, registry?: StoreLookup): StoreLookup {
  if (!registry) return configured;
  return { get: (storeId, options) => configured.get(storeId) ?? registry.get(storeId, options) };
}
