import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import type { ApiCheck, CheckConnectionInput, CheckConnectionResult } from '../contracts/connection';

const { checkShopkitConnection, checkShopimindConnection } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/**
 * Proves that the worker holds working credentials for both APIs of a store. Completes with both
 * results when both answer; fails with the first API's typed failure otherwise.
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
  const firstFailure = [result.shopkit, result.shopimind].find((check) => !check.ok);
  if (firstFailure) {
    throw ApplicationFailure.create({
      message: `Connection check failed for store ${input.storeId}: ${describe('shopkit', result.shopkit)}; ${describe('shopimind', result.shopimind)}`,
      type: firstFailure.errorType ?? 'ConnectionCheckFailed',
      nonRetryable: true,
      details: [result],
    });
  }
  return result;
}

function failed(reason: unknown): ApiCheck {
  const cause = reason instanceof ActivityFailure ? reason.cause : reason;
  if (cause instanceof ApplicationFailure)
    return { ok: false, errorType: cause.type ?? undefined, message: cause.message };
  return { ok: false, errorType: 'UnknownError', message: cause instanceof Error ? cause.message : String(cause) };
}

function describe(api: string, check: ApiCheck): string {
  return check.ok ? `${api} ok` : `${api} ${check.errorType ?? 'failed'}: ${check.message ?? ''}`;
}
