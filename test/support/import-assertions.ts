import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { diffState, expectedImportState } from '../../src/sandbox/expected-state';
import type { ImportProgress } from '../../src/contracts';
import type { Sandbox } from './sandbox';

/**
 * Shopkit requests an uninterrupted one-worker import of this progress makes: one per page, store and
 * coupon, and one order search per buyer without a client record (`guestBuyers`, the generator's count).
 */
export function minimalShopkitReads(progress: ImportProgress, guestBuyers: number): number {
  const resources = Object.values(progress.resources);
  const pages = resources.reduce((sum, r) => sum + (r?.pagesDone ?? 0), 0);
  const vouchers = progress.resources.vouchers;
  // Customer groups and order statuses read nothing; a voucher batch reads once per code.
  return 1 + pages - 2 - (vouchers?.pagesDone ?? 0) + (vouchers?.read ?? 0) + guestBuyers;
}

/** Every collection's differences from the expected state; empty when ShopiMind holds exactly the store. */
export function stateDifferences(sandbox: Sandbox, progress: ImportProgress): string[] {
  if (!progress.mapping) throw new Error('the import never provisioned the store');
  const expected = expectedImportState(sandbox.shopkit.store, sandbox.shopkit.generator, progress.mapping);
  return diffState(expected, sandbox.shopimind.state, progress.mapping).flatMap((diff) =>
    diff.missing.length + diff.unexpected.length + diff.different.length === 0 && diff.expected === diff.actual
      ? []
      : [
          `${diff.collection}: expected ${diff.expected}, got ${diff.actual}; missing ${diff.missing.slice(0, 3).join(',')}; ` +
            `unexpected ${diff.unexpected.slice(0, 3).join(',')}; different ${diff.different.slice(0, 3).join(',')}`,
        ],
  );
}

/** The histories of every run of a continueAsNew chain, from its first run, as JSON text. */
export async function allRunHistories(client: Client, workflowId: string, firstRunId: string): Promise<string[]> {
  const histories: string[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(JSON.stringify(history));
    const last: temporal.api.history.v1.IHistoryEvent | undefined = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return histories;
}
