import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalPostgres, type LocalPostgres } from '../postgres/local-cluster';
import { stopChild } from '../process/stop-child';
import { findTemporalBinary } from './cli-binary';
import { freeServicePort, freeServicePorts } from './free-port';
import { waitUntilServing } from './frontend-ready';
import { ensureNamespace } from './namespace-setup';
import { postgresEndpoint, serverConfigYaml, uiConfigYaml, type ServerPorts } from './server-config';
import { setupTemporalSchemas } from './sql-schema';
import { withAdminConnection } from './temporal-client';

export interface ProductionServerOptions {
  /** Holds the generated configuration, the logs and, without `postgresUrl`, a local PostgreSQL cluster. */
  dir: string;
  /** An existing PostgreSQL server (`postgres://user:password@host:port`); its databases are created if missing. */
  postgresUrl?: string;
  ip?: string;
  /** gRPC frontend port; 0 or undefined picks a free one. */
  port?: number;
  /** Web UI port; 0 picks a free one; undefined or `false` runs no UI. */
  uiPort?: number | false;
  /** Codec endpoint the Web UI decodes payloads with, sending the browser's cookies (the gateway's `/codec`). */
  uiCodecEndpoint?: string;
  namespace?: string;
  startTimeoutMs?: number;
}

export interface ProductionServer {
  address: string;
  uiUrl: string | undefined;
  namespace: string;
  /** Where the state lives, without the password. */
  postgres: string;
  /** The cluster this server started in `<dir>/postgres`, when no URL was given. */
  localPostgres: LocalPostgres | undefined;
  /** Stops the Temporal server process and starts it again on the same ports and databases. */
  restart(graceMs?: number): Promise<void>;
  /** Stops the UI, the server, then the local PostgreSQL cluster if this server started one. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves, with the reason, if the server or the UI exits when neither `stop` nor `restart` asked it to. */
  exited: Promise<string>;
}

/**
 * Runs the Temporal server (`temporal-server`, built by `npm run setup`) on PostgreSQL, as in production:
 * schemas set up or migrated with `temporal-sql-tool`, the namespace and search attributes registered, and
 * optionally the standalone Web UI pointed at it. Resolves once workflows can be started with the search
 * attributes.
 */
export async function startProductionServer(options: ProductionServerOptions): Promise<ProductionServer> {
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const serverBinary = findTemporalBinary('temporal-server');
  const configDir = join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });

  const localPostgres = options.postgresUrl
    ? undefined
    : await startLocalPostgres({ dir: join(options.dir, 'postgres'), startTimeoutMs: timeoutMs });
  let server: ChildProcess | undefined;
  let ui: ChildProcess | undefined;
  let expectedExit = false;
  let reportExit: (reason: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => (reportExit = resolve));
  const watch = (child: ChildProcess, name: string, log: string) =>
    child.once('exit', (code, signal) => {
      if (!expectedExit) reportExit(`${name} exited with ${signal ?? code}; see ${join(options.dir, log)}`);
    });
  const stop = async (graceMs = 15_000) => {
    expectedExit = true;
    if (ui) await stopChild(ui, 5_000);
    if (server) await stopChild(server, graceMs);
    await localPostgres?.stop();
  };
  try {
    const db = postgresEndpoint(options.postgresUrl ?? (localPostgres as LocalPostgres).url());
    await setupTemporalSchemas(findTemporalBinary('temporal-sql-tool'), db);

    const ports = await allocatePorts(ip, options.port);
    const address = `${ip}:${ports.frontend}`;
    // The configuration holds the database password.
    writeFileSync(join(configDir, 'production.yaml'), serverConfigYaml(ip, ports, db), {
      mode: 0o600,
    });
    const startServer = async () => {
      server = spawnLogged(
        serverBinary,
        ['--root', options.dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
        join(options.dir, 'temporal-server.log'),
      );
      watch(server, 'temporal-server', 'temporal-server.log');
      await waitUntilServing(server, 'temporal server', address, 'temporal-system', timeoutMs);
    };
    await startServer();
    await ensureNamespace(address, namespace);
    await waitUntilSearchable(address, namespace, timeoutMs);

    let uiUrl: string | undefined;
    if (options.uiPort !== undefined && options.uiPort !== false) {
      const uiPort = options.uiPort || (await freeServicePort(ip));
      uiUrl = `http://${ip}:${uiPort}`;
      const uiConfig = uiConfigYaml(ip, uiPort, address, namespace, options.uiCodecEndpoint);
      ui = await startWebUi(options.dir, ip, uiPort, uiConfig, timeoutMs);
      watch(ui, 'temporal-ui-server', 'temporal-ui.log');
    }
    return {
      address,
      uiUrl,
      namespace,
      postgres: localPostgres ? localPostgres.displayUrl() : `postgres://${db.user}@${db.host}:${db.port}`,
      localPostgres,
      restart: async (graceMs = 15_000) => {
        expectedExit = true;
        if (server) await stopChild(server, graceMs);
        expectedExit = false;
        await startServer();
        await waitUntilSearchable(address, namespace, timeoutMs);
      },
      stop,
      exited,
    };
  } catch (err) {
    await stop(2_000);
    throw err;
  }
}

async function allocatePorts(ip: string, frontend: number | undefined): Promise<ServerPorts> {
  const [picked, frontendHttp, history, matching, worker, ...gossip] = await freeServicePorts(9, ip);
  return {
    frontend: frontend || (picked as number),
    frontendHttp: frontendHttp as number,
    history: history as number,
    matching: matching as number,
    worker: worker as number,
    membership: gossip as ServerPorts['membership'],
  };
}

function spawnLogged(binary: string, args: string[], logFile: string): ChildProcess {
  const logFd = openSync(logFile, 'a');
  try {
    return spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
}

/** Waits until a visibility query naming the search attributes is accepted: the namespace is fully usable. */
async function waitUntilSearchable(address: string, namespace: string, timeoutMs: number): Promise<void> {
  await withAdminConnection(address, async (connection) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await connection.workflowService.countWorkflowExecutions({ namespace, query: 'ShopkitStore = "probe"' });
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`namespace ${namespace} not usable on ${address}: ${String(err)}`, { cause: err });
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
}

async function startWebUi(
  dir: string,
  ip: string,
  port: number,
  configYaml: string,
  timeoutMs: number,
): Promise<ChildProcess> {
  const uiRoot = join(dir, 'ui');
  mkdirSync(join(uiRoot, 'config'), { recursive: true });
  writeFileSync(join(uiRoot, 'config', 'production.yaml'), configYaml);
  const ui = spawnLogged(
    findTemporalBinary('temporal-ui-server'),
    ['--root', uiRoot, '--config', 'config', '--env', 'production', 'start'],
    join(dir, 'temporal-ui.log'),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ui.exitCode !== null)
      throw new Error(`temporal-ui-server exited with ${ui.exitCode}; see ${dir}/temporal-ui.log`);
    const ok = await fetch(`http://${ip}:${port}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return ui;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopChild(ui, 2_000);
  throw new Error(`temporal-ui-server did not answer on http://${ip}:${port} within ${timeoutMs} ms`);
}
