import { Runtime, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { activityInterceptors, createActivities, type ActivityDeps } from './activities';
import { ConfigError, loadConfig, redactConfig, type AppConfig } from './config';
import { createLogger, TemporalPinoLogger, type Logger } from './logging/logger';
import { combinedLookup, openRegistryRuntime } from './registry';
import { connectWorkerConnection, dataConverterFor } from './temporal/temporal-client';

export interface CreateWorkerOptions {
  config: AppConfig;
  connection: NativeConnection;
  /** Activity dependencies; by default real clients built from the configuration. */
  deps?: Partial<ActivityDeps>;
  /** A prebuilt workflow bundle instead of the configured one (WORKFLOW_BUNDLE) or bundling `./workflows` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  /** Only the benchmarks' baseline runs without the payload codec (see TemporalSettings). */
  plaintext?: boolean;
}

/** Builds a worker that serves this project's workflows and activities on the configured task queue. */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { config } = options;
  const bundle = options.workflowBundle ?? (config.workflowBundle ? { codePath: config.workflowBundle } : undefined);
  return Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    // Payload codecs run in the worker's main thread, outside the workflow sandbox.
    dataConverter: dataConverterFor({ ...config.temporal, plaintext: options.plaintext }),
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities({ stores: config.stores, ...options.deps }),
    interceptors: { activity: [activityInterceptors] },
    // In-flight activities get this long to finish after SIGINT/SIGTERM before they are cancelled.
    shutdownGraceTime: config.shutdownGraceMs,
  });
}

/**
 * Installs the SDK runtime once per process so its logs join ours, and, with a metrics port, serves
 * the SDK's metrics (workflow and activity task latencies, failures, pollers…) for Prometheus.
 */
export function installRuntime(logger: Logger, metricsPort?: number): void {
  Runtime.install({
    logger: new TemporalPinoLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(metricsPort
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}` } } } }
      : {}),
  });
}

/** Runs a worker until SIGINT/SIGTERM: polling stops, in-flight activities get the grace period. */
export async function runWorker(config: AppConfig, logger: Logger): Promise<void> {
  installRuntime(logger, config.metricsPort);
  logger.info({ config: redactConfig(config) }, 'starting worker');
  // Installations come from the registry when this deployment has one; configured stores come first.
  const installations = await openRegistryRuntime();
  const connection = await connectWorkerConnection(config.temporal);
  try {
    const stores = combinedLookup(config.stores, installations?.lookup);
    const worker = await createWorker({ config, connection, deps: { stores } });
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
    await installations?.registry.close();
  }
}

if (require.main === module) {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  runWorker(config, logger).catch((err: unknown) => {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  });
}
