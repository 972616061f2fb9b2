import { SecretBox, SecretDecryptionError } from '../../src/secrets/secret-box';

const box = new SecretBox('0f'.repeat(32));
const binding = { installationId: 'inst-1', field: 'access_token' };

describe('SecretBox', () => {
  it('round-trips, with a fresh IV each time and no clear text in the sealed value', () => {
    const a = box.encrypt('int_secret_token', binding);
    const b = box.encrypt('int_secret_token', binding);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[0-9a-f]{12}:[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('int_secret_token');
    expect(box.decrypt(a, binding)).toBe('int_secret_token');
  });

  it('refuses a value moved to another installation or field, or altered', () => {
    const sealed = box.encrypt('int_secret_token', binding);
    expect(() => box.decrypt(sealed, { ...binding, installationId: 'inst-2' })).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(sealed, { ...binding, field: 'shopkit_api_key' })).toThrow(/authentication failed/);
    const raw = Buffer.from(sealed.split(':')[2] as string, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    const altered = `v1:${sealed.split(':')[1]}:${raw.toString('base64')}`;
    expect(() => box.decrypt(altered, binding)).toThrow(/authentication failed/);
    expect(() => box.decrypt('int_secret_token', binding)).toThrow(/not an encrypted value/);
  });

  it('decrypts with the previous key and marks its values stale; an unknown key is named, not guessed', () => {
    const old = box.encrypt('sk-1', binding);
    const rotated = new SecretBox('1e'.repeat(32), '0f'.repeat(32));
    expect(rotated.decrypt(old, binding)).toBe('sk-1');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('sk-1', binding))).toBe(false);
    expect(() => new SecretBox('1e'.repeat(32)).decrypt(old, binding)).toThrow(
      /neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS/,
    );
    expect(() => new SecretBox('xyz')).toThrow('a secrets key must be 64 hex characters');
  });
});
