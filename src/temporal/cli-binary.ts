import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The project-local tools dir that `npm run setup` builds the Temporal binaries into. */
export const PROJECT_TOOLS_BIN = resolve(__dirname, '..', '..', '.tools', 'bin');

/** The Temporal binaries `npm run setup` provides, by file name, with the variable that overrides each. */
export const TEMPORAL_BINARIES = {
  temporal: 'TEMPORAL_CLI',
  'temporal-server': 'TEMPORAL_SERVER',
  'temporal-sql-tool': 'TEMPORAL_SQL_TOOL',
  'temporal-ui-server': 'TEMPORAL_UI_SERVER',
} as const;

export type TemporalBinary = keyof typeof TEMPORAL_BINARIES;

/**
 * Finds a Temporal binary like the setup script does: its variable (`TEMPORAL_CLI`, …), then PATH,
 * then the project-local tools dir. Never downloads anything.
 */
export function findTemporalBinary(name: TemporalBinary, env: NodeJS.ProcessEnv = process.env): string {
  const variable = TEMPORAL_BINARIES[name];
  const override = env[variable];
  if (override) {
    if (isExecutable(override)) return override;
    throw new Error(`${variable}=${override} is not an executable file`);
  }
  const candidates = [...(env.PATH ?? '').split(delimiter).filter(Boolean), PROJECT_TOOLS_BIN];
  for (const dir of candidates) {
    const path = join(dir, name);
    if (isExecutable(path)) return path;
  }
  throw new Error(`No ${name} found (${variable}, PATH, .tools/bin). Run \`npm run setup\` to build it.`);
}

/** The Temporal CLI (with its dev server). */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  return findTemporalBinary('temporal', env);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
