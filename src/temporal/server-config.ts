import { stringify } from 'yaml';

/** Where and as whom the Temporal server reaches PostgreSQL. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The databases the server keeps its state and its visibility records in, as docker-compose's auto-setup names them. */
export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/** Must never change once a database holds state: workflows are assigned to shards by this count. */
export const NUM_HISTORY_SHARDS = 4;

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** One gossip port per service, in the order frontend, history, matching, worker. */
  membership: [number, number, number, number];
}

/** Reads `postgres://user:password@host:port/…`; the database part is ignored (see TEMPORAL_DATABASES). */
export function postgresEndpoint(url: string): PostgresEndpoint {
  const parsed = new URL(url);
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new Error('the PostgreSQL URL must start with postgres:// or postgresql://');
  }
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * The server's configuration (the shape of the module's `config/development-postgres12.yaml`, with our
 * ports and PostgreSQL; dynamic config at its defaults). It holds the database password: write it with mode 0600.
 */
export function serverConfigYaml(ip: string, ports: ServerPorts, db: PostgresEndpoint): string {
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: ip, ...extra },
  });
  const [frontendGossip, historyGossip, matchingGossip, workerGossip] = ports.membership;
  return stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        default: datastore(TEMPORAL_DATABASES.default, 20),
        visibility: datastore(TEMPORAL_DATABASES.visibility, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: ip } },
    services: {
      frontend: service(ports.frontend, frontendGossip, { httpPort: ports.frontendHttp }),
      history: service(ports.history, historyGossip),
      matching: service(ports.matching, matchingGossip),
      worker: service(ports.worker, workerGossip),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `${ip}:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
  });
}

/**
 * Configuration of the standalone Temporal Web UI server (the same UI the CLI's dev server embeds). With a codec
 * endpoint (the gateway's `/codec`), the browser sends it the cookie an operator gets at `/codec/login`.
 */
export function uiConfigYaml(
  ip: string,
  uiPort: number,
  frontendAddress: string,
  namespace: string,
  codecEndpoint?: string,
): string {
  return stringify({
    temporalGrpcAddress: frontendAddress,
    host: ip,
    port: uiPort,
    enableUi: true,
    defaultNamespace: namespace,
    notifyOnNewVersion: false,
    cors: { allowOrigins: [`http://${ip}:${uiPort}`] },
    ...(codecEndpoint && { codec: { endpoint: codecEndpoint, includeCredentials: true } }),
  });
}
