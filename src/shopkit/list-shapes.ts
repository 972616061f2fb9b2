import { isRecord } from './wire-primitives';

/**
 * Shopkit list responses come in three shapes (docs/shopkit-api-notes.md#paging): a bare array (current examples), an
 * object with items under `"0"`, `"1"`, … plus `paging` (early examples), or a single object when
 * exactly one item matched. All three become an array; an empty body (204) is no items.
 */
export function toItemList(body: unknown): unknown[] {
  if (body === undefined || body === null || body === '') return [];
  if (Array.isArray(body)) return body;
  if (!isRecord(body)) return [body];
  const numericKeys = Object.keys(body).filter((key) => /^\d+$/.test(key));
  if (numericKeys.length > 0 || 'paging' in body) {
    return numericKeys.sort((a, b) => Number(a) - Number(b)).map((key) => body[key]);
  }
  return [body];
}
