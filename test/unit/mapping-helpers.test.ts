import { z } from 'zod';
import { countryOf, alpha2FromAlpha3 } from '../../src/mapping/country';
import { customerIdOf, normaliseEmail } from '../../src/mapping/customer-identity';
import { langFromLocale } from '../../src/mapping/language';
import { mapEach, reject } from '../../src/mapping/mapping-result';
import { formatMoney, roundMoney } from '../../src/mapping/money';
import { firstUsableName, splitName } from '../../src/mapping/person-name';
import { normalisePhone } from '../../src/mapping/phone';
import { addressLine, cleanText, decodeEntities, displayText, optionalText, plainText } from '../../src/mapping/text';
import { dayBoundaryUtcIso, latestIso, toCalendarDate, toUtcIso } from '../../src/mapping/timestamps';

const LISBON = 'Europe/Lisbon';

describe('timestamps', () => {
  it.each([
    ['2017-05-17T10:45:05+01:00', '2017-05-17T09:45:05.000Z'],
    ['2020-11-27T14:07:10+00:0', '2020-11-27T14:07:10.000Z'],
    ['2020-11-27T14:07:10+0530', '2020-11-27T08:37:10.000Z'],
    ['2020-11-27T14:07:10-03', '2020-11-27T17:07:10.000Z'],
    ['2020-11-27T14:07:10.5Z', '2020-11-27T14:07:10.500Z'],
  ])('converts ISO %s with its offset to UTC', (input, expected) => {
    expect(toUtcIso(input, LISBON)).toBe(expected);
  });

  it('reads Unix seconds as numbers or numeric strings, and large values as milliseconds', () => {
    expect(toUtcIso(1416357859, LISBON)).toBe('2014-11-19T00:44:19.000Z');
    expect(toUtcIso('1416357859', LISBON)).toBe('2014-11-19T00:44:19.000Z');
    expect(toUtcIso(1416357859123, LISBON)).toBe('2014-11-19T00:44:19.123Z');
  });

  it('reads naive and date-only values as wall time in the store timezone', () => {
    expect(toUtcIso('2021-05-07 01:05:51', LISBON)).toBe('2021-05-07T00:05:51.000Z');
    expect(toUtcIso('2021-01-07 01:05:51', LISBON)).toBe('2021-01-07T01:05:51.000Z');
    expect(toUtcIso('2021-05-07', LISBON)).toBe('2021-05-06T23:00:00.000Z');
  });

  it('gives null for empty, null and unparseable values', () => {
    for (const value of ['', '   ', null, undefined, 'soon', '2021-02-30T10:00:00Z', -5, Number.NaN]) {
      expect(toUtcIso(value, LISBON)).toBeNull();
    }
  });

  it('computes day boundaries in the timezone, across DST', () => {
    expect(dayBoundaryUtcIso('2024-07-01', 'start', LISBON)).toBe('2024-06-30T23:00:00.000Z');
    expect(dayBoundaryUtcIso('2024-07-01', 'end', LISBON)).toBe('2024-07-01T22:59:59.999Z');
    expect(dayBoundaryUtcIso('2024-01-15', 'start', LISBON)).toBe('2024-01-15T00:00:00.000Z');
    expect(dayBoundaryUtcIso('2024-03-31', 'end', LISBON)).toBe('2024-03-31T22:59:59.999Z');
    expect(dayBoundaryUtcIso('2024-03-31', 'start', LISBON)).toBe('2024-03-31T00:00:00.000Z');
    expect(dayBoundaryUtcIso('2024-12-31', 'end', 'UTC')).toBe('2024-12-31T23:59:59.999Z');
    expect(dayBoundaryUtcIso(null, 'start', LISBON)).toBeNull();
    expect(dayBoundaryUtcIso('2024-02-30', 'start', LISBON)).toBeNull();
  });

  it('keeps only valid calendar dates for birthdays', () => {
    expect(toCalendarDate(' 1990-02-28 ')).toBe('1990-02-28');
    expect(toCalendarDate('1990-02-30')).toBeNull();
    expect(toCalendarDate('0000-00-00')).toBeNull();
    expect(toCalendarDate('28/02/1990')).toBeNull();
    expect(toCalendarDate(null)).toBeNull();
  });

  it('picks the latest timestamp', () => {
    expect(latestIso(null, '2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z', undefined)).toBe(
      '2021-01-01T00:00:00.000Z',
    );
    expect(latestIso(null, undefined)).toBeNull();
  });
});

describe('money', () => {
  it('rounds half away from zero once, without binary noise', () => {
    expect(roundMoney(1.005)).toBe(1.01);
    expect(roundMoney(2.675)).toBe(2.68);
    expect(roundMoney(-1.005)).toBe(-1.01);
    expect(roundMoney(85.59324)).toBe(85.59);
    expect(roundMoney(7.731999999999999)).toBe(7.73);
    expect(roundMoney(-0.001)).toBe(0);
    expect(Object.is(roundMoney(-0.001), -0)).toBe(false);
  });

  it('formats two-decimal strings', () => {
    expect(formatMoney(14.864)).toBe('14.86');
    expect(formatMoney(5)).toBe('5.00');
  });
});

describe('text', () => {
  it('decodes numeric and named entities, leaving unknown ones', () => {
    expect(decodeEntities('shelves that you&#8230;')).toBe('shelves that you…');
    expect(decodeEntities('a&#x2026;&nbsp;b &amp; &Ccedil;&atilde;o &bogus;')).toBe('a… b & Ção &bogus;');
    expect(decodeEntities('&#0; &#99999999;')).toBe('&#0; &#99999999;');
  });

  it('trims and collapses whitespace; empty optional text is null', () => {
    expect(cleanText('  a \t b\n c ')).toBe('a b c');
    expect(cleanText(null)).toBe('');
    expect(cleanText(12)).toBe('12');
    expect(optionalText('   ')).toBeNull();
    expect(optionalText(' x ')).toBe('x');
  });

  it('decodes names and strips tags from short descriptions', () => {
    expect(displayText('Caf&eacute;&nbsp; Bar ')).toBe('Café Bar');
    expect(plainText('<p>Hand made&#8230;</p>')).toBe('Hand made…');
    expect(plainText('<p> </p>')).toBeNull();
    expect(plainText(null)).toBeNull();
  });

  it('turns real and literal line breaks of addresses into ", "', () => {
    expect(addressLine('Centro de Empresas Inovadoras\\nAvª do Empresário')).toBe(
      'Centro de Empresas Inovadoras, Avª do Empresário',
    );
    expect(addressLine('Rua A\r\n\nLote 2\n')).toBe('Rua A, Lote 2');
    expect(addressLine(null)).toBe('');
  });
});

describe('language', () => {
  it.each([
    ['pt_PT', 'pt'],
    ['en-GB', 'en'],
    ['FR', 'fr'],
    ['0', 'pt'],
    ['portuguese', 'pt'],
    [null, 'pt'],
  ])('maps locale %p to %p', (locale, lang) => {
    expect(langFromLocale(locale, 'pt')).toBe(lang);
  });
});

describe('country', () => {
  it('prefers alpha-2, converts alpha-3, falls back to the display name', () => {
    expect(countryOf({ country_code_alpha_2: 'pt', country_code: 'ESP' })).toBe('PT');
    expect(countryOf({ country_code: 'PRT', country: 'Portugal - Continental' })).toBe('PT');
    expect(countryOf({ country_code: 'ZZZ', country: ' Atlantis ' })).toBe('Atlantis');
    expect(countryOf({ country_code_alpha_2: 'XX', country_code: 'gbr' })).toBe('GB');
    expect(countryOf({})).toBe('');
    expect(alpha2FromAlpha3('USA')).toBe('US');
    expect(alpha2FromAlpha3(undefined)).toBeNull();
  });
});

describe('phone', () => {
  it.each([
    ['969057993', 'PT', '+351969057993'],
    ['+351 969 057 993', 'PT', '+351969057993'],
    ['00351969057993', null, '+351969057993'],
    ['351969057993', 'PT', '+351969057993'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['(555) 123-4567', 'US', '+15551234567'],
    ['12345', 'PT', '12345'],
    ['969.057.993', 'XX', '969057993'],
    ['ext 12', 'PT', 'ext12'],
    ['  ', 'PT', null],
    [null, 'PT', null],
  ])('normalises %p (%p) to %p', (raw, country, expected) => {
    expect(normalisePhone(raw, country)).toBe(expected);
  });
});

describe('person names', () => {
  it('splits the first token from the rest', () => {
    expect(splitName('  Maria   da Silva Santos ')).toEqual({ first_name: 'Maria', last_name: 'da Silva Santos' });
    expect(splitName('Shopkit')).toEqual({ first_name: 'Shopkit', last_name: '' });
    expect(splitName('info@shopk.it')).toEqual({ first_name: '', last_name: '' });
    expect(splitName(null)).toEqual({ first_name: '', last_name: '' });
  });

  it('takes the first usable candidate of a fallback chain', () => {
    expect(firstUsableName('', 'a@b.c', ' Ana  Reis ')).toBe('Ana Reis');
    expect(firstUsableName(null, undefined)).toBe('');
  });
});

describe('customer identity', () => {
  it('hashes the normalised e-mail like Shopkit (Appendix A)', () => {
    expect(customerIdOf(normaliseEmail(' Support@Shopk.it ') ?? '')).toBe('cfc1c614870f7033bb0a033b6e7cd18e');
    expect(customerIdOf(normaliseEmail('info@shopk.it') ?? '')).toBe('858b9f6902f34443ef5d19ebb77baed5');
  });

  it('refuses e-mails without @', () => {
    expect(normaliseEmail('')).toBeNull();
    expect(normaliseEmail('nobody')).toBeNull();
    expect(normaliseEmail(undefined)).toBeNull();
  });
});

describe('mapEach', () => {
  const schema = z.object({ n: z.number().max(10) });

  it('keeps valid items and turns documented rejections, errors and schema failures into rejections', () => {
    const result = mapEach([1, 2, 3, 50], {
      schema,
      sourceId: (n) => `n${n}`,
      map: (n) => {
        if (n === 2) reject('two is refused');
        if (n === 3) throw new TypeError('boom');
        return { n };
      },
    });
    expect(result).toEqual({
      items: [{ n: 1 }],
      rejected: [
        { sourceId: 'n2', reasons: ['two is refused'] },
        { sourceId: 'n3', reasons: ['unexpected mapping error: boom'] },
        { sourceId: 'n50', reasons: ['n: Too big: expected number to be <=10'] },
      ],
    });
  });

  it('names each produced item, and survives identifiers that throw', () => {
    const result = mapEach([1], {
      schema,
      sourceId: () => {
        throw new Error('no id');
      },
      itemId: (item) => {
        if (item.n === 20) throw new Error('no item id');
        return `item ${item.n}`;
      },
      map: () => [{ n: 5 }, { n: 11 }, { n: 20 }],
    });
    expect(result.items).toEqual([{ n: 5 }]);
    expect(result.rejected.map((r) => r.sourceId)).toEqual(['item 11', '(unidentified)']);
  });
});
