/**
 * Tolerant zod building blocks for Shopkit's wire values (docs/shopkit-api-notes.md#wire-values,
 * docs/mapping-decisions.md#input-quirks). Each one accepts every variant the documentation shows and outputs one
 * predictable type.
 */
import { z } from 'zod';

/** Epoch values above this are milliseconds already (10^11 s is the year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}(?::?\d{1,2})?)?$/i;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumberIfNumeric(value: unknown): unknown {
  return typeof value === 'string' && NUMERIC.test(value.trim()) ? Number(value.trim()) : value;
}

function blankToNull(value: unknown): unknown {
  return value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value;
}

/** A JSON number or a numeric string (`"492"`), as a number. */
export const num = z.preprocess(toNumberIfNumeric, z.number());

/** Like {@link num}, but `null`, `""` and a missing key become `null` (`tax_percent: ""`). */
export const numOrNull = z.preprocess((v) => toNumberIfNumeric(blankToNull(v)), z.number().nullable());

/** An additive amount: `null`, `""` and missing count as 0. */
export const amount = z.preprocess((v) => toNumberIfNumeric(blankToNull(v) ?? 0), z.number());

/** An integer id sent as a number or a numeric string (`client.id: "731068"`). */
export const id = z.preprocess(toNumberIfNumeric, z.number().int().nonnegative());

/** An optional id: `null`, `""` and a missing key become `null`. */
export const idOrNull = z.preprocess(
  (v) => toNumberIfNumeric(blankToNull(v)),
  z.number().int().nonnegative().nullable(),
);

/** Required text; numbers are stringified (`address_extra: 1`). */
export const textRequired = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());

/** Text where absence means empty: `null` and a missing key become `""`. */
export const text = z.preprocess((v) => (typeof v === 'number' ? String(v) : (v ?? '')), z.string());

/** Optional text: a missing key becomes `null`; `""` is kept (the mapping decides what empty means). */
export const textOrNull = z.preprocess((v) => (typeof v === 'number' ? String(v) : (v ?? null)), z.string().nullable());

/** A boolean also sent as `"1"`/`"0"`, `1`/`0`, `"true"`/`"false"`; missing or `null` is false. */
export const flag = z.preprocess((v) => {
  if (v === undefined || v === null || v === '') return false;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return v;
}, z.boolean());

/**
 * A timestamp in any documented shape. Values that fix an instant (an ISO string with an offset,
 * including the truncated `+00:0`, or Unix seconds/milliseconds as number or string) are normalised
 * to `Date#toISOString()` UTC. Values without a zone (`Y-m-d H:i:s`, `YYYY-MM-DD`) are returned
 * unchanged: only the store's configured timezone can place them, and that is the mapping's input.
 * `null`, `""`, `0` and a missing key become `null`; anything else unparseable is a validation issue.
 */
export const timestampOrNull = z.preprocess(
  (value) => {
    const result = normaliseTimestamp(value);
    // Anything unparseable becomes a non-string, so the issue below names the field.
    return result === undefined ? { unparseable: value } : result;
  },
  z.string({ error: 'expected a timestamp: ISO 8601 with an offset, or Unix seconds' }).nullable(),
);

/** A timestamp that must be present (see {@link timestampOrNull} for the accepted shapes). */
export const timestamp = timestampOrNull.pipe(z.string({ error: 'timestamp is required' }));

/** A calendar date `YYYY-MM-DD` (coupon validity, birthday); a datetime is cut to its date part. */
export const dateOrNull = z.preprocess(
  (v) => {
    const value = blankToNull(v);
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
  },
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .nullable(),
);

/** `null`, a missing key or a lone object (numeric-keyed map) read as an array. */
export function list<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (v === undefined || v === null || v === '') return [];
    return isRecord(v) ? Object.values(v) : v;
  }, z.array(item));
}

function normaliseTimestamp(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return fromEpoch(Number(trimmed));
  const match = DATE_TIME.exec(trimmed);
  if (!match) return undefined;
  const [, date, time, zone] = match;
  if (zone === undefined) return Number.isNaN(Date.parse(`${date}T${time ?? '00:00'}Z`)) ? undefined : trimmed;
  const ms = Date.parse(`${date}T${time ?? '00:00:00'}${canonicalOffset(zone)}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const date = new Date(value > MILLISECONDS_THRESHOLD ? value : value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `+0100` → `+01:00`; the truncated `+00:0` → `+00:00`; `Z` stays. */
function canonicalOffset(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const sign = zone.charAt(0);
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2).padEnd(2, '0');
  return `${sign}${hours}:${minutes}`;
}
