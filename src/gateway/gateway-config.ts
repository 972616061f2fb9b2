import { z } from 'zod';
import { ConfigError } from '../config';

type Env = Record<string, string | undefined>;

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

export const GatewayConfigSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** Public base URL Shopkit calls (webhook registration); optional. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  adminToken: z
    .string({ error: 'GATEWAY_ADMIN_TOKEN is required' })
    .min(16, 'GATEWAY_ADMIN_TOKEN must hold at least 16 characters'),
  bodyLimit: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** ShopiMind partner-integration webhook secret (one for the integration, so global). */
  shopimindWebhookSecret: z.string().min(8).optional(),
  /** The secret before a rotation, still accepted until ShopiMind signs with the new one only. */
  shopimindWebhookSecretPrevious: z.string().min(8).optional(),
  lifecycleToleranceS: z.coerce.number().int().positive().default(300),
  requireActivation: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  callTimeoutMs: z.coerce.number().int().positive().default(5_000),
  /** How often a sync the gateway starts re-reads recently updated orders (ms; 0 disables; default 15 min). */
  ordersReconcileMs: z.coerce.number().int().min(0).optional(),
  /** How often it rescans the catalogue, clients and order lines (ms; 0 disables; default daily). */
  scanIntervalMs: z.coerce.number().int().min(0).optional(),
  /** Token of the payload codec endpoint (a bearer token, or typed once at `/codec/login`); off without it. */
  codecToken: z.string().min(16, 'GATEWAY_CODEC_TOKEN must hold at least 16 characters').optional(),
  /** Web UI origins allowed to call the codec endpoint from a browser, comma-separated. */
  codecCorsOrigins: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

const envNames: Record<string, string> = {
  host: 'GATEWAY_HOST',
  port: 'GATEWAY_PORT',
  publicUrl: 'GATEWAY_PUBLIC_URL',
  adminToken: 'GATEWAY_ADMIN_TOKEN',
  bodyLimit: 'GATEWAY_BODY_LIMIT',
  shopimindWebhookSecret: 'SHOPIMIND_WEBHOOK_SECRET',
  shopimindWebhookSecretPrevious: 'SHOPIMIND_WEBHOOK_SECRET_PREVIOUS',
  lifecycleToleranceS: 'GATEWAY_LIFECYCLE_TOLERANCE_S',
  requireActivation: 'GATEWAY_REQUIRE_ACTIVATION',
  callTimeoutMs: 'GATEWAY_TEMPORAL_TIMEOUT_MS',
  ordersReconcileMs: 'SYNC_ORDERS_RECONCILE_MS',
  scanIntervalMs: 'SYNC_SCAN_INTERVAL_MS',
  codecToken: 'GATEWAY_CODEC_TOKEN',
  codecCorsOrigins: 'GATEWAY_CODEC_CORS_ORIGINS',
};

/** The gateway's own settings (the stores and Temporal come from the shared configuration). */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse(
    Object.fromEntries(Object.entries(envNames).map(([key, name]) => [key, blank(env[name])])),
  );
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${envNames[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`),
  );
}

/** The gateway settings with secrets replaced, safe to log. */
export function redactGatewayConfig(config: GatewayConfig): GatewayConfig {
  return {
    ...config,
    adminToken: '[redacted]',
    shopimindWebhookSecret: config.shopimindWebhookSecret && '[redacted]',
    shopimindWebhookSecretPrevious: config.shopimindWebhookSecretPrevious && '[redacted]',
    codecToken: config.codecToken && '[redacted]',
  };
}

/**
 * The codec endpoint of the gateway this environment configures, as a browser on this machine reaches it: the
 * default for the Web UIs the CLI starts. None without `GATEWAY_CODEC_TOKEN` (the endpoint is off).
 */
export function localCodecEndpoint(env: Env = process.env): string | undefined {
  if (!blank(env.GATEWAY_CODEC_TOKEN)) return undefined;
  const host = blank(env.GATEWAY_HOST) ?? GatewayConfigSchema.shape.host.parse(undefined);
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${GatewayConfigSchema.shape.port.parse(blank(env.GATEWAY_PORT))}/codec`;
}
