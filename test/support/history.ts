import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

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
