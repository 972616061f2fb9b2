import { createHash } from 'node:crypto';
import { ShopimindCustomerAddressSchema, type ShopimindCustomerAddress } from '../shopimind/schemas';
import type { ShopkitAddress, ShopkitClient, ShopkitOrder } from '../shopkit/schemas';
import { countryOf } from './country';
import { clientSourceId, customerIdOf, normaliseEmail } from './customer-identity';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { firstUsableName, splitName } from './person-name';
import { normalisePhone } from './phone';
import { addressLine, cleanText, optionalText } from './text';

export type CustomerAddressContext = Pick<MappingConfig, 'dataSourceId'>;

/** The blocks one owner contributes, and the owner fields every address row repeats. */
interface AddressOwner {
  customerId: string;
  name: string;
  company: string | null;
  delivery: ShopkitAddress | null;
  billing: ShopkitAddress | null;
  billingSameAsDelivery: boolean;
}

/**
 * Addresses of client records (docs/mapping-decisions.md#addresses); deleted clients are skipped like their customer
 * rows.
 */
export function mapClientAddresses(
  clients: readonly ShopkitClient[],
  ctx: CustomerAddressContext,
): MappingResult<ShopimindCustomerAddress> {
  return mapAddresses(
    clients.filter((client) => !client.is_deleted),
    clientSourceId,
    (client) => ({
      customerId: customerIdOfEmail(client.email),
      name: client.name,
      company: optionalText(client.company),
      delivery: client.delivery,
      billing: client.billing,
      billingSameAsDelivery: client.billing?.same_as_delivery === true,
    }),
    ctx,
  );
}

/** Order-snapshot addresses (docs/mapping-decisions.md#addresses), pushed active and never deactivated (D4). */
export function mapOrderAddresses(
  orders: readonly ShopkitOrder[],
  ctx: CustomerAddressContext,
): MappingResult<ShopimindCustomerAddress> {
  return mapAddresses(orders, (order) => `order ${order.id}`, orderAddressOwner, ctx);
}

/**
 * `address_delivery_id` / `address_invoice_id` of an order (D3): the ids its snapshot addresses get, the
 * delivery id for a same-as-delivery billing block, `null` when a block is absent.
 */
export function orderAddressIds(order: ShopkitOrder): { delivery: string | null; invoice: string | null } {
  const owner = orderAddressOwner(order);
  const delivery = usableBlock(owner.delivery) ? String(addressIdOf(owner.customerId, owner.delivery)) : null;
  if (owner.billingSameAsDelivery) return { delivery, invoice: delivery };
  const invoice = usableBlock(owner.billing) ? String(addressIdOf(owner.customerId, owner.billing)) : null;
  return { delivery, invoice };
}

/**
 * Superseded client addresses (D4): rows pushed earlier for a customer that the current mapping no longer
 * produces, re-sent with `is_active: false` so old orders keep a valid reference.
 */
export function supersededAddresses(
  previous: readonly ShopimindCustomerAddress[],
  current: readonly ShopimindCustomerAddress[],
): ShopimindCustomerAddress[] {
  const currentKeys = new Set(current.map(addressKey));
  return previous.filter((address) => !currentKeys.has(addressKey(address))).map((a) => ({ ...a, is_active: false }));
}

/**
 * D3: first 4 bytes (big-endian) of SHA-256 over the owner and the canonical block fields, joined by U+001F,
 * masked to 31 bits (fits a signed 32-bit column), `0` → `1`. Pure, so retries and resyncs give the same id
 * and identical blocks collapse.
 */
export function addressIdOf(customerId: string, block: ShopkitAddress): number {
  const canonical = [
    customerId,
    canonicalField(block.name),
    canonicalField(block.address),
    canonicalField(block.address_extra),
    canonicalField(block.zip_code),
    canonicalField(block.city),
    cleanText(block.country_code).toUpperCase(),
  ].join('\u001f');
  const id = createHash('sha256').update(canonical, 'utf8').digest().readUInt32BE(0) & 0x7fffffff;
  return id === 0 ? 1 : id;
}

function mapAddresses<S>(
  sources: readonly S[],
  sourceId: (source: S) => string,
  ownerOf: (source: S) => AddressOwner,
  ctx: CustomerAddressContext,
): MappingResult<ShopimindCustomerAddress> {
  const result = mapEach(sources, {
    schema: ShopimindCustomerAddressSchema,
    sourceId,
    itemId: (address) => `customer ${address.customer_id} address ${address.address_id}`,
    map: (source) => {
      const owner = ownerOf(source);
      const rows: ShopimindCustomerAddress[] = [];
      for (const block of [owner.delivery, owner.billingSameAsDelivery ? null : owner.billing]) {
        if (!usableBlock(block)) continue;
        const row = addressRow(owner, block, ctx);
        if (!rows.some((existing) => existing.address_id === row.address_id)) rows.push(row);
      }
      return rows;
    },
  });
  return { items: uniqueAddresses(result.items), rejected: result.rejected };
}

function addressRow(owner: AddressOwner, block: ShopkitAddress, ctx: CustomerAddressContext): ShopimindCustomerAddress {
  const country = countryOf(block);
  return {
    customer_id: owner.customerId,
    address_id: addressIdOf(owner.customerId, block),
    ...splitName(firstUsableName(block.name, owner.name)),
    primary_phone: normalisePhone(block.phone, country || null),
    secondary_phone: null,
    company: owner.company,
    address_line_1: addressLine(block.address),
    address_line_2: optionalText(addressLine(block.address_extra)),
    postal_code: cleanText(block.zip_code),
    city: cleanText(block.city),
    country,
    is_active: true,
    id_data_source: ctx.dataSourceId,
  };
}

function orderAddressOwner(order: ShopkitOrder): AddressOwner {
  return {
    customerId: customerIdOfEmail(order.client.email),
    name: order.client.name,
    company: optionalText(order.client.company),
    delivery: order.client.delivery,
    billing: order.client.billing,
    billingSameAsDelivery: order.billing_info_same_delivery || order.client.billing?.same_as_delivery === true,
  };
}

/** A block whose `address` is empty is not an address (docs/mapping-decisions.md#addresses). */
function usableBlock(block: ShopkitAddress | null): block is ShopkitAddress {
  return block !== null && addressLine(block.address) !== '';
}

/** NFC, literal or real line breaks → space, whitespace collapsed, trimmed, lower-cased (D3). */
function canonicalField(value: string | null): string {
  return cleanText((value ?? '').replace(/\\r\\n|\\n|\\r/g, ' ')).toLowerCase();
}

function customerIdOfEmail(email: string): string {
  return customerIdOf(normaliseEmail(email) ?? reject('e-mail of the address owner is missing or invalid'));
}

function addressKey(address: Pick<ShopimindCustomerAddress, 'customer_id' | 'address_id'>): string {
  return `${address.customer_id}/${address.address_id}`;
}

/** The same address appears on many orders of one customer: send it once per batch. */
function uniqueAddresses(addresses: readonly ShopimindCustomerAddress[]): ShopimindCustomerAddress[] {
  const byKey = new Map<string, ShopimindCustomerAddress>();
  for (const address of addresses) if (!byKey.has(addressKey(address))) byKey.set(addressKey(address), address);
  return [...byKey.values()];
}
