import { z } from 'zod';
import type { InstallationConfigs } from '../registry/installation-registry';

/** The `event` values of ShopiMind's lifecycle webhooks (docs/shopimind-api-notes.md#lifecycle), past tense. */
export const INTEGRATION_EVENTS = [
  'integration.installed',
  'integration.activated',
  'integration.deactivated',
  'integration.uninstalled',
  'integration.config_updated',
] as const;
export type IntegrationEventName = (typeof INTEGRATION_EVENTS)[number];

/** Form values as sent; only our manifest's fields are kept, and only as non-empty strings. */
const ConfigsSchema = z.record(z.string(), z.unknown()).transform((values): InstallationConfigs => {
  const pick = (key: keyof InstallationConfigs) => {
    const value = values[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  return {
    shopkit_api_key: pick('shopkit_api_key'),
    shopkit_webhook_secret: pick('shopkit_webhook_secret'),
    shopkit_base_url: pick('shopkit_base_url')?.replace(/\/+$/, ''),
  };
});

/**
 * A lifecycle delivery. `installation_id` is opaque; legacy senders put a numeric `id_shop_integration`
 * instead, taken as its decimal string.
 */
export const IntegrationEventSchema = z
  .looseObject({
    event: z.enum(INTEGRATION_EVENTS),
    installation_id: z.string().min(1).max(512).optional(),
    id_shop_integration: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).optional(),
    shop_domain: z.string().max(255).optional(),
    shop_name: z.string().max(255).optional(),
    access_token: z.string().min(1).max(512).optional(),
    configs: ConfigsSchema.optional(),
  })
  .transform(({ installation_id, id_shop_integration, ...rest }, ctx) => {
    const installationId =
      installation_id ?? (id_shop_integration === undefined ? undefined : String(id_shop_integration));
    if (!installationId) {
      ctx.addIssue({ code: 'custom', message: 'installation_id is required' });
      return z.NEVER;
    }
    return { ...rest, installationId };
  });
export type IntegrationEvent = z.infer<typeof IntegrationEventSchema>;

/** The form values posted to `/webhook/test-connection` and `/webhook/remote-data/{resource}`. */
export const FormValuesSchema = ConfigsSchema;
