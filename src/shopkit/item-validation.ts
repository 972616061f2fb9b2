import type { z } from 'zod';
import { isRecord } from './wire-primitives';

/** An item of a list response that failed its schema: identified by source id, never dropped silently. */
export interface InvalidShopkitItem {
  /** Position in the response, for items without a usable id. */
  index: number;
  /** The item's Shopkit id (or hash/code/alias when it has no id), as a string; `null` if none. */
  sourceId: string | null;
  /** Zod issues as `path: message`. */
  reasons: string[];
}

export interface ValidatedItems<T> {
  items: T[];
  invalid: InvalidShopkitItem[];
}

/** Validates each item on its own, so one malformed item does not cost the rest of the page. */
export function validateItems<S extends z.ZodType>(schema: S, raw: readonly unknown[]): ValidatedItems<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidShopkitItem[] = [];
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
    else invalid.push({ index, sourceId: sourceIdOf(item), reasons: formatIssues(parsed.error) });
  });
  return { items, invalid };
}

/** `products[3].price: expected number` style lines; values are never echoed beyond zod's message. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

// E-mail is deliberately not an identifier here: invalid-item reports travel into workflow history.
function sourceIdOf(item: unknown): string | null {
  if (!isRecord(item)) return null;
  for (const key of ['id', 'hash', 'code', 'alias']) {
    const value = item[key];
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) return String(value);
  }
  return null;
}
