import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import { ApiError } from '../http';
import { SecretDecryptionError } from '../secrets/secret-box';

/**
 * The one place an activity's error becomes the failure Temporal records: API errors keep their type and
 * their own retryability (the only place it is decided), an undecryptable secret is final, anything else
 * passes as it is. Each failure is logged once with its type and counted per type; messages name store,
 * API and path, never a credential.
 */
export const activityInterceptors: ActivityInterceptorsFactory = (ctx) => ({ inbound: new FailureTranslation(ctx) });

function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.failureType,
      nonRetryable: !err.retryable,
      cause: err,
      details: [{ api: err.api, storeId: err.storeId, status: err.status ?? null, path: err.path }],
    });
  }
  if (err instanceof SecretDecryptionError) {
    return ApplicationFailure.create({
      message: err.message,
      type: CONNECTOR_FAILURES.secretUndecryptable,
      nonRetryable: true,
      cause: err,
    });
  }
  return err;
}

class FailureTranslation implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  async execute(
    input: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[0],
    next: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[1],
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const failure = toActivityFailure(err);
      // A cancelled attempt is not a failure of the activity: Temporal records it as cancelled.
      if (this.ctx.cancellationSignal.aborted) throw failure;
      const type = failure instanceof ApplicationFailure ? (failure.type ?? 'Error') : 'Error';
      const retryable = !(failure instanceof ApplicationFailure && failure.nonRetryable);
      this.ctx.metricMeter
        .createCounter('shopkit_sync_activity_failures', '{failure}', 'Activity attempts that failed, by type')
        .add(1, { activity: this.ctx.info.activityType, failure_type: type, retryable: String(retryable) });
      this.ctx.log.warn('activity attempt failed', {
        failureType: type,
        retryable,
        attempt: this.ctx.info.attempt,
        error: failure instanceof Error ? failure.message : String(failure),
      });
      throw failure;
    }
  }
}
