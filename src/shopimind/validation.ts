import type { z } from 'zod';

/** Why one item is refused: the field path (`customer.email`, `products.0.price`; empty for the whole item). */
export interface Reason {
  path: string;
  message: string;
}

export type Validation<T> = { success: true; data: T } | { success: false; reasons: Reason[] };

/**
 * Parses `input` with `schema`, turning zod issues into reasons that name the field. Used by the client before
 * sending and by the simulator on receipt, so both refuse an item with the same words.
 */
export function validate<T>(schema: z.ZodType<T>, input: unknown): Validation<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    reasons: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: missingRequired(issue, input) ? 'is required' : issue.message,
    })),
  };
}

/** zod reports an absent field as a type or enum mismatch against `undefined`; say it plainly. */
function missingRequired(issue: z.core.$ZodIssue, input: unknown): boolean {
  return (issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(input, issue.path) === undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
