/**
 * ISO 639-1 `lang` (docs/mapping-decisions.md#language): Shopkit has no store language, only per-client locales like
 * `pt_PT`.
 */

const LOCALE_PATTERN = /^([a-z]{2})(?:[_-][a-z]{2})?$/i;

/** `pt_PT`, `pt-PT`, `PT` → `pt`; anything else (`"0"`, `null`, `portuguese`) → `defaultLang` (D6). */
export function langFromLocale(locale: string | number | null | undefined, defaultLang: string): string {
  if (typeof locale !== 'string') return defaultLang;
  const match = LOCALE_PATTERN.exec(locale.trim());
  return match?.[1] ? match[1].toLowerCase() : defaultLang;
}
