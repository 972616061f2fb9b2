import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { RegistryDatabase } from './registry-schema';

export const DEFAULT_REGISTRY_URL = 'sqlite:.data/registry.sqlite';

export type RegistryLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** `sqlite:<path>` (relative to the working directory, or `:memory:`) or `postgres://…` / `postgresql://…`. */
export function parseRegistryUrl(url: string): RegistryLocation | undefined {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path ? { kind: 'sqlite', path } : undefined;
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  return undefined;
}

/** A Kysely instance on the registry's database; the caller migrates it and destroys it. */
export function openRegistryDatabase(location: RegistryLocation): Kysely<RegistryDatabase> {
  if (location.kind === 'postgres') {
    const pool = new Pool({ connectionString: location.url, max: 5 });
    // An idle connection that PostgreSQL ends (a restart, a failover) is reported here; unheard, the
    // error would end the process. The pool drops that connection and the next query opens another.
    pool.on('error', () => undefined);
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }
  if (location.path !== ':memory:') mkdirSync(dirname(resolve(location.path)), { recursive: true });
  const database = new SQLite(location.path);
  // WAL: the worker, the gateway and the CLI read while one of them writes.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  return new Kysely({ dialect: new SqliteDialect({ database }) });
}
