import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const DEFAULT_SHOPKIT_BASE_URL = 'https://api.shopk.it/v1';
export const DEFAULT_SHOPIMIND_BASE_URL = 'https://core.shopimind.com/v1';
export const DEFAULT_TASK_QUEUE = 'shopkit-shopimind';

const nonEmpty = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`);
const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` }).transform((url) => url.replace(/\/+$/, ''));
const hexKey = (what: string) =>
  z
    .string({ error: `${what} is required: 64 hex characters (openssl rand -hex 32)` })
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, `${what} must be 64 hex characters (openssl rand -hex 32)`)
    .transform((key) => key.toLowerCase());
const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a number` })
    .int()
    .positive(`${what} must be a positive integer`);

/** Store ids appear in workflow ids, URLs and search attributes. */
export const STORE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const StoreConfigSchema = z.object({
  storeId: nonEmpty('storeId').regex(STORE_ID_PATTERN, 'storeId may hold letters, digits, . _ - (max 64)'),
  shopkit: z.object({
    baseUrl: httpUrl('shopkit.baseUrl').default(DEFAULT_SHOPKIT_BASE_URL),
    apiKey: nonEmpty('shopkit.apiKey'),
    webhookSecret: nonEmpty('shopkit.webhookSecret'),
    quotaPerHour: positiveInt('shopkit.quotaPerHour').default(3600),
  }),
  shopimind: z.object({
    baseUrl: httpUrl('shopimind.baseUrl').default(DEFAULT_SHOPIMIND_BASE_URL),
    apiKey: nonEmpty('shopimind.apiKey'),
    quotaPerMinute: positiveInt('shopimind.quotaPerMinute').default(600),
  }),
});
export type StoreConfig = z.infer<typeof StoreConfigSchema>;

export const RuntimeConfigSchema = z.object({
  temporal: z.object({
    address: nonEmpty('TEMPORAL_ADDRESS').default('127.0.0.1:7233'),
    namespace: nonEmpty('TEMPORAL_NAMESPACE').default('default'),
    taskQueue: nonEmpty('TEMPORAL_TASK_QUEUE').default(DEFAULT_TASK_QUEUE),
    /** Encrypts every payload (src/temporal/payload-codec.ts); required, so no process writes customer data in clear. */
    payloadKey: hexKey('TEMPORAL_PAYLOAD_KEY'),
    /** The key before the last rotation: still decrypts what it wrote, never encrypts. */
    payloadKeyPrevious: hexKey('TEMPORAL_PAYLOAD_KEY_PREVIOUS').optional(),
  }),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  shutdownGraceMs: positiveInt('SHUTDOWN_GRACE_MS').default(30_000),
  /**
   * Workflow code bundled ahead of time (`npm run build` writes dist/workflow-bundle.js): a worker then
   * starts without running webpack. Unset: the worker bundles src/workflows when it starts.
   */
  workflowBundle: z
    .string()
    .trim()
    .refine((path) => existsSync(path), 'WORKFLOW_BUNDLE names no file: build it with npm run build')
    .optional(),
  /** Port of the Prometheus endpoint with the Temporal SDK's metrics; none when unset. */
  metricsPort: positiveInt('METRICS_PORT').max(65_535, 'METRICS_PORT must be a port number').optional(),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;

export interface AppConfig extends RuntimeConfig {
  stores: ReadonlyMap<string, StoreConfig>;
}

/** Every problem found in the configuration, reported together so one fix round is enough. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads the runtime settings and the stores (`STORES_FILE`, or the single-store variables). */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const runtime = parseRuntime(env, problems);
  const stores = env.STORES_FILE ? storesFromFile(env.STORES_FILE, problems) : storesFromEnv(env, problems);
  if (problems.length > 0 || !runtime) throw new ConfigError(problems);
  return { ...runtime, stores };
}

/** Only the Temporal connection settings, for commands that talk to Temporal but never to the APIs. */
export function loadRuntimeConfig(env: Env = process.env): RuntimeConfig {
  const problems: string[] = [];
  const runtime = parseRuntime(env, problems);
  if (!runtime) throw new ConfigError(problems);
  return runtime;
}

function parseRuntime(env: Env, problems: string[]): RuntimeConfig | undefined {
  const parsed = RuntimeConfigSchema.safeParse({
    temporal: {
      address: blankToUndefined(env.TEMPORAL_ADDRESS),
      namespace: blankToUndefined(env.TEMPORAL_NAMESPACE),
      taskQueue: blankToUndefined(env.TEMPORAL_TASK_QUEUE),
      payloadKey: blankToUndefined(env.TEMPORAL_PAYLOAD_KEY),
      payloadKeyPrevious: blankToUndefined(env.TEMPORAL_PAYLOAD_KEY_PREVIOUS),
    },
    logLevel: blankToUndefined(env.LOG_LEVEL),
    shutdownGraceMs: blankToUndefined(env.SHUTDOWN_GRACE_MS),
    workflowBundle: blankToUndefined(env.WORKFLOW_BUNDLE),
    metricsPort: blankToUndefined(env.METRICS_PORT),
  });
  if (parsed.success) return parsed.data;
  problems.push(...formatIssues(parsed.error, envNameOf));
  return undefined;
}

const envNames: Record<string, string> = {
  'temporal.address': 'TEMPORAL_ADDRESS',
  'temporal.namespace': 'TEMPORAL_NAMESPACE',
  'temporal.taskQueue': 'TEMPORAL_TASK_QUEUE',
  'temporal.payloadKey': 'TEMPORAL_PAYLOAD_KEY',
  'temporal.payloadKeyPrevious': 'TEMPORAL_PAYLOAD_KEY_PREVIOUS',
  logLevel: 'LOG_LEVEL',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  workflowBundle: 'WORKFLOW_BUNDLE',
  metricsPort: 'METRICS_PORT',
  storeId: 'STORE_ID',
  'shopkit.baseUrl': 'SHOPKIT_BASE_URL',
  'shopkit.apiKey': 'SHOPKIT_API_KEY',
  'shopkit.webhookSecret': 'SHOPKIT_WEBHOOK_SECRET',
  'shopkit.quotaPerHour': 'SHOPKIT_QUOTA_PER_HOUR',
  'shopimind.baseUrl': 'SHOPIMIND_BASE_URL',
  'shopimind.apiKey': 'SHOPIMIND_API_KEY',
  'shopimind.quotaPerMinute': 'SHOPIMIND_QUOTA_PER_MINUTE',
};
function envNameOf(path: string): string {
  return envNames[path] ?? path;
}

/** The single-store variables whose presence means "a store is configured here". */
const STORE_VARIABLES = ['STORE_ID', 'SHOPKIT_API_KEY', 'SHOPKIT_WEBHOOK_SECRET', 'SHOPIMIND_API_KEY'];

/**
 * Whether the environment configures stores itself (`STORES_FILE` or a single-store variable). When it does
 * not, stores come from the installation registry only (src/registry).
 */
export function storesConfigured(env: Env = process.env): boolean {
  return ['STORES_FILE', ...STORE_VARIABLES].some((name) => blankToUndefined(env[name]) !== undefined);
}

function storesFromEnv(env: Env, problems: string[]): Map<string, StoreConfig> {
  if (!storesConfigured(env)) return new Map();
  const parsed = StoreConfigSchema.safeParse({
    storeId: env.STORE_ID,
    shopkit: {
      baseUrl: blankToUndefined(env.SHOPKIT_BASE_URL),
      apiKey: env.SHOPKIT_API_KEY,
      webhookSecret: env.SHOPKIT_WEBHOOK_SECRET,
      quotaPerHour: blankToUndefined(env.SHOPKIT_QUOTA_PER_HOUR),
    },
    shopimind: {
      baseUrl: blankToUndefined(env.SHOPIMIND_BASE_URL),
      apiKey: env.SHOPIMIND_API_KEY,
      quotaPerMinute: blankToUndefined(env.SHOPIMIND_QUOTA_PER_MINUTE),
    },
  });
  if (!parsed.success) {
    problems.push(...formatIssues(parsed.error, envNameOf));
    return new Map();
  }
  return new Map([[parsed.data.storeId, parsed.data]]);
}

const StoresFileSchema = z.union([z.array(z.unknown()), z.object({ stores: z.array(z.unknown()) })]);

function storesFromFile(path: string, problems: string[]): Map<string, StoreConfig> {
  const stores = new Map<string, StoreConfig>();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`STORES_FILE ${path}: cannot be read as JSON (${(err as Error).message})`);
    return stores;
  }
  const file = StoresFileSchema.safeParse(raw);
  if (!file.success) {
    problems.push(`STORES_FILE ${path}: expected an array of stores or { "stores": [...] }`);
    return stores;
  }
  const entries = Array.isArray(file.data) ? file.data : file.data.stores;
  if (entries.length === 0) problems.push(`STORES_FILE ${path}: no store is defined`);
  entries.forEach((entry, index) => {
    const parsed = StoreConfigSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error, (field) => `STORES_FILE stores[${index}].${field}`));
      return;
    }
    if (stores.has(parsed.data.storeId)) {
      problems.push(`STORES_FILE stores[${index}].storeId: "${parsed.data.storeId}" is defined twice`);
      return;
    }
    stores.set(parsed.data.storeId, parsed.data);
  });
  return stores;
}

function formatIssues(error: z.ZodError, name: (path: string) => string): string[] {
  return error.issues.map((issue) => `${name(issue.path.join('.'))}: ${issue.message}`);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

const REDACTED = '[redacted]';

/** The store's configuration with every secret replaced, safe to print or log. */
function redactStore(store: StoreConfig): StoreConfig {
  return {
    ...store,
    shopkit: { ...store.shopkit, apiKey: REDACTED, webhookSecret: REDACTED },
    shopimind: { ...store.shopimind, apiKey: REDACTED },
  };
}

/** Plain-object view of the whole configuration with secrets redacted. */
export function redactConfig(config: AppConfig): Omit<AppConfig, 'stores'> & { stores: StoreConfig[] } {
  return {
    ...config,
    temporal: redactTemporal(config.temporal),
    stores: [...config.stores.values()].map(redactStore),
  };
}

function redactTemporal(temporal: RuntimeConfig['temporal']): RuntimeConfig['temporal'] {
  return {
    ...temporal,
    payloadKey: REDACTED,
    ...(temporal.payloadKeyPrevious ? { payloadKeyPrevious: REDACTED } : {}),
  };
}

/** Logger redaction paths matching the secret fields above, wherever they nest. */
export const SECRET_LOG_PATHS = [
  'apiKey',
  'webhookSecret',
  '*.apiKey',
  '*.webhookSecret',
  '*.*.apiKey',
  '*.*.webhookSecret',
  'headers["x-api-key"]',
  'headers["spm-api-key"]',
  'headers.authorization',
  'authHeaders',
  // The gateway's own secrets, wherever its configuration is logged.
  'adminToken',
  '*.adminToken',
  'shopimindWebhookSecret',
  '*.shopimindWebhookSecret',
  // Temporal payload keys and the gateway's codec-endpoint token.
  '*.payloadKey',
  '*.payloadKeyPrevious',
  '*.*.payloadKey',
  '*.*.payloadKeyPrevious',
  'codecToken',
  '*.codecToken',
  // Installations: ShopiMind's access token and form values, the registry's keys, the previous lifecycle secret.
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'configs',
  '*.configs',
  'secretsKey',
  '*.secretsKey',
  'secretsKeyPrevious',
  '*.secretsKeyPrevious',
  'shopimindWebhookSecretPrevious',
  '*.shopimindWebhookSecretPrevious',
];
