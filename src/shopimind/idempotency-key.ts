import { createHash } from 'node:crypto';

/**
 * The `Idempotency-Key` of a write: sha256 of the route and the body exactly as sent. A replay of the same
 * chunk (after a timeout, a 5xx, or on another worker that mapped the same Shopkit data) carries the same
 * key, so the server may answer it without applying it twice. Bodies are built from items the resource
 * schemas have validated, and validation emits an object's fields in the schema's order, so equal content
 * serialises to equal text whatever order the fields were built in (sorting keys again cost 4× the write's
 * own serialisation).
 */
export function idempotencyKey(path: string, bodyJson: string): string {
  return createHash('sha256').update(path).update('\n').update(bodyJson).digest('hex');
}
