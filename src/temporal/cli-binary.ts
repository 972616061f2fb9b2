import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The project-local tools dir that `npm run setup` builds the CLI into. */
export const PROJECT_TOOLS_BIN = resolve(__dirname, '..', '..', '.tools', 'bin');

/**
 * Finds the Temporal CLI like the setup script does: `TEMPORAL_CLI`, then PATH, then the
 * project-local tools dir. Never downloads anything.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI) {
    if (isExecutable(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
  }
  const candidates = [...(env.PATH ?? '').split(delimiter).filter(Boolean), PROJECT_TOOLS_BIN];
  for (const dir of candidates) {
    const path = join(dir, 'temporal');
    if (isExecutable(path)) return path;
  }
  throw new Error('No temporal CLI found (TEMPORAL_CLI, PATH, .tools/bin). Run `npm run setup` to build it.');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
