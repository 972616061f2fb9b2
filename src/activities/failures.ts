import { ApplicationFailure } from '@temporalio/activity';
import { ApiError } from '../http';

/**
 * Turns what an activity caught into the failure Temporal records. API errors keep their type and their
 * own retryability, which is the only place it is decided (workflows list no failure types); the message
 * names store, API and path, never a credential.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.failureType,
      nonRetryable: !err.retryable,
      cause: err,
      details: [{ api: err.api, storeId: err.storeId, status: err.status ?? null, path: err.path }],
    });
  }
  return err;
}

/** Runs an activity body, translating its errors for Temporal. */
export async function asActivity<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

export function storeNotConfigured(storeId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Store ${storeId} is not configured on this worker (STORE_ID or STORES_FILE)`,
    'StoreNotConfigured',
  );
}
