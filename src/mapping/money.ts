/**
 * Money (docs/mapping-decisions.md#money): the input schemas already coerce numeric strings; Shopkit's long-tailed
 * floats are kept for computing and rounded once, at the end (D44).
 */

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
