import { cleanText } from './text';

export interface PersonName {
  first_name: string;
  last_name: string;
}

/**
 * Splits Shopkit's single `name` (docs/mapping-decisions.md#names): first token, then the rest (`Maria da Silva Santos`
 * → `Maria` / `da Silva Santos`). Empty names and e-mail addresses give empty strings (D26).
 */
export function splitName(name: string | null | undefined): PersonName {
  const text = cleanText(name);
  if (text === '' || text.includes('@')) return { first_name: '', last_name: '' };
  const space = text.indexOf(' ');
  if (space < 0) return { first_name: text, last_name: '' };
  return { first_name: text.slice(0, space), last_name: text.slice(space + 1) };
}

/**
 * The first candidate that yields a usable name (not empty, not an e-mail), as in the fallback chains of
 * docs/mapping-decisions.md#field-rules.
 */
export function firstUsableName(...candidates: (string | null | undefined)[]): string {
  for (const candidate of candidates) {
    const { first_name } = splitName(candidate);
    if (first_name !== '') return cleanText(candidate);
  }
  return '';
}
