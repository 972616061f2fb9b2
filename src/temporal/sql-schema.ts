import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEMPORAL_DATABASES, type PostgresEndpoint } from './server-config';

const execFileAsync = promisify(execFile);

/** The schemas embedded in the sql tool, per database. */
const SCHEMAS = [
  { database: TEMPORAL_DATABASES.default, schema: 'postgresql/v12/temporal' },
  { database: TEMPORAL_DATABASES.visibility, schema: 'postgresql/v12/visibility' },
] as const;

/**
 * Creates the server's two databases when missing and brings their schemas to the tool's latest
 * version, like docker-compose's auto-setup does; running it again changes nothing.
 */
export async function setupTemporalSchemas(sqlTool: string, db: PostgresEndpoint): Promise<void> {
  for (const { database, schema } of SCHEMAS) {
    // The connection travels in the tool's environment variables, so the password is not in `ps`.
    const env = {
      ...process.env,
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: db.host,
      SQL_PORT: String(db.port),
      SQL_USER: db.user,
      SQL_PASSWORD: db.password,
      SQL_DATABASE: database,
    };
    const run = (args: string[]) => execFileAsync(sqlTool, args, { env });
    try {
      await run(['create-database']);
    } catch (err) {
      if (!/already exists/.test(outputOf(err))) throw schemaError('create-database', database, err);
    }
    try {
      await run(['setup-schema', '-v', '0.0']);
      await run(['update-schema', '--schema-name', schema]);
    } catch (err) {
      throw schemaError('schema setup', database, err);
    }
  }
}

function outputOf(err: unknown): string {
  const { stdout, stderr } = err as { stdout?: string; stderr?: string };
  return `${stdout ?? ''}${stderr ?? ''}`;
}

function schemaError(step: string, database: string, err: unknown): Error {
  const output = outputOf(err).trim().split('\n').slice(-5).join('\n');
  return new Error(`temporal-sql-tool ${step} failed for database ${database}:\n${output || String(err)}`, {
    cause: err,
  });
}
