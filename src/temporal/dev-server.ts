import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { findTemporalCli } from './cli-binary';
import { stopChild } from '../process/stop-child';
import { freeServicePort } from './free-port';
import { waitUntilServing } from './frontend-ready';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  /** SQLite file that keeps the server's state across restarts. */
  dbFile: string;
  ip?: string;
  /** gRPC frontend port; 0 or undefined picks a free one. */
  port?: number;
  /** Web UI port; 0 or undefined picks a free one. `false` runs headless. */
  uiPort?: number | false;
  namespace?: string;
  /** File receiving the server's own output; by default it is discarded. */
  logFile?: string;
  startTimeoutMs?: number;
  binary?: string;
  /** Codec endpoint the Web UI decodes payloads with (the gateway's `/codec`). */
  uiCodecEndpoint?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  namespace: string;
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `temporal server start-dev` on loopback and resolves once its frontend answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const taken = new Set<number>();
  const port = options.port || (await freeServicePort(ip, taken));
  const uiPort = options.uiPort === false ? undefined : options.uiPort || (await freeServicePort(ip, taken));
  const httpPort = await freeServicePort(ip, taken);
  const metricsPort = await freeServicePort(ip, taken);
  const binary = options.binary ?? findTemporalCli();
  mkdirSync(dirname(options.dbFile), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    ...Object.entries(CUSTOM_SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-ip', ip]),
    ...(options.uiCodecEndpoint && uiPort !== undefined ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ];

  let logFd: number | undefined;
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    logFd = openSync(options.logFile, 'a');
  }
  const child = spawn(binary, args, { stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'ignore'], detached: false });
  if (logFd !== undefined) closeSync(logFd);

  const address = `${ip}:${port}`;
  try {
    await waitUntilServing(child, 'temporal dev server', address, namespace, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child, 2_000);
    throw err;
  }
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${ip}:${uiPort}`,
    namespace,
    pid: child.pid ?? -1,
    stop: (graceMs = 10_000) => stopChild(child, graceMs),
  };
}
