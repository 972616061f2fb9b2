import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasExited, stopChild } from '../process/stop-child';
import { freeServicePort } from '../temporal/free-port';

const execFileAsync = promisify(execFile);
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface LocalPostgresOptions {
  /**
   * Directory owning the cluster: `pgdata/` (created by initdb when missing, reused otherwise), the
   * generated superuser password (`superuser-password`, mode 0600) and the server log (`postgres.log`).
   */
  dir: string;
  /** Loopback port; 0 or undefined picks a free one. The same port is kept across stop and start. */
  port?: number;
  startTimeoutMs?: number;
  /** Directory of `initdb`, `postgres`, `pg_isready`, `psql`; else `POSTGRES_BIN_DIR`, else Debian's newest. */
  binDir?: string;
}

/** A PostgreSQL cluster on 127.0.0.1 owned by this process: `stop()` it, or Ctrl-C stops it with us. */
export interface LocalPostgres {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>`: it carries the password, never log it. */
  url(database?: string): string;
  /** The same URL without the password, for logs and messages. */
  displayUrl(database?: string): string;
  /** Creates the database unless it exists (names: lower-case letters, digits, `_`). */
  createDatabase(name: string): Promise<void>;
  /** Fast shutdown (open transactions are rolled back, the data is kept); idempotent. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Starts (after `initdb` when the directory is new) a PostgreSQL cluster listening on loopback only,
 * with password authentication and no Unix socket, and resolves once it accepts connections. As root
 * the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const binDir = options.binDir ?? process.env.POSTGRES_BIN_DIR ?? findDebianPostgresBinDir();
  const owner = clusterOwner();
  const pgdata = join(options.dir, 'pgdata');
  const password = await ensureCluster(options.dir, pgdata, binDir, owner);
  // Below the ephemeral range: no client connection can take the port while a restarted cluster is down.
  const port = options.port || (await freeServicePort(HOST));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const logFile = join(options.dir, 'postgres.log');
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child && !hasExited(child)) return;
    child = spawnServer(binDir, pgdata, port, logFile, owner);
    await waitUntilReady(child, binDir, port, logFile, timeoutMs);
  };
  const stop = async (): Promise<void> => {
    // SIGINT is PostgreSQL's fast shutdown; SIGKILL only if it hangs.
    if (child) await stopChild(child, 30_000, 'SIGINT');
  };
  const url = (database = 'postgres') =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;

  await start();
  return {
    host: HOST,
    port,
    dir: options.dir,
    url,
    displayUrl: (database = 'postgres') => `postgres://${SUPERUSER}@${HOST}:${port}/${database}`,
    createDatabase: (name) => createDatabase(binDir, port, password, name),
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin, off PATH; take the newest. */
function findDebianPostgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = join(root, major, 'bin');
    if (existsSync(join(dir, 'postgres'))) return dir;
  }
  throw new Error(`no PostgreSQL server found under ${root}: install postgresql, or set POSTGRES_BIN_DIR`);
}

interface Owner {
  uid: number;
  gid: number;
}

/** The user the server runs as: `postgres` when we are root, else ourselves (undefined). */
function clusterOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function ensureCluster(dir: string, pgdata: string, binDir: string, owner: Owner | undefined): Promise<string> {
  const passwordFile = join(dir, 'superuser-password');
  if (existsSync(join(pgdata, 'PG_VERSION'))) {
    if (!existsSync(passwordFile)) throw new Error(`${pgdata} holds a cluster but ${passwordFile} is missing`);
    return readFileSync(passwordFile, 'utf8').trim();
  }
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (owner) {
    // The server's user must traverse the directory (not list it: the password file stays root's).
    chmodSync(dir, 0o711);
    chownSync(pgdata, owner.uid, owner.gid);
    if (spawnSync('test', ['-w', pgdata], { ...owner }).status !== 0) {
      throw new Error(
        `the ${SUPERUSER} user cannot write ${pgdata}: choose a directory whose parents it may traverse (e.g. under /tmp)`,
      );
    }
  }
  const password = randomBytes(24).toString('hex');
  // initdb reads the password from a file the server's user can read; it is removed right after.
  const initPasswordFile = join(dir, '.initdb-password');
  writeFileSync(initPasswordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner) chownSync(initPasswordFile, owner.uid, owner.gid);
    await execFileAsync(
      join(binDir, 'initdb'),
      [
        '-D',
        pgdata,
        '-U',
        SUPERUSER,
        '--auth=scram-sha-256',
        `--pwfile=${initPasswordFile}`,
        '-E',
        'UTF8',
        '--no-locale',
      ],
      { ...owner },
    );
  } finally {
    rmSync(initPasswordFile, { force: true });
  }
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

function spawnServer(binDir: string, pgdata: string, port: number, logFile: string, owner: Owner | undefined) {
  const logFd = openSync(logFile, 'a');
  try {
    return spawn(
      join(binDir, 'postgres'),
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        `listen_addresses=${HOST}`,
        '-c',
        'unix_socket_directories=',
        // A Temporal server opens a pool per service and store; the default of 100 is too few.
        '-c',
        'max_connections=300',
      ],
      { stdio: ['ignore', logFd, logFd], ...owner },
    );
  } finally {
    closeSync(logFd);
  }
}

async function waitUntilReady(
  child: ChildProcess,
  binDir: string,
  port: number,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`PostgreSQL exited at start-up:\n${tail(logFile)}`);
    const probe = spawnSync(join(binDir, 'pg_isready'), ['-q', '-h', HOST, '-p', String(port)]);
    if (probe.status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child, 5_000, 'SIGINT');
  throw new Error(`PostgreSQL did not accept connections on ${HOST}:${port} within ${timeoutMs} ms:\n${tail(logFile)}`);
}

async function createDatabase(binDir: string, port: number, password: string, name: string): Promise<void> {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  const psql = (sql: string) =>
    execFileAsync(
      join(binDir, 'psql'),
      ['-h', HOST, '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql],
      { env: { ...process.env, PGPASSWORD: password } },
    );
  const { stdout } = await psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (stdout.trim() !== '1') await psql(`CREATE DATABASE ${name}`);
}

function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}
