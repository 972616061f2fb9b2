/** Shopkit money arrives as long-tailed floats or numeric strings (spec §0.3); ShopiMind wants 2 decimals. */

type NumericInput = number | string | null | undefined;

/** A finite number from a number or numeric string; `null` for `""`, `null`, missing or garbage. */
export function toNumberOrNull(value: NumericInput): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Additive amounts: empty or missing counts as `0`. */
export function toAmount(value: NumericInput): number {
  return toNumberOrNull(value) ?? 0;
}

/**
 * Rounds half away from zero to 2 decimals (D44). `toPrecision(15)` first removes binary noise so that
 * `1.005` (stored as 1.00499999…) rounds up like a decimal would.
 */
export function roundMoney(value: number): number {
  const cents = Math.round(Number((Math.abs(value) * 100).toPrecision(15)));
  const rounded = (Math.sign(value) * cents) / 100;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** `voucher_value` is a string in ShopiMind: exactly two decimals, dot separator (D16). */
export function formatMoney(value: number): string {
  return roundMoney(value).toFixed(2);
}
