import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import type { ApiCheck, CheckConnectionInput, CheckConnectionResult } from '../contracts/connection';
import { CONNECTOR_FAILURES, isFailureType } from '../contracts/failures';

const { checkShopkitConnection, checkShopimindConnection } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/**
 * Proves that the worker holds working credentials for both APIs of a store. Completes with both
 * results when both answer; fails with the first failing API's type, its activity failure as the cause.
 */
export async function checkConnectionWorkflow(input: CheckConnectionInput): Promise<CheckConnectionResult> {
  const [shopkit, shopimind] = await Promise.allSettled([
    checkShopkitConnection(input.storeId),
    checkShopimindConnection(input.storeId),
  ]);
  const result: CheckConnectionResult = {
    storeId: input.storeId,
    storeName: shopkit.status === 'fulfilled' ? shopkit.value.name : null,
    currency: shopkit.status === 'fulfilled' ? shopkit.value.currency : null,
    shopkit: shopkit.status === 'fulfilled' ? { ok: true } : failed(shopkit.reason),
    shopimind:
      shopimind.status === 'fulfilled'
        ? { ok: true, dataSources: shopimind.value.dataSources }
        : failed(shopimind.reason),
  };
  const firstFailure = [shopkit, shopimind].find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (firstFailure) {
    const reason: unknown = firstFailure.reason;
    throw ApplicationFailure.create({
      message: `Connection check failed for store ${input.storeId}: ${describe('shopkit', result.shopkit)}; ${describe('shopimind', result.shopimind)}`,
      type: failed(reason).errorType,
      nonRetryable: true,
      details: [result],
      cause: reason instanceof Error ? reason : undefined,
    });
  }
  return result;
}

/** An activity's failure as a check: its own type when it is one of ours, otherwise the check's. */
function failed(reason: unknown): Extract<ApiCheck, { ok: false }> {
  const cause = reason instanceof ActivityFailure ? reason.cause : reason;
  const message = cause instanceof Error ? cause.message : String(cause);
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  return { ok: false, errorType: isFailureType(type) ? type : CONNECTOR_FAILURES.connectionCheckFailed, message };
}

function describe(api: string, check: ApiCheck): string {
  return check.ok ? `${api} ok` : `${api} ${check.errorType}: ${check.message}`;
}
