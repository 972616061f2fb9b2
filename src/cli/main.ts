#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { registerCheckConnection } from './check-connection-command';
import { registerDemo } from './demo/demo-command';
import { registerDevServer } from './dev-server-command';
import { registerGateway } from './gateway-command';
import { registerImportCommands } from './import-commands';
import { registerSandbox } from './sandbox-command';
import { registerStoresCommands } from './stores-commands';
import { registerTemporalServer } from './temporal-server-command';
import { CliExit, EXIT } from './exit-codes';
import { registerWorker } from './worker-command';

export function buildProgram(): Command {
  const program = new Command('shopkit-sync')
    .description('Durable Shopkit → ShopiMind sync on Temporal')
    .showHelpAfterError()
    .exitOverride();
  registerDevServer(program);
  registerTemporalServer(program);
  registerWorker(program);
  registerCheckConnection(program);
  registerImportCommands(program);
  registerSandbox(program);
  registerDemo(program);
  registerGateway(program);
  registerStoresCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof CliExit) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
