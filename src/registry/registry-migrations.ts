import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * The registry's schema, as ordered migrations kept in code (no files to ship next to the bundle). Both
 * dialects run the same builder calls; only portable column types are used.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_installations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('installations')
        .addColumn('installation_id', 'text', (col) => col.primaryKey())
        .addColumn('store_id', 'text', (col) => col.notNull().unique())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('shop_domain', 'text')
        .addColumn('shop_name', 'text')
        .addColumn('shopkit_base_url', 'text', (col) => col.notNull())
        .addColumn('access_token', 'text')
        .addColumn('shopkit_api_key', 'text')
        .addColumn('shopkit_webhook_secret', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('lifecycle_deliveries')
        .addColumn('signature', 'text', (col) => col.primaryKey())
        .addColumn('installation_id', 'text', (col) => col.notNull())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('processed_at', 'text', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('lifecycle_deliveries').execute();
      await db.schema.dropTable('installations').execute();
    },
  },
  '0002_delivery_claims': {
    async up(db: Kysely<unknown>) {
      // Rows written before claims existed were all recorded after processing.
      await db.schema
        .alterTable('lifecycle_deliveries')
        .addColumn('state', 'text', (col) => col.notNull().defaultTo('processed'))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('lifecycle_deliveries').dropColumn('state').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

/** Brings the database to the latest schema; concurrent starts are serialised by Kysely's migration lock. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await new Migrator({
    db,
    provider,
    migrationTableName: 'registry_migrations',
    migrationLockTableName: 'registry_migrations_lock',
  }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('registry migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
