import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPostgres, type LocalPostgres } from '../../src/postgres/local-cluster';

const PSQL = join(process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin', 'psql');

/** Runs one statement through psql with the cluster's URL and returns its unaligned output. */
function query(cluster: LocalPostgres, database: string, sql: string): string {
  return execFileSync(PSQL, [cluster.url(database), '-v', 'ON_ERROR_STOP=1', '-tAc', sql], { encoding: 'utf8' }).trim();
}

describe('local PostgreSQL cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopkit-pg-'));
  let cluster: LocalPostgres | undefined;

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('initialises, serves on loopback with a password, keeps data across restarts and a second start', async () => {
    cluster = await startLocalPostgres({ dir });
    expect(cluster.host).toBe('127.0.0.1');
    expect(cluster.displayUrl('app')).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/app`);
    expect(statSync(join(dir, 'superuser-password')).mode & 0o077).toBe(0);

    await cluster.createDatabase('app');
    await cluster.createDatabase('app'); // idempotent
    query(cluster, 'app', 'CREATE TABLE t (v int); INSERT INTO t VALUES (41), (1)');
    expect(query(cluster, 'app', 'SELECT sum(v) FROM t')).toBe('42');

    // The password is required: the same URL without it is refused.
    expect(() =>
      execFileSync(PSQL, [cluster!.displayUrl('app'), '-w', '-tAc', 'SELECT 1'], { stdio: 'pipe', env: {} }),
    ).toThrow(/password/);

    await cluster.restart();
    expect(query(cluster, 'app', 'SELECT sum(v) FROM t')).toBe('42');

    // A new start on the existing directory reuses the cluster and its password (no second initdb).
    await cluster.stop();
    cluster = await startLocalPostgres({ dir });
    expect(query(cluster, 'app', 'SELECT sum(v) FROM t')).toBe('42');
    await expect(cluster.createDatabase('bad; DROP')).rejects.toThrow(/invalid database name/);
  }, 60_000);
});
