import { ApplicationFailure } from '@temporalio/activity';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { activityInterceptors } from '../../src/activities';
import { ApiError, classifyStatus } from '../../src/http';
import { SecretDecryptionError } from '../../src/secrets/secret-box';

/** Runs a failing activity through the worker's interceptor and returns what Temporal would record. */
async function failureOf(
  error: unknown,
): Promise<{ failure: unknown; logs: { message: string; meta?: LogMetadata }[] }> {
  const logs: { message: string; meta?: LogMetadata }[] = [];
  const logger = new DefaultLogger(
    'WARN',
    ({ level, message, meta }: { level: LogLevel; message: string; meta?: LogMetadata }) => {
      if (level === 'WARN') logs.push({ message, meta });
    },
  );
  const env = new MockActivityEnvironment(
    { activityType: 'importPage' },
    { interceptors: [activityInterceptors], logger },
  );
  const failing = (): Promise<never> => {
    throw error;
  };
  const failure = await env.run(failing).catch((err: unknown) => err);
  return { failure, logs };
}

function apiError(status: number): ApiError {
  return new ApiError(
    { api: 'shopkit', storeId: 'shop-1', method: 'GET', path: '/v1/order', status, ...classifyStatus(status) },
    undefined,
  );
}

describe('the activity interceptor: one translation of errors into Temporal failures', () => {
  it('keeps an API error’s type, cause and own retryability', async () => {
    const outage = apiError(502);
    const { failure, logs } = await failureOf(outage);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ShopkitServerError', nonRetryable: false, cause: outage });
    // One line of ours, with the type and retryability as fields (the SDK adds its own "Activity failed").
    const ours = logs.filter((line) => line.message === 'activity attempt failed');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.meta).toMatchObject({ failureType: 'ShopkitServerError', retryable: true, attempt: 1 });

    const { failure: refused } = await failureOf(apiError(401));
    expect(refused).toMatchObject({ type: 'ShopkitAuthError', nonRetryable: true });
  });

  it('makes an undecryptable secret final, and passes other failures through unchanged', async () => {
    const secret = new SecretDecryptionError({ installationId: 'inst-1', field: 'access_token' }, 'wrong key');
    const { failure } = await failureOf(secret);
    expect(failure).toMatchObject({ type: 'SecretUndecryptable', nonRetryable: true, cause: secret });

    const own = ApplicationFailure.nonRetryable('store not provisioned', 'WorkflowStateError');
    expect((await failureOf(own)).failure).toBe(own);
    const plain = new TypeError('a bug');
    expect((await failureOf(plain)).failure).toBe(plain);
  });
});
