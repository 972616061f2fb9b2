import {
  addressIdOf,
  customerLookupOf,
  CustomerProfileRecordSchema,
  CUSTOMER_PROFILE_DEFINITION,
  deletedCustomerIds,
  mapClientAddresses,
  mapCustomerProfiles,
  mapCustomers,
  mapNewsletterEvents,
  mapNewsletterSubscribers,
  mapOrderAddresses,
  mapOrderCustomers,
  supersededAddresses,
} from '../../src/mapping';
import { ShopimindCustomDataDefinitionSchema } from '../../src/shopimind/schemas';
import { ShopkitOrderSchema as OrderSchema } from '../../src/shopkit/schemas';
import {
  client731046,
  rawClient731046,
  ctx,
  legacyOrder1337,
  order1337,
  rawOrder1337,
  webhookClient,
} from './mapping-fixtures';

const INFO_ID = '858b9f6902f34443ef5d19ebb77baed5';
const SUPPORT_ID = 'cfc1c614870f7033bb0a033b6e7cd18e';

describe('customers', () => {
  it('maps an API client: MD5 id, Unix dates, locale "0", consent, retail group', () => {
    const { items, rejected } = mapCustomers([client731046()], ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        customer_id: INFO_ID,
        email: 'info@shopk.it',
        phone_number: '+351969057993',
        first_name: 'Shopkit',
        last_name: '',
        birth_date: '1990-02-28',
        is_opt_in: true,
        is_newsletter_subscribed: true,
        lang: 'pt',
        group_ids: ['retail'],
        is_active: true,
        created_at: '2014-11-19T00:44:19.000Z',
        updated_at: '2017-11-06T17:40:00.000Z',
        id_data_source: 42,
      },
    ]);
  });

  it('maps a webhook client without id or hash: normalised e-mail, name split, locale, pending wholesale', () => {
    const observedAt = '2025-05-01T12:00:00.000Z';
    const [customer] = mapCustomers([webhookClient()], { ...ctx, defaultLang: 'en', observedAt }).items;
    expect(customer).toEqual(
      expect.objectContaining({
        email: 'maria.santos@example.pt',
        first_name: 'Maria',
        last_name: 'da Silva Santos',
        phone_number: '+351912345678',
        lang: 'pt',
        is_opt_in: true,
        group_ids: ['wholesale_pending'],
        created_at: '2014-11-19T00:44:19.000Z',
        updated_at: observedAt,
      }),
    );
    expect(customer?.customer_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('covers consent, wholesale, bans, names that are e-mails and bad birthdays', () => {
    const [customer] = mapCustomers(
      [
        client731046({
          accepts_marketing: '0',
          wholesale: true,
          is_banned: true,
          name: 'info@shopk.it',
          birthday: '',
          delivery: null,
          billing: null,
        }),
      ],
      ctx,
    ).items;
    expect(customer).toEqual(
      expect.objectContaining({
        is_opt_in: false,
        is_newsletter_subscribed: false,
        group_ids: ['wholesale'],
        is_active: false,
        first_name: '',
        last_name: '',
        birth_date: null,
        phone_number: null,
      }),
    );
  });

  it('skips deleted clients (they are deleted, D31) and lists their ids', () => {
    const deleted = client731046({ is_deleted: true });
    expect(mapCustomers([deleted], ctx)).toEqual({ items: [], rejected: [] });
    expect(deletedCustomerIds([deleted, webhookClient()])).toEqual([INFO_ID]);
  });

  it('rejects clients without a valid e-mail or any date, never naming them by e-mail', () => {
    const { items, rejected } = mapCustomers(
      [
        client731046({ email: '  ' }),
        webhookClient({ created_at: null, last_seen_at: '' }),
        client731046({ email: 'not-an-email@' }),
      ],
      ctx,
    );
    expect(items).toEqual([]);
    expect(rejected).toEqual([
      { sourceId: 'client 731046', reasons: ['client e-mail is missing or invalid'] },
      { sourceId: expect.stringMatching(/^customer [0-9a-f]{32}$/), reasons: ['client has no created_at'] },
      { sourceId: 'client 731046', reasons: ['email: must be an email address'] },
    ]);
  });
});

describe('customers synthesised from orders (D28)', () => {
  it('creates one row per unknown buyer without consent, at its earliest order', () => {
    const later = OrderSchema.parse({
      ...rawOrder1337(),
      id: 2000,
      created_at: '2018-01-01T00:00:00+00:00',
      update_at: '2018-02-01T00:00:00+00:00',
      wholesale: true,
    });
    const { items, rejected } = mapOrderCustomers([later, order1337()], ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        customer_id: SUPPORT_ID,
        email: 'support@shopk.it',
        phone_number: '+351969057993',
        first_name: 'Shopkit',
        last_name: '',
        birth_date: null,
        is_opt_in: false,
        is_newsletter_subscribed: false,
        lang: 'pt',
        group_ids: ['wholesale'],
        is_active: true,
        created_at: '2017-05-17T09:45:05.000Z',
        updated_at: '2018-02-01T00:00:00.000Z',
        id_data_source: 42,
      },
    ]);
  });

  it('never overwrites a known customer and rejects orders without e-mail', () => {
    const customers = customerLookupOf([
      { customer_id: SUPPORT_ID, created_at: '2010-01-01T00:00:00.000Z', lang: 'en' },
    ]);
    const noEmail = OrderSchema.parse({ ...rawOrder1337(), client: { ...rawOrder1337().client, email: '' } });
    expect(mapOrderCustomers([order1337(), noEmail], { ...ctx, customers })).toEqual({
      items: [],
      rejected: [{ sourceId: '1337', reasons: ['order client e-mail is missing or invalid'] }],
    });
  });
});

describe('customer addresses', () => {
  it('gives order 1337 delivery address id 228481578 and one row for same-as-delivery billing (Appendix A)', () => {
    const { items, rejected } = mapOrderAddresses([order1337()], ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        customer_id: SUPPORT_ID,
        address_id: 228481578,
        first_name: 'Shopkit',
        last_name: '',
        primary_phone: '+351969057993',
        secondary_phone: null,
        company: 'Shopkit',
        address_line_1: 'Avenida do Empresário, 1',
        address_line_2: 'Centro de Empresas Inovadoras',
        postal_code: '6000-767',
        city: 'Castelo Branco',
        country: 'PT',
        is_active: true,
        id_data_source: 42,
      },
    ]);
  });

  it('collapses delivery and billing differing only by a trailing zip space (Appendix A)', () => {
    const client = client731046();
    expect(client.delivery && addressIdOf(INFO_ID, client.delivery)).toBe(
      client.billing && addressIdOf(INFO_ID, client.billing),
    );
    const { items } = mapClientAddresses([client], ctx);
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual(
      expect.objectContaining({
        customer_id: INFO_ID,
        address_line_1: 'Avenida do Empresário, 1, Centro de Empresas Inovadoras',
        address_line_2: '1',
        postal_code: '6000-767',
        company: 'Shopkit Lda',
        country: 'PT',
      }),
    );
  });

  it('reads legacy blocks: literal \\n, alpha-3 only, no client hash; dedupes repeated orders', () => {
    const { items } = mapOrderAddresses([legacyOrder1337(), legacyOrder1337()], ctx);
    expect(items).toEqual([
      expect.objectContaining({
        customer_id: INFO_ID,
        address_line_1: 'Centro de Empresas Inovadoras, Avª do Empresário',
        address_line_2: '1, S1.08',
        country: 'PT',
      }),
    ]);
  });

  it('emits distinct billing blocks, skips empty ones, falls back to the owner name and the display country', () => {
    const order = OrderSchema.parse({
      ...rawOrder1337(),
      billing_info_same_delivery: '0',
      client: {
        ...rawOrder1337().client,
        name: 'Rui Costa',
        delivery: { ...rawOrder1337().client.delivery, name: '', address: '  ' },
        billing: {
          name: '',
          phone: '',
          address: 'Rua Nova 5',
          address_extra: '',
          country: 'Atlantis',
          country_code: 'ATL',
          zip_code: '',
          city: '',
          same_as_delivery: false,
        },
      },
    });
    const { items } = mapOrderAddresses([order], ctx);
    expect(items).toEqual([
      expect.objectContaining({
        first_name: 'Rui',
        last_name: 'Costa',
        address_line_1: 'Rua Nova 5',
        address_line_2: null,
        primary_phone: null,
        postal_code: '',
        country: 'Atlantis',
      }),
    ]);
  });

  it('rejects an address without country and an owner without e-mail', () => {
    const noCountry = client731046({
      billing: null,
      delivery: { ...client731046().delivery, country: '', country_code: '', country_code_alpha_2: null },
    });
    const { rejected } = mapClientAddresses([noCountry, client731046({ id: 9, email: '' })], ctx);
    expect(rejected).toEqual([
      {
        sourceId: expect.stringMatching(new RegExp(`^customer ${INFO_ID} address \\d+$`)),
        reasons: ['country: must not be empty'],
      },
      { sourceId: 'client 9', reasons: ['e-mail of the address owner is missing or invalid'] },
    ]);
  });

  it('re-sends superseded client addresses inactive (D4)', () => {
    const before = mapClientAddresses([client731046()], ctx).items;
    const moved = client731046({ delivery: { ...rawClient731046().delivery, city: 'Lisboa' }, billing: null });
    const after = mapClientAddresses([moved], ctx).items;
    expect(after.map((a) => a.city)).toEqual(['Lisboa']);
    expect(supersededAddresses(before, after)).toEqual([{ ...before[0], is_active: false }]);
    expect(supersededAddresses(before, before)).toEqual([]);
  });
});

describe('newsletter subscribers', () => {
  it('lists consenting, non-deleted clients on the initial import', () => {
    const { items, rejected } = mapNewsletterSubscribers(
      [client731046(), client731046({ accepts_marketing: false }), client731046({ is_deleted: true })],
      ctx,
    );
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        email: 'info@shopk.it',
        is_subscribed: true,
        first_name: 'Shopkit',
        last_name: '',
        postal_code: '6000-767',
        lang: 'pt',
        updated_at: '2017-11-06T17:40:00.000Z',
      },
    ]);
  });

  it('maps subscribe/unsubscribe events with the looked-up client, or empty postal code without it', () => {
    const client = webhookClient({ locale: 'en_GB' });
    const lookup = (customerId: string) =>
      mapCustomers([client], ctx).items[0]?.customer_id === customerId ? client : undefined;
    const { items, rejected } = mapNewsletterEvents(
      [
        {
          event: {
            event: 'newsletter_subscribed',
            client: { name: '', email: 'MARIA.SANTOS@example.pt', hash: 'x'.repeat(40) },
          },
          observedAt: '2025-05-01T12:00:00Z',
        },
        {
          event: {
            event: 'newsletter_unsubscribed',
            client: { name: 'Ana Reis', email: 'ana@example.pt', hash: null },
          },
          observedAt: '2025-05-02T12:00:00+01:00',
        },
        {
          event: { event: 'newsletter_subscribed', client: { name: 'X', email: 'nope', hash: null } },
          observedAt: '2025-05-02T12:00:00Z',
        },
        {
          event: { event: 'newsletter_subscribed', client: { name: 'X', email: 'x@example.pt', hash: null } },
          observedAt: 'later',
        },
      ],
      { ...ctx, clients: lookup },
    );
    expect(items).toEqual([
      {
        email: 'maria.santos@example.pt',
        is_subscribed: true,
        first_name: 'Maria',
        last_name: 'da Silva Santos',
        postal_code: '6000-767',
        lang: 'en',
        updated_at: '2025-05-01T12:00:00.000Z',
      },
      {
        email: 'ana@example.pt',
        is_subscribed: false,
        first_name: 'Ana',
        last_name: 'Reis',
        postal_code: '',
        lang: 'pt',
        updated_at: '2025-05-02T11:00:00.000Z',
      },
    ]);
    expect(rejected).toEqual([
      { sourceId: 'newsletter_subscribed (no e-mail)', reasons: ['newsletter e-mail is missing or invalid'] },
      {
        sourceId: expect.stringMatching(/^newsletter_subscribed [0-9a-f]{32}$/),
        reasons: ['observedAt is not a timestamp'],
      },
    ]);
  });
});

describe('customer profile custom data', () => {
  it('declares a valid definition whose records upsert on customer_id and relate to contacts', () => {
    expect(ShopimindCustomDataDefinitionSchema.safeParse(CUSTOMER_PROFILE_DEFINITION).success).toBe(true);
    expect(CUSTOMER_PROFILE_DEFINITION.unique_keys).toEqual(['customer_id']);
  });

  it('maps an API client with its orders summary', () => {
    const { items, rejected } = mapCustomerProfiles([client731046()], ctx);
    expect(rejected).toEqual([]);
    expect(items).toEqual([
      {
        customer_id: INFO_ID,
        contact: { by: 'id_customer', value: INFO_ID },
        fiscal_id: '999999990',
        company: 'Shopkit Lda',
        wholesale_status: 'retail',
        tags: null,
        accepts_marketing: true,
        updated_at: '2017-11-06T17:40:00.000Z',
        orders_paid_count: 3,
        orders_paid_value: 310.46,
        orders_unpaid_count: 1,
        orders_unpaid_value: 20,
        orders_total_count: 4,
        orders_total_value: 330.46,
      },
    ]);
    expect(CustomerProfileRecordSchema.safeParse(items[0]).success).toBe(true);
  });

  it('maps a webhook client without orders summary: order fields omitted, tags joined', () => {
    const [record] = mapCustomerProfiles([webhookClient()], { ...ctx, observedAt: '2025-05-01T12:00:00.000Z' }).items;
    expect(record).toEqual({
      customer_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      contact: { by: 'id_customer', value: record?.customer_id },
      fiscal_id: 'PT999999990',
      company: null,
      wholesale_status: 'wholesale_pending',
      tags: 'vip, Lisboa',
      accepts_marketing: true,
      updated_at: '2025-05-01T12:00:00.000Z',
    });
  });

  it('skips deleted clients and rejects clients without e-mail or dates', () => {
    const { items, rejected } = mapCustomerProfiles(
      [
        client731046({ is_deleted: true }),
        client731046({ email: '' }),
        client731046({ created_at: null, last_seen_at: null }),
      ],
      ctx,
    );
    expect(items).toEqual([]);
    expect(rejected).toEqual([
      { sourceId: 'client 731046', reasons: ['client e-mail is missing or invalid'] },
      { sourceId: 'client 731046', reasons: ['client has neither created_at nor last_seen_at'] },
    ]);
  });
});
