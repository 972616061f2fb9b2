import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** What an activity's failure says, with its type, for status queries and logs (never a credential). */
export function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
