import type { Selectable, Updateable } from 'kysely';

/** An installation's lifecycle as the registry records it (the sync workflow keeps its own copy). */
export const INSTALLATION_STATUSES = ['inactive', 'active', 'uninstalled'] as const;
export type InstallationStatus = (typeof INSTALLATION_STATUSES)[number];

/**
 * One ShopiMind installation of the integration. Secret columns hold `SecretBox` ciphertexts bound to
 * the installation id and the column name, or null once destroyed (uninstall). Times are UTC ISO strings,
 * identical on SQLite and PostgreSQL.
 */
export interface InstallationsTable {
  installation_id: string;
  store_id: string;
  status: InstallationStatus;
  shop_domain: string | null;
  shop_name: string | null;
  shopkit_base_url: string;
  access_token: string | null;
  shopkit_api_key: string | null;
  shopkit_webhook_secret: string | null;
  /** Why the last activation or re-check failed (no secret: the message of a typed failure). */
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** `claimed` while one request processes the delivery, `processed` once done; a failed one's row is deleted. */
export const DELIVERY_STATES = ['claimed', 'processed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Lifecycle deliveries by signature: claimed before processing, so two identical deliveries arriving together
 * are processed once, and a verbatim replay of a processed one is answered without processing it again.
 */
export interface LifecycleDeliveriesTable {
  signature: string;
  installation_id: string;
  event: string;
  state: DeliveryState;
  /** When it was claimed, then when it was processed (rows past the signature's tolerance are pruned). */
  processed_at: string;
}

export interface RegistryDatabase {
  installations: InstallationsTable;
  lifecycle_deliveries: LifecycleDeliveriesTable;
}

export type InstallationRow = Selectable<InstallationsTable>;
export type InstallationRowUpdate = Updateable<InstallationsTable>;

/** The sealed columns, also the `field` half of each ciphertext's binding. */
export const SECRET_COLUMNS = ['access_token', 'shopkit_api_key', 'shopkit_webhook_secret'] as const;
export type SecretColumn = (typeof SECRET_COLUMNS)[number];
