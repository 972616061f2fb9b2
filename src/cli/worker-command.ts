import type { Command } from 'commander';
import { loadConfig } from '../config';
import { createLogger } from '../logging/logger';
import { runWorker } from '../worker';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a Temporal worker for the configured stores until SIGINT/SIGTERM')
    .action(async () => {
      const config = loadConfig();
      await runWorker(config, createLogger({ level: config.logLevel, name: 'worker' }));
    });
}
