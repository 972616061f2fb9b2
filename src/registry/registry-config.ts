import { z } from 'zod';
import { ConfigError, DEFAULT_SHOPIMIND_BASE_URL, storesConfigured } from '../config';
import { DEFAULT_REGISTRY_URL, parseRegistryUrl, type RegistryLocation } from './registry-database';

type Env = Record<string, string | undefined>;

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
const hexKey = (name: string) =>
  z
    .string({ error: `${name} is required with the installation registry: 64 hex characters (openssl rand -hex 32)` })
    .regex(/^[0-9a-fA-F]{64}$/, `${name} must be 64 hex characters (openssl rand -hex 32)`);

const RegistryEnvSchema = z.object({
  REGISTRY_URL: z.string().default(DEFAULT_REGISTRY_URL),
  SECRETS_KEY: hexKey('SECRETS_KEY'),
  SECRETS_KEY_PREVIOUS: hexKey('SECRETS_KEY_PREVIOUS').optional(),
  REGISTRY_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  // What installations do not carry: the ShopiMind API base and both quotas apply to every installation.
  SHOPIMIND_BASE_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_SHOPIMIND_BASE_URL),
  SHOPKIT_QUOTA_PER_HOUR: z.coerce.number().int().positive().default(3600),
  SHOPIMIND_QUOTA_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

export interface RegistryConfig {
  location: RegistryLocation;
  secretsKey: string;
  secretsKeyPrevious?: string;
  /** How long a worker or gateway trusts what it read about a store. */
  cacheMs: number;
  defaults: { shopimindBaseUrl: string; shopkitQuotaPerHour: number; shopimindQuotaPerMinute: number };
}

/**
 * Whether a process serves installations from the registry: when `REGISTRY_URL` is set, or when no store
 * is configured in the environment (the marketplace deployment). One self-hosted shop configured with
 * `STORE_ID` or `STORES_FILE` runs without it.
 */
export function registryEnabled(env: Env = process.env): boolean {
  return blank(env.REGISTRY_URL) !== undefined || !storesConfigured(env);
}

export function loadRegistryConfig(env: Env = process.env): RegistryConfig {
  const parsed = RegistryEnvSchema.safeParse(
    Object.fromEntries(Object.keys(RegistryEnvSchema.shape).map((k) => [k, blank(env[k])])),
  );
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const data = parsed.data;
  const location = parseRegistryUrl(data.REGISTRY_URL);
  if (!location) throw new ConfigError(['REGISTRY_URL: expected sqlite:<path> or postgres://…']);
  return {
    location,
    secretsKey: data.SECRETS_KEY,
    secretsKeyPrevious: data.SECRETS_KEY_PREVIOUS,
    cacheMs: data.REGISTRY_CACHE_MS,
    defaults: {
      shopimindBaseUrl: data.SHOPIMIND_BASE_URL.replace(/\/+$/, ''),
      shopkitQuotaPerHour: data.SHOPKIT_QUOTA_PER_HOUR,
      shopimindQuotaPerMinute: data.SHOPIMIND_QUOTA_PER_MINUTE,
    },
  };
}
