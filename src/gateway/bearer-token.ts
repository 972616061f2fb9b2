import { tokenMatches } from './shopimind-signature';

/** Whether an `Authorization: Bearer <token>` header carries the expected token (constant time). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return tokenMatches(token, expected);
}
