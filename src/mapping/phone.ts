import { cleanText } from './text';

/**
 * Phone numbers (D37, docs/mapping-decisions.md#phone). E.164 would need libphonenumber, which the project does not
 * ship, so this is a conservative subset: international forms are kept, national numbers get the calling code of the
 * address country only where its numbering plan is known, otherwise the cleaned string is emitted unchanged.
 */
interface NumberingPlan {
  callingCode: string;
  /** Countries whose national format starts with a trunk `0` dropped in international form. */
  trunkZero: boolean;
  nationalLengths: readonly number[];
}

const PLANS: Record<string, NumberingPlan> = {
  PT: { callingCode: '351', trunkZero: false, nationalLengths: [9] },
  ES: { callingCode: '34', trunkZero: false, nationalLengths: [9] },
  FR: { callingCode: '33', trunkZero: true, nationalLengths: [9] },
  BE: { callingCode: '32', trunkZero: true, nationalLengths: [8, 9] },
  LU: { callingCode: '352', trunkZero: false, nationalLengths: [6, 8, 9] },
  NL: { callingCode: '31', trunkZero: true, nationalLengths: [9] },
  DE: { callingCode: '49', trunkZero: true, nationalLengths: [7, 8, 9, 10, 11] },
  IT: { callingCode: '39', trunkZero: false, nationalLengths: [9, 10] },
  GB: { callingCode: '44', trunkZero: true, nationalLengths: [10] },
  IE: { callingCode: '353', trunkZero: true, nationalLengths: [7, 8, 9] },
  CH: { callingCode: '41', trunkZero: true, nationalLengths: [9] },
  BR: { callingCode: '55', trunkZero: false, nationalLengths: [10, 11] },
  US: { callingCode: '1', trunkZero: false, nationalLengths: [10] },
  CA: { callingCode: '1', trunkZero: false, nationalLengths: [10] },
};

/** Cleaned phone or E.164 when derivable; `null` when empty. `country` is an ISO alpha-2 code. */
export function normalisePhone(raw: string | number | null | undefined, country: string | null): string | null {
  const text = cleanText(raw);
  const plus = text.startsWith('+');
  const digits = text.replace(/[\s.\-()/]/g, '').replace(/^\+/, '');
  if (digits === '') return null;
  if (!/^\d+$/.test(digits)) return (plus ? '+' : '') + digits;
  if (plus) return `+${digits}`;
  if (digits.startsWith('00') && isE164Length(digits.length - 2)) return `+${digits.slice(2)}`;
  const plan = country ? PLANS[country.toUpperCase()] : undefined;
  if (!plan) return digits;
  const national = plan.trunkZero && digits.startsWith('0') ? digits.slice(1) : digits;
  if (plan.nationalLengths.includes(national.length)) return `+${plan.callingCode}${national}`;
  if (
    national.startsWith(plan.callingCode) &&
    plan.nationalLengths.includes(national.length - plan.callingCode.length)
  ) {
    return `+${national}`;
  }
  return digits;
}

function isE164Length(length: number): boolean {
  return length >= 7 && length <= 15;
}
