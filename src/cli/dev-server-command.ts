import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../temporal/dev-server';
import { integerFrom } from './option-parsers';
import { uiCodecEndpoint, uiCodecEndpointOption, webUiCodecSteps } from './web-ui-codec';

export function registerDevServer(program: Command): void {
  program
    .command('dev-server')
    .description("Run a local Temporal dev server (SQLite file, Web UI, this project's search attributes) until Ctrl-C")
    .option('--port <port>', 'gRPC frontend port', integerFrom(1), 7233)
    .option('--ui-port <port>', 'Web UI port', integerFrom(1), 8233)
    .option('--db-file <path>', 'SQLite file holding the server state', '.data/temporal.sqlite')
    .option('--log-file <path>', "file for the server's own logs", '.data/temporal.log')
    .addOption(uiCodecEndpointOption())
    .action(
      async (opts: { port: number; uiPort: number; dbFile: string; logFile: string; uiCodecEndpoint?: string }) => {
        const codecEndpoint = uiCodecEndpoint(opts.uiCodecEndpoint);
        const server = await startDevServer({
          port: opts.port,
          uiPort: opts.uiPort,
          dbFile: resolve(opts.dbFile),
          logFile: resolve(opts.logFile),
          uiCodecEndpoint: codecEndpoint,
        });
        process.stdout.write(
          `Temporal dev server ready\n  address: ${server.address}\n  Web UI:  ${server.uiUrl ?? '(headless)'}\n  state:   ${resolve(opts.dbFile)}\n`,
        );
        if (codecEndpoint && server.uiUrl) {
          const steps = { endpoint: codecEndpoint, webUi: server.uiUrl, token: 'GATEWAY_CODEC_TOKEN' };
          process.stdout.write(`${webUiCodecSteps({ ...steps, corsReminder: true, browserSetting: true })}\n`);
        }
        process.stdout.write('Ctrl-C stops it.\n');
        await new Promise<void>((done) => {
          const stop = () => void server.stop().then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );
}
