import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Encrypted values start with this; anything else in a secret column is refused, never read as clear text. */
const PREFIX = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Which installation and field a ciphertext belongs to: authenticated, so a blob cannot move to another row. */
export interface SecretBinding {
  installationId: string;
  field: string;
}

/** A secret could not be decrypted: unknown key, tampered blob, or a blob moved to another row or field. */
export class SecretDecryptionError extends Error {
  constructor(binding: SecretBinding, reason: string) {
    super(`cannot decrypt ${binding.field} of installation ${binding.installationId}: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

interface Key {
  id: string;
  bytes: Buffer;
}

/**
 * AES-256-GCM for secrets at rest. `v1:<key id>:<base64 iv|tag|ciphertext>`; the key id (a digest
 * prefix of the key, not the key) lets the previous key still decrypt during a rotation.
 */
export class SecretBox {
  private readonly current: Key;
  private readonly keys: Map<string, Key>;

  /** @param currentHex 64 hex characters; @param previousHex the key before the last rotation, decrypt only. */
  constructor(currentHex: string, previousHex?: string) {
    this.current = keyOf(currentHex);
    this.keys = new Map([[this.current.id, this.current]]);
    if (previousHex) {
      const previous = keyOf(previousHex);
      if (!this.keys.has(previous.id)) this.keys.set(previous.id, previous);
    }
  }

  encrypt(plain: string, binding: SecretBinding): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(aadOf(binding));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}:${this.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(sealed: string, binding: SecretBinding): string {
    const [prefix, keyId, payload, ...rest] = sealed.split(':');
    if (prefix !== PREFIX || keyId === undefined || payload === undefined || rest.length > 0) {
      throw new SecretDecryptionError(binding, 'not an encrypted value');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new SecretDecryptionError(binding, `key ${keyId} is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS`);
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError(binding, 'truncated value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, IV_BYTES));
      decipher.setAAD(aadOf(binding));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(binding, 'authentication failed (wrong key, or the value was altered or moved)');
    }
  }

  /** True when the value was sealed with an older key and should be re-encrypted. */
  isStale(sealed: string): boolean {
    return sealed.split(':')[1] !== this.current.id;
  }
}

function keyOf(hex: string): Key {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a secrets key must be 64 hex characters');
  const bytes = Buffer.from(hex, 'hex');
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 12), bytes };
}

function aadOf(binding: SecretBinding): Buffer {
  // JSON-encoded, so ("a:b", "c") and ("a", "b:c") never share an AAD.
  return Buffer.from(JSON.stringify([binding.installationId, binding.field]), 'utf8');
}
