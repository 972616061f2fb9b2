/** Text normalisation (docs/mapping-decisions.md#text): trimming, entity decoding, address line breaks. */

type TextInput = string | number | null | undefined;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  cent: '¢',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  ordf: 'ª',
  ordm: 'º',
  times: '×',
  divide: '÷',
  iexcl: '¡',
  iquest: '¿',
  szlig: 'ß',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  atilde: 'ã',
  auml: 'ä',
  ccedil: 'ç',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  iacute: 'í',
  igrave: 'ì',
  icirc: 'î',
  iuml: 'ï',
  ntilde: 'ñ',
  oacute: 'ó',
  ograve: 'ò',
  ocirc: 'ô',
  otilde: 'õ',
  ouml: 'ö',
  uacute: 'ú',
  ugrave: 'ù',
  ucirc: 'û',
  uuml: 'ü',
  Aacute: 'Á',
  Agrave: 'À',
  Acirc: 'Â',
  Atilde: 'Ã',
  Auml: 'Ä',
  Ccedil: 'Ç',
  Eacute: 'É',
  Egrave: 'È',
  Ecirc: 'Ê',
  Iacute: 'Í',
  Ntilde: 'Ñ',
  Oacute: 'Ó',
  Ocirc: 'Ô',
  Otilde: 'Õ',
  Ouml: 'Ö',
  Uacute: 'Ú',
  Uuml: 'Ü',
};

/** Decodes numeric (`&#8230;`, `&#x2026;`) and common named entities; unknown entities are left as written. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Trimmed, whitespace-collapsed, NFC text; `""` for null or missing. Numbers become their decimal string. */
export function cleanText(value: TextInput): string {
  if (value === null || value === undefined) return '';
  return String(value).normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Like {@link cleanText}, but `null` when empty (optional ShopiMind fields). */
export function optionalText(value: TextInput): string | null {
  const text = cleanText(value);
  return text === '' ? null : text;
}

/** Names and titles: entities decoded, then cleaned (D39). */
export function displayText(value: TextInput): string {
  return cleanText(typeof value === 'string' ? decodeEntities(value) : value);
}

/** Short descriptions: tags removed, entities decoded, cleaned; `null` when empty (D39). */
export function plainText(value: TextInput): string | null {
  if (typeof value !== 'string') return optionalText(value);
  return optionalText(decodeEntities(value.replace(/<[^>]*>/g, ' ')));
}

/** Splits on real line breaks and on the literal two-character `\n` Shopkit stores in addresses. */
const ADDRESS_BREAK = /\\r\\n|\\n|\\r|\r\n|\n|\r/;

/** Address lines: every break becomes `", "`, empty segments are dropped (docs/mapping-decisions.md#text). */
export function addressLine(value: TextInput): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .split(ADDRESS_BREAK)
    .map(cleanText)
    .filter((part) => part !== '')
    .join(', ');
}
