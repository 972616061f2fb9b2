import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The `encoding` of a payload this codec encrypted; anything else is passed through untouched. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with (a digest of the key, never the key). */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Keys of the codec, as 64 hex characters each: `current` encrypts, `previous` still decrypts. */
export interface PayloadKeys {
  current: string;
  previous?: string;
}

/** A fresh random key (64 hex characters), for the sandbox, the demo, the tests and the benchmarks. */
export function generatePayloadKey(): string {
  return randomBytes(32).toString('hex');
}

/** The id written beside each encrypted payload: a digest of the key, so rotation can find the right one. */
export function payloadKeyId(hexKey: string): string {
  return createHash('sha256').update(Buffer.from(hexKey, 'hex')).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM over the whole serialised payload (its metadata included, so the JSON encoding is hidden
 * too). The key id is authenticated as additional data. Payloads that are not ours (written before the
 * codec was installed, or by a tool without it) decode as they are, so running workflows keep going.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly encryptId: string;
  private readonly encryptKey: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: PayloadKeys) {
    this.encryptId = payloadKeyId(keys.current);
    this.encryptKey = Buffer.from(keys.current, 'hex');
    for (const hex of [keys.previous, keys.current]) {
      if (hex) this.keys.set(payloadKeyId(hex), Buffer.from(hex, 'hex'));
    }
  }

  // Deferred so that a payload that cannot be opened rejects instead of throwing at the caller.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.decrypt(payload)));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptKey, iv);
    cipher.setAAD(utf8.encode(this.encryptId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(this.encryptId) },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = idBytes ? text.decode(idBytes) : '(none)';
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `payload encrypted with key id ${keyId}, which is neither TEMPORAL_PAYLOAD_KEY nor TEMPORAL_PAYLOAD_KEY_PREVIOUS`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`encrypted payload (key id ${keyId}) is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(utf8.encode(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
