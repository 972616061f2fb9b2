import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal content always serialises to the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * The `Idempotency-Key` of a write: sha256 of the route and the canonical body. A replay of the same chunk
 * (after a timeout or a 5xx) carries the same key, so the server may answer it without applying it twice.
 */
export function idempotencyKey(path: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([path, body]))
    .digest('hex');
}
