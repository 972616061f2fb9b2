import type { Command } from 'commander';
import { loadConfig } from '../config';
import { loadGatewayConfig, runGateway } from '../gateway';
import { createLogger } from '../logging/logger';

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('Run the HTTP gateway (Shopkit webhooks, ShopiMind lifecycle, admin routes) until SIGINT/SIGTERM')
    .action(async () => {
      const config = loadConfig();
      const gateway = loadGatewayConfig();
      await runGateway(config, createLogger({ level: config.logLevel, name: 'gateway' }), gateway);
    });
}
