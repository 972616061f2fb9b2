import { DEFAULT_SHOPKIT_BASE_URL } from '../config';
import { INTEGRATION_EVENTS } from './lifecycle-events';

/**
 * The integration's manifest (docs/shopimind-api-notes.md#partner-integration): what ShopiMind shows the merchant and
 * where it calls us. A single step whose completion tests the Shopkit key; the base URL is the integrator's.
 */
export const INTEGRATION_MANIFEST = {
  manifest_version: 1,
  slug: 'shopkit',
  name: 'Shopkit',
  version: '0.1.0',
  short_description: {
    en: 'Sync your Shopkit shop into ShopiMind',
    fr: 'Synchronisez votre boutique Shopkit avec ShopiMind',
  },
  description: {
    en: 'Imports customers, products, orders and vouchers from Shopkit, then keeps them in sync from Shopkit webhooks.',
    fr: 'Importe clients, produits, commandes et bons de réduction depuis Shopkit, puis les garde à jour via les webhooks Shopkit.',
  },
  categories: ['ecommerce'],
  config_schema: {
    steps: [
      {
        key: 'shopkit',
        label: { en: 'Shopkit API access', fr: 'Accès API Shopkit' },
        description: {
          en: 'In Shopkit: Account settings → Developers → create an API key.',
          fr: 'Dans Shopkit : Paramètres du compte → Développeurs → créer une clé API.',
        },
        fields: [
          {
            key: 'shopkit_api_key',
            type: 'password',
            label: { en: 'Shopkit API key', fr: 'Clé API Shopkit' },
            required: true,
            sensitive: true,
            owner: 'merchant',
          },
          {
            key: 'shopkit_webhook_secret',
            type: 'password',
            label: { en: 'Shopkit webhook secret', fr: 'Secret des webhooks Shopkit' },
            help: { en: 'Shopkit signs its webhooks with it.', fr: 'Shopkit signe ses webhooks avec.' },
            required: true,
            sensitive: true,
            owner: 'merchant',
          },
          {
            key: 'shopkit_base_url',
            type: 'url',
            label: 'Shopkit API base URL',
            default: DEFAULT_SHOPKIT_BASE_URL,
            owner: 'integrator',
          },
        ],
        on_complete: { action: 'test_connection' },
      },
    ],
  },
  webhooks: {
    lifecycle: '/webhook/receive',
    test_connection: '/webhook/test-connection',
    remote_data: '/webhook/remote-data/{resource}',
  },
  lifecycle_events: INTEGRATION_EVENTS,
  remote_resources: [],
  widgets: [],
} as const;
