import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The directory of the histories scripts/record-histories.ts recorded. */
export const HISTORIES_DIR = resolve(__dirname, '..', 'histories');

/** A recorded history (a file of `HISTORIES_DIR`), as the SDK replays it. */
export function readRecordedHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(resolve(HISTORIES_DIR, file), 'utf8')) as Record<string, unknown>,
  );
}

/** Runs of this activity type recorded as local activities (the SDK core's marker names the type in plain JSON). */
export function localActivityRuns(events: HistoryEvent[], activityType: string): number {
  return events.filter((e) => {
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.details?.data?.payloads?.[0]?.data;
    if (marker?.markerName !== 'core_local_activity' || !data) return false;
    return (
      (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type === activityType
    );
  }).length;
}

/** Activity tasks of this type the workflow scheduled. */
export function scheduledActivities(events: HistoryEvent[], activityType: string): number {
  return events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).length;
}

/** Updates of this name the workflow accepted (the name is plain text; the arguments are sealed). */
export function acceptedUpdates(events: HistoryEvent[], updateName: string): number {
  return events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === updateName,
  ).length;
}
