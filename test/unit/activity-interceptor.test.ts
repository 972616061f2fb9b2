import { ApplicationFailure } from '@temporalio/activity';
import {
  noopMetricMeter,
  type LogLevel,
  type LogMetadata,
  type MetricCounter,
  type MetricMeter,
  type MetricTags,
} from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { activityInterceptors } from '../../src/activities';
import { isFailureType } from '../../src/contracts';
import { ApiError, classifyStatus } from '../../src/http';
import { SecretDecryptionError } from '../../src/secrets/secret-box';

interface Counted {
  name: string;
  value: number;
  tags?: MetricTags;
}

/** A meter that records what is added to its counters; other instruments do nothing. */
function countingMeter(counted: Counted[]): MetricMeter {
  const meter: MetricMeter = {
    createCounter: (name, unit, description) => {
      const counter: MetricCounter = {
        name,
        unit,
        description,
        kind: 'counter',
        valueType: 'int',
        add: (value, tags) => counted.push({ name, value, tags }),
        withTags: () => counter,
      };
      return counter;
    },
    createHistogram: (...args) => noopMetricMeter.createHistogram(...args),
    createGauge: (...args) => noopMetricMeter.createGauge(...args),
    createUpDownCounter: (...args) => noopMetricMeter.createUpDownCounter(...args),
    withTags: () => meter,
  };
  return meter;
}

/** Runs a failing activity through the worker's interceptor and returns what Temporal would record. */
async function failureOf(
  error: unknown,
): Promise<{ failure: unknown; logs: { message: string; meta?: LogMetadata }[]; counted: Counted[] }> {
  const logs: { message: string; meta?: LogMetadata }[] = [];
  const logger = new DefaultLogger(
    'WARN',
    ({ level, message, meta }: { level: LogLevel; message: string; meta?: LogMetadata }) => {
      if (level === 'WARN') logs.push({ message, meta });
    },
  );
  const counted: Counted[] = [];
  const env = new MockActivityEnvironment(
    { activityType: 'importPage' },
    { interceptors: [activityInterceptors], logger, metricMeter: countingMeter(counted) },
  );
  const failing = (): Promise<never> => {
    throw error;
  };
  const failure = await env.run(failing).catch((err: unknown) => err);
  return { failure, logs, counted };
}

function apiError(status: number, cause?: unknown): ApiError {
  return new ApiError(
    { api: 'shopkit', storeId: 'shop-1', method: 'GET', path: '/v1/order', status, ...classifyStatus(status) },
    undefined,
    cause,
  );
}

describe('the activity interceptor: one translation of errors into Temporal failures', () => {
  it('keeps an API error’s type, cause and own retryability', async () => {
    const notJson = new SyntaxError('Unexpected token < in JSON at position 0');
    const outage = apiError(502, notJson);
    const { failure, logs } = await failureOf(outage);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ShopkitServerError', nonRetryable: false, cause: outage });
    expect(outage.cause).toBe(notJson);
    expect(isFailureType((failure as ApplicationFailure).type)).toBe(true);
    // One line of ours, with the type and retryability as fields (the SDK adds its own "Activity failed").
    const ours = logs.filter((line) => line.message === 'activity attempt failed');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.meta).toMatchObject({ failureType: 'ShopkitServerError', retryable: true, attempt: 1 });

    const { failure: refused } = await failureOf(apiError(401));
    expect(refused).toMatchObject({ type: 'ShopkitAuthError', nonRetryable: true });
    expect(isFailureType((refused as ApplicationFailure).type)).toBe(true);
  });

  it('counts each failed attempt once, by activity, type and retryability', async () => {
    // The SDK's own tags (namespace, task queue) come along; ours are the ones asserted.
    const { counted } = await failureOf(apiError(502));
    expect(counted).toEqual([
      {
        name: 'shopkit_sync_activity_failures',
        value: 1,
        tags: expect.objectContaining({
          activity: 'importPage',
          failure_type: 'ShopkitServerError',
          retryable: 'true',
        }),
      },
    ]);
    const { counted: other } = await failureOf(new TypeError('a bug'));
    expect(other).toEqual([
      {
        name: 'shopkit_sync_activity_failures',
        value: 1,
        tags: expect.objectContaining({ activity: 'importPage', failure_type: 'Error', retryable: 'true' }),
      },
    ]);
  });

  it('makes an undecryptable secret final, and passes other failures through unchanged', async () => {
    const secret = new SecretDecryptionError({ installationId: 'inst-1', field: 'access_token' }, 'wrong key');
    const { failure } = await failureOf(secret);
    expect(failure).toMatchObject({ type: 'SecretUndecryptable', nonRetryable: true, cause: secret });
    expect(isFailureType((failure as ApplicationFailure).type)).toBe(true);
    expect(isFailureType('UnknownError')).toBe(false);

    const own = ApplicationFailure.nonRetryable('store not provisioned', 'WorkflowStateError');
    expect((await failureOf(own)).failure).toBe(own);
    const plain = new TypeError('a bug');
    expect((await failureOf(plain)).failure).toBe(plain);
  });
});
