import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  generatePayloadKey,
  KEY_ID_METADATA,
  payloadKeyId,
} from '../../src/temporal/payload-codec';

const OLD = generatePayloadKey();
const NEW = generatePayloadKey();
const customer = { email: 'ana.silva@example.pt', phone: '+351 912 345 678', name: 'Ana Silva' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('AesGcmPayloadCodec', () => {
  it('seals the whole payload, metadata included, and names the key by its id', async () => {
    const plain = defaultPayloadConverter.toPayload(customer);
    const [sealed] = (await new AesGcmPayloadCodec({ current: NEW }).encode([plain])) as [Payload];
    expect(text(sealed.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata?.[KEY_ID_METADATA])).toBe(payloadKeyId(NEW));
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
    const raw = Buffer.from(sealed.data ?? new Uint8Array()).toString('latin1');
    for (const value of [...Object.values(customer), 'json/plain']) expect(raw).not.toContain(value);
    expect(payloadKeyId(NEW)).toMatch(/^[0-9a-f]{16}$/);
    expect(raw).not.toContain(Buffer.from(NEW, 'hex').toString('latin1'));
  });

  it('decodes what it encoded, to the same value', async () => {
    const codec = new AesGcmPayloadCodec({ current: NEW });
    const [back] = (await codec.decode(await codec.encode([defaultPayloadConverter.toPayload(customer)]))) as [Payload];
    expect(defaultPayloadConverter.fromPayload(back)).toEqual(customer);
    expect(text(back.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV per payload, so equal values do not look equal', async () => {
    const codec = new AesGcmPayloadCodec({ current: NEW });
    const payload = defaultPayloadConverter.toPayload(customer);
    const [a, b] = (await codec.encode([payload, payload])) as [Payload, Payload];
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });

  it('after a rotation, decrypts with the previous key and encrypts with the new one only', async () => {
    const sealedOld = await new AesGcmPayloadCodec({ current: OLD }).encode([defaultPayloadConverter.toPayload(1)]);
    const rotated = new AesGcmPayloadCodec({ current: NEW, previous: OLD });
    const [old] = (await rotated.decode(sealedOld)) as [Payload];
    expect(defaultPayloadConverter.fromPayload(old)).toBe(1);
    const [fresh] = (await rotated.encode([defaultPayloadConverter.toPayload(2)])) as [Payload];
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe(payloadKeyId(NEW));
  });

  it('fails closed on an unknown key or a tampered payload, naming the key id and never a key', async () => {
    const [sealed] = (await new AesGcmPayloadCodec({ current: OLD }).encode([
      defaultPayloadConverter.toPayload(customer),
    ])) as [Payload];
    const withoutOld = new AesGcmPayloadCodec({ current: NEW });
    await expect(withoutOld.decode([sealed])).rejects.toThrow(
      `payload encrypted with key id ${payloadKeyId(OLD)}, which is neither TEMPORAL_PAYLOAD_KEY nor TEMPORAL_PAYLOAD_KEY_PREVIOUS`,
    );
    const tampered = Buffer.from(sealed.data ?? []);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(new AesGcmPayloadCodec({ current: OLD }).decode([{ ...sealed, data: tampered }])).rejects.toThrow(
      'Unsupported state or unable to authenticate data',
    );
  });

  it('passes plain payloads through, so workflows started before the codec keep running', async () => {
    const plain = defaultPayloadConverter.toPayload({ storeId: 'shop-1' });
    const [back] = (await new AesGcmPayloadCodec({ current: NEW }).decode([plain])) as [Payload];
    expect(back).toBe(plain);
  });
});
