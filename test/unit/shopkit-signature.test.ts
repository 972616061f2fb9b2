import { signShopkitBody, verifyShopkitSignature } from '../../src/shopkit/webhook-signature';

describe('Shopkit webhook signature', () => {
  // RFC 4231, test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
  const vector = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('is HMAC-SHA256 of the raw body in lowercase hex', () => {
    expect(signShopkitBody('what do ya want for nothing?', 'Jefe')).toBe(vector);
    expect(signShopkitBody(Buffer.from('what do ya want for nothing?'), 'Jefe')).toBe(vector);
  });

  it('verifies a matching signature, in either hex case, string or buffer body', () => {
    expect(verifyShopkitSignature('what do ya want for nothing?', vector, 'Jefe')).toBe(true);
    expect(verifyShopkitSignature(Buffer.from('what do ya want for nothing?'), vector.toUpperCase(), 'Jefe')).toBe(
      true,
    );
    expect(verifyShopkitSignature('what do ya want for nothing?', [vector], 'Jefe')).toBe(true);
  });

  it('rejects another body, another secret, or a re-serialised body', () => {
    const body = '{"order": {"id": 1}}';
    const signature = signShopkitBody(body, 'secret');
    expect(verifyShopkitSignature('{"order": {"id": 2}}', signature, 'secret')).toBe(false);
    expect(verifyShopkitSignature(body, signature, 'other')).toBe(false);
    expect(verifyShopkitSignature(JSON.stringify(JSON.parse(body)), signature, 'secret')).toBe(false);
  });

  it('rejects missing, short, long or non-hex headers without throwing', () => {
    for (const header of [undefined, '', vector.slice(0, 63), `${vector}00`, 'z'.repeat(64), []]) {
      expect(verifyShopkitSignature('what do ya want for nothing?', header, 'Jefe')).toBe(false);
    }
  });
});
