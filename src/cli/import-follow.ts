import type { Client } from '@temporalio/client';
import { IMPORT_RESOURCES } from '../contracts/import';
import { progressQuery, type ImportProgress } from '../contracts';
import { CliExit, EXIT } from './exit-codes';
import { ImportProgressBars } from './progress-bars';

type ImportHandle = ReturnType<Client['workflow']['getHandle']>;

/**
 * Polls the progress query into live bars until the import is done. An import that completed with
 * rejects stays open for `replay-rejected`, so "done" is read from the query, not from the result.
 */
export interface FollowOptions {
  /** Draw live bars on stderr. */
  bars: boolean;
  /** What to print on stdout at the end. */
  print: 'text' | 'json' | 'none';
}

export async function followImport(handle: ImportHandle, options: FollowOptions): Promise<ImportProgress> {
  const bars = options.bars ? new ImportProgressBars() : undefined;
  let outcome: { ok: true; progress: ImportProgress } | { ok: false; error: unknown } | undefined;
  (handle.result() as Promise<ImportProgress>).then(
    (progress) => (outcome ??= { ok: true, progress }),
    (error: unknown) => (outcome ??= { ok: false, error }),
  );
  while (!outcome) {
    try {
      const progress = await handle.query(progressQuery);
      bars?.update(progress);
      if (progress.phase === 'done') outcome = { ok: true, progress };
    } catch {
      // Between two runs of a continueAsNew chain the query can miss; the next poll succeeds.
    }
    if (!outcome) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!outcome.ok) {
    bars?.stop();
    throw new CliExit(`Import ${handle.workflowId} ended without completing: ${String(outcome.error)}`, EXIT.failure);
  }
  const final = outcome.progress;
  bars?.update(final);
  bars?.stop();
  if (options.print !== 'none') {
    process.stdout.write(options.print === 'json' ? `${JSON.stringify(final)}\n` : formatProgress(final));
  }
  if (final.rejectedTotal > 0 && options.print === 'text') {
    process.stderr.write(
      `${final.rejectedTotal} items were rejected: see \`shopkit-sync status ${final.storeId} --json\`, fix, then \`shopkit-sync replay-rejected ${final.storeId}\` (or \`shopkit-sync finish-import ${final.storeId}\` to leave them)\n`,
    );
  }
  return final;
}

export function formatProgress(progress: ImportProgress): string {
  const lines = [
    `Import of store ${progress.storeId}: ${progress.paused ? 'PAUSED' : progress.phase}${progress.dryRun ? ' (dry run)' : ''}`,
    `  started ${progress.startedAt}${progress.eta ? `, ETA ${progress.eta}` : ''}, run ${progress.run}`,
  ];
  if (progress.lastError) lines.push(`  last error: ${progress.lastError}`);
  lines.push(
    `  ${'resource'.padEnd(14)} ${'pages'.padStart(11)} ${'read'.padStart(8)} ${'sent'.padStart(8)} ${'rejected'.padStart(9)}`,
  );
  for (const resource of IMPORT_RESOURCES) {
    const p = progress.resources[resource];
    if (!p) continue;
    const pages = `${p.pagesDone}/${p.pageCount ?? '?'}`;
    lines.push(
      `  ${resource.padEnd(14)} ${pages.padStart(11)} ${String(p.read).padStart(8)} ${String(p.sent).padStart(8)} ${String(p.rejected).padStart(9)}${p.done ? '  done' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
