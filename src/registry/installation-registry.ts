import { sql, type Kysely } from 'kysely';
import { DEFAULT_SHOPKIT_BASE_URL } from '../config';
import type { SecretBox } from '../secrets/secret-box';
import { LifecycleDeliveries } from './lifecycle-deliveries';
import { migrateToLatest } from './registry-migrations';
import {
  SECRET_COLUMNS,
  type InstallationRow,
  type InstallationRowUpdate,
  type InstallationStatus,
  type RegistryDatabase,
  type SecretColumn,
} from './registry-schema';
import { storeIdForInstallation } from './store-id';

/** An installation without its secrets: what lists, logs and the CLI may show. */
export interface Installation {
  installationId: string;
  storeId: string;
  status: InstallationStatus;
  shopDomain: string | null;
  shopName: string | null;
  shopkitBaseUrl: string;
  /** Which secrets are held (never their values). */
  secrets: Record<SecretColumn, boolean>;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The decrypted secrets of an installation; only the clients and the signature checks see them. */
export interface InstallationSecrets {
  accessToken: string;
  shopkitApiKey: string;
  shopkitWebhookSecret: string;
}

/** The form values as ShopiMind sends them (keys of our manifest's fields); absent ones are kept. */
export interface InstallationConfigs {
  shopkit_api_key?: string;
  shopkit_webhook_secret?: string;
  shopkit_base_url?: string;
}

/** What `secrets rotate` did: secrets re-encrypted, and rows left as they were because they kept changing. */
export interface RotationResult {
  rotated: number;
  skipped: number;
}

/** A row changing under a rotation is read again this many times at most. */
const ROTATION_ATTEMPTS = 3;

export interface InstallInput {
  installationId: string;
  accessToken: string;
  configs: InstallationConfigs;
  shopDomain?: string;
  shopName?: string;
}

/**
 * The installation registry: installations, their sealed secrets and the lifecycle deliveries claimed or
 * processed. The same code runs on SQLite and PostgreSQL (one schema, see registry-migrations.ts).
 */
export class InstallationRegistry {
  /** The lifecycle deliveries claimed and processed, in the same database. */
  readonly deliveries: LifecycleDeliveries;

  constructor(
    private readonly db: Kysely<RegistryDatabase>,
    private readonly box: SecretBox,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.deliveries = new LifecycleDeliveries(db, now);
  }

  /** Applies the migrations; call once before use (idempotent). */
  async migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>);
  }

  /**
   * `integration.installed`: stores the token and the form values, inactive. A re-install of the same
   * installation (after an uninstall, or a retried install) replaces them.
   */
  async install(input: InstallInput): Promise<Installation> {
    const at = this.now().toISOString();
    const id = input.installationId;
    const sealed = {
      access_token: this.seal(id, 'access_token', input.accessToken),
      shopkit_api_key: this.sealOptional(id, 'shopkit_api_key', input.configs.shopkit_api_key),
      shopkit_webhook_secret: this.sealOptional(id, 'shopkit_webhook_secret', input.configs.shopkit_webhook_secret),
    };
    const fields = {
      status: 'inactive' as const,
      shop_domain: input.shopDomain ?? null,
      shop_name: input.shopName ?? null,
      shopkit_base_url: input.configs.shopkit_base_url ?? DEFAULT_SHOPKIT_BASE_URL,
      last_error: null,
      updated_at: at,
      ...sealed,
    };
    await this.db
      .insertInto('installations')
      .values({ installation_id: id, store_id: storeIdForInstallation(id), created_at: at, ...fields })
      .onConflict((oc) => oc.column('installation_id').doUpdateSet(fields))
      .execute();
    return this.require(id);
  }

  /** New form values (`config_updated`, or `activated` repeating them); a repeated access token replaces the old one. */
  async updateConfigs(
    installationId: string,
    configs: InstallationConfigs,
    accessToken?: string,
  ): Promise<Installation> {
    const update: InstallationRowUpdate = { updated_at: this.now().toISOString() };
    if (configs.shopkit_base_url) update.shopkit_base_url = configs.shopkit_base_url;
    if (configs.shopkit_api_key) {
      update.shopkit_api_key = this.seal(installationId, 'shopkit_api_key', configs.shopkit_api_key);
    }
    if (configs.shopkit_webhook_secret) {
      update.shopkit_webhook_secret = this.seal(
        installationId,
        'shopkit_webhook_secret',
        configs.shopkit_webhook_secret,
      );
    }
    if (accessToken) update.access_token = this.seal(installationId, 'access_token', accessToken);
    await this.update(installationId, update);
    return this.require(installationId);
  }

  async setStatus(installationId: string, status: InstallationStatus, lastError: string | null = null): Promise<void> {
    await this.update(installationId, { status, last_error: lastError, updated_at: this.now().toISOString() });
  }

  /** `uninstalled`: the row stays (audit, replays) but every secret is destroyed. */
  async uninstall(installationId: string): Promise<void> {
    await this.update(installationId, {
      status: 'uninstalled',
      access_token: null,
      shopkit_api_key: null,
      shopkit_webhook_secret: null,
      updated_at: this.now().toISOString(),
    });
  }

  /** Forgets an installation entirely (the CLI's `stores remove`). */
  async remove(installationId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('installations')
      .where('installation_id', '=', installationId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async get(installationId: string): Promise<Installation | undefined> {
    const row = await this.row('installation_id', installationId);
    return row && toInstallation(row);
  }

  async findByStoreId(storeId: string): Promise<Installation | undefined> {
    const row = await this.row('store_id', storeId);
    return row && toInstallation(row);
  }

  async list(): Promise<Installation[]> {
    const rows = await this.db
      .selectFrom('installations')
      .selectAll()
      .orderBy('created_at')
      .orderBy('installation_id')
      .execute();
    return rows.map(toInstallation);
  }

  /** The store's decrypted secrets, or undefined when unknown, uninstalled or incompletely configured. */
  async secretsOfStore(
    storeId: string,
  ): Promise<{ installation: Installation; secrets: InstallationSecrets } | undefined> {
    const row = await this.row('store_id', storeId);
    if (!row?.access_token || !row.shopkit_api_key || !row.shopkit_webhook_secret) return undefined;
    const id = row.installation_id;
    return {
      installation: toInstallation(row),
      secrets: {
        accessToken: this.box.decrypt(row.access_token, { installationId: id, field: 'access_token' }),
        shopkitApiKey: this.box.decrypt(row.shopkit_api_key, { installationId: id, field: 'shopkit_api_key' }),
        shopkitWebhookSecret: this.box.decrypt(row.shopkit_webhook_secret, {
          installationId: id,
          field: 'shopkit_webhook_secret',
        }),
      },
    };
  }

  /**
   * Re-encrypts every secret sealed with an older key under the current one. Each row is written only if its
   * sealed values are still those read (compare-and-set): a `config_updated` landing in between keeps its new
   * secret, and the row is read again and retried. `skipped` counts rows still changing after the last attempt.
   */
  async rotateSecrets(): Promise<RotationResult> {
    const rows = await this.db.selectFrom('installations').selectAll().execute();
    const result: RotationResult = { rotated: 0, skipped: 0 };
    for (const first of rows) {
      let row: InstallationRow | undefined = first;
      for (let attempt = 1; row; attempt++) {
        const rotated = await this.rotateRow(row);
        if (rotated !== undefined) {
          result.rotated += rotated;
          break;
        }
        if (attempt >= ROTATION_ATTEMPTS) {
          result.skipped += 1;
          break;
        }
        row = await this.row('installation_id', row.installation_id);
      }
    }
    return result;
  }

  /** How many secrets of the row were re-encrypted, or undefined when the row changed since it was read. */
  private async rotateRow(row: InstallationRow): Promise<number | undefined> {
    const stale = SECRET_COLUMNS.flatMap((column) => {
      const sealed = row[column];
      return sealed !== null && this.box.isStale(sealed) ? [{ column, sealed }] : [];
    });
    if (stale.length === 0) return 0;
    const update: InstallationRowUpdate = {};
    let query = this.db.updateTable('installations').where('installation_id', '=', row.installation_id);
    for (const { column, sealed } of stale) {
      const binding = { installationId: row.installation_id, field: column };
      update[column] = this.box.encrypt(this.box.decrypt(sealed, binding), binding);
      query = query.where(column, '=', sealed);
    }
    const { numUpdatedRows } = await query.set(update).executeTakeFirst();
    return numUpdatedRows > 0n ? stale.length : undefined;
  }

  /** Whether the database answers (the `/health` probe). */
  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async require(installationId: string): Promise<Installation> {
    const installation = await this.get(installationId);
    if (!installation) throw new Error(`installation ${installationId} is not in the registry`);
    return installation;
  }

  private async update(installationId: string, update: InstallationRowUpdate): Promise<void> {
    const result = await this.db
      .updateTable('installations')
      .set(update)
      .where('installation_id', '=', installationId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new Error(`installation ${installationId} is not in the registry`);
  }

  private row(column: 'installation_id' | 'store_id', value: string): Promise<InstallationRow | undefined> {
    return this.db.selectFrom('installations').selectAll().where(column, '=', value).executeTakeFirst();
  }

  private seal(installationId: string, field: SecretColumn, value: string): string {
    return this.box.encrypt(value, { installationId, field });
  }

  private sealOptional(installationId: string, field: SecretColumn, value: string | undefined): string | null {
    return value ? this.seal(installationId, field, value) : null;
  }
}

function toInstallation(row: InstallationRow): Installation {
  return {
    installationId: row.installation_id,
    storeId: row.store_id,
    status: row.status,
    shopDomain: row.shop_domain,
    shopName: row.shop_name,
    shopkitBaseUrl: row.shopkit_base_url,
    secrets: {
      access_token: row.access_token !== null,
      shopkit_api_key: row.shopkit_api_key !== null,
      shopkit_webhook_secret: row.shopkit_webhook_secret !== null,
    },
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
