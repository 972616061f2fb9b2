import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { startProductionServer } from '../temporal/production-server';
import { CliExit, EXIT } from './exit-codes';
import { integerFrom } from './option-parsers';
import { uiCodecEndpoint, uiCodecEndpointOption, webUiCodecSteps } from './web-ui-codec';

interface TemporalServerOptions {
  port: number;
  uiPort: number;
  ui: boolean;
  dataDir?: string;
  postgresUrl?: string;
  uiCodecEndpoint?: string;
}

const DEFAULT_DATA_DIR = '.data/temporal-server';

export function registerTemporalServer(program: Command): void {
  program
    .command('temporal-server')
    .description(
      'Run the Temporal server on PostgreSQL (schemas set up or migrated, namespace and search attributes registered) with its Web UI, until Ctrl-C',
    )
    .option('--port <port>', 'gRPC frontend port', integerFrom(1), 7233)
    .option('--ui-port <port>', 'Web UI port', integerFrom(1), 8233)
    .option('--no-ui', 'run without the Web UI')
    .addOption(uiCodecEndpointOption())
    .option(
      '--data-dir <dir>',
      `directory of a local PostgreSQL cluster and the server's files (default ${DEFAULT_DATA_DIR})`,
    )
    .addOption(
      new Option('--postgres-url <url>', 'an existing PostgreSQL server instead of a local cluster').env(
        'TEMPORAL_POSTGRES_URL',
      ),
    )
    .action(async (opts: TemporalServerOptions) => {
      if (opts.dataDir && opts.postgresUrl) {
        throw new CliExit(
          '--data-dir and --postgres-url exclude each other: the URL replaces the local cluster',
          EXIT.usage,
        );
      }
      // With a URL the directory still holds the generated configuration and the logs.
      const dir = resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
      const codecEndpoint = uiCodecEndpoint(opts.uiCodecEndpoint);
      const server = await startProductionServer({
        dir,
        postgresUrl: opts.postgresUrl,
        port: opts.port,
        uiPort: opts.ui ? opts.uiPort : false,
        uiCodecEndpoint: codecEndpoint,
      });
      // The first line is machine-readable; it carries no password.
      process.stdout.write(
        `${JSON.stringify({ address: server.address, namespace: server.namespace, ui: server.uiUrl ?? null, postgres: server.postgres, dir })}\n`,
      );
      process.stderr.write(`Temporal server on PostgreSQL ready; logs in ${dir}. Ctrl-C stops it.\n`);
      if (codecEndpoint && server.uiUrl) {
        const steps = { endpoint: codecEndpoint, webUi: server.uiUrl, token: 'GATEWAY_CODEC_TOKEN' };
        process.stderr.write(`${webUiCodecSteps({ ...steps, corsReminder: true, browserSetting: false })}\n`);
      }
      const signalled = new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      const crashed = await Promise.race([signalled.then(() => undefined), server.exited]);
      await server.stop();
      if (crashed) throw new CliExit(crashed, EXIT.failure);
    });
}
