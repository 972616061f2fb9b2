/**
 * Shopkit timestamps → ShopiMind UTC ISO strings with milliseconds (docs/mapping-decisions.md#timestamps). Shopkit
 * mixes ISO with offsets (sometimes truncated, `+00:0`), Unix seconds as numbers or strings, naive local times and
 * date-only values.
 */

type TimestampInput = string | number | null | undefined;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{0,2})?)?$/i;
const NUMERIC_PATTERN = /^\d+(?:\.\d+)?$/;
/** Epoch values above this are already milliseconds (10^11 s is the year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Parses any Shopkit timestamp shape to `YYYY-MM-DDTHH:mm:ss.sssZ`; `null` for empty or unparseable input.
 * Values without an offset (naive or date-only) are read as wall time in `timeZone`.
 */
export function toUtcIso(value: TimestampInput, timeZone: string): string | null {
  const ms = toEpochMs(value, timeZone);
  return ms === null ? null : new Date(ms).toISOString();
}

/** Start (00:00:00.000) or end (23:59:59.999) of a `YYYY-MM-DD` day in `timeZone`, as UTC ISO (D7). */
export function dayBoundaryUtcIso(value: TimestampInput, boundary: 'start' | 'end', timeZone: string): string | null {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim()) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isValidDate(year, month, day)) return null;
  const startMs = zonedWallTimeToEpochMs(year, month, day, 0, 0, 0, 0, timeZone);
  if (boundary === 'start') return new Date(startMs).toISOString();
  const nextDayMs = zonedWallTimeToEpochMs(year, month, day + 1, 0, 0, 0, 0, timeZone);
  return new Date(nextDayMs - 1).toISOString();
}

/** A valid calendar date `YYYY-MM-DD` as is, otherwise `null` (for `birth_date`). */
export function toCalendarDate(value: TimestampInput): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  return isValidDate(Number(match[1]), Number(match[2]), Number(match[3])) ? match[0] : null;
}

/** The latest of the given ISO timestamps, ignoring nulls; `null` when none is given. */
export function latestIso(...values: (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  for (const value of values) {
    if (value && (latest === null || Date.parse(value) > Date.parse(latest))) latest = value;
  }
  return latest;
}

function toEpochMs(value: TimestampInput, timeZone: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return epochToMs(value);
  const text = value.trim();
  if (text === '') return null;
  if (NUMERIC_PATTERN.test(text)) return epochToMs(Number(text));
  const match = ISO_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = match[8];
  if (zone === undefined) return zonedWallTimeToEpochMs(year, month, day, hour, minute, second, millis, timeZone);
  const offsetMinutes = parseOffsetMinutes(zone);
  if (offsetMinutes === null) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function epochToMs(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const ms = value > MILLISECONDS_THRESHOLD ? value : value * 1000;
  return Number.isFinite(new Date(ms).getTime()) ? Math.round(ms) : null;
}

/** `Z`, `+01:00`, `+0100`, `+01` and the truncated `+00:0` (minutes padded to two digits). */
function parseOffsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{1,2}):?(\d{0,2})$/.exec(zone);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number((match[3] ?? '').padEnd(2, '0'));
  if (hours > 14 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function isValidDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at the instant `epochMs`, in milliseconds. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(epochMs))) parts[part.type] = Number(part.value);
  const wallAsUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wallAsUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** Wall-clock time in `timeZone` → epoch ms; re-checks the offset once so DST transitions resolve. */
function zonedWallTimeToEpochMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  timeZone: string,
): number {
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const firstGuess = wallAsUtc - zoneOffsetMs(wallAsUtc, timeZone);
  return wallAsUtc - zoneOffsetMs(firstGuess, timeZone);
}
