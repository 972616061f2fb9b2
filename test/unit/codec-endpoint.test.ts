import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { StoreConfigSchema } from '../../src/config';
import { buildGateway, loadGatewayConfig, type SyncBackend } from '../../src/gateway';
import { AesGcmPayloadCodec, generatePayloadKey, payloadKeyId } from '../../src/temporal/payload-codec';

const CODEC_TOKEN = 'codec-token-0123456789abcdef';
const UI = 'http://127.0.0.1:8233';
const KEY = generatePayloadKey();
const codec = new AesGcmPayloadCodec({ current: KEY });
const store = StoreConfigSchema.parse({
  storeId: 'shop-a',
  shopkit: { apiKey: 'sk-key', webhookSecret: 'shopkit-webhook-secret-0123456789' },
  shopimind: { apiKey: 'spm-key' },
});
const unusedBackend = {} as SyncBackend;

const opened: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(opened.map((app) => app.close()));
});

/** A gateway on a loopback port, answering `call(method, path, headers, body)`. */
async function gateway(withCodec = true) {
  const app = buildGateway({
    stores: new Map([[store.storeId, store]]),
    backend: unusedBackend,
    adminToken: 'admin-token-abcdefghijklmnop',
    ...(withCodec && { codec: { codec, token: CODEC_TOKEN, namespace: 'default', corsOrigins: [UI] } }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  opened.push(app);
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return async (method: 'POST' | 'OPTIONS', path: string, headers: Record<string, string>, body?: string) => {
    const response = await request(`${base}${path}`, { method, headers, body });
    const text = await response.body.text();
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      body: text,
      json: (): unknown => JSON.parse(text),
    };
  };
}
type Call = Awaited<ReturnType<typeof gateway>>;

/** A payload as Temporal's codec-server protocol carries it: proto3 JSON, bytes in base64. */
const asJson = (value: unknown) => {
  const payload = defaultPayloadConverter.toPayload(value);
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
};

const post = (call: Call, action: string, body: unknown, headers: Record<string, string> = {}) =>
  call(
    'POST',
    `/codec/${action}`,
    { 'content-type': 'application/json', authorization: `Bearer ${CODEC_TOKEN}`, ...headers },
    JSON.stringify(body),
  );

describe('the gateway codec endpoint (Temporal codec-server protocol)', () => {
  const customer = { email: 'rui.costa@example.pt', address: 'Rua das Flores 12, Porto' };

  it('encodes with the product codec and decodes back to the same JSON payload', async () => {
    const app = await gateway();
    const encoded = await post(app, 'encode', { payloads: [asJson(customer)] }, { 'x-namespace': 'default' });
    expect(encoded.statusCode).toBe(200);
    const sealed = (encoded.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(sealed[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed[0]?.metadata['encryption-key-id'] ?? '', 'base64').toString()).toBe(payloadKeyId(KEY));
    expect(encoded.body).not.toContain(Buffer.from(JSON.stringify(customer)).toString('base64'));

    const decoded = await post(app, 'decode', { payloads: sealed });
    expect(decoded.statusCode).toBe(200);
    expect(decoded.json()).toEqual({ payloads: [asJson(customer)] });
  });

  it('refuses a missing or wrong token, and another namespace', async () => {
    const app = await gateway();
    const body = { payloads: [asJson(1)] };
    expect((await post(app, 'decode', body, { authorization: '' })).statusCode).toBe(401);
    expect((await post(app, 'decode', body, { authorization: 'Bearer admin-token-abcdefghijklmnop' })).statusCode).toBe(
      401,
    );
    expect((await post(app, 'decode', body, { 'x-namespace': 'other' })).statusCode).toBe(400);
    expect((await post(app, 'decode', { payloads: [{ data: '%%%' }] })).statusCode).toBe(400);
  });

  it('answers 422 naming the key id for a payload sealed with an unknown key', async () => {
    const other = generatePayloadKey();
    const [sealed] = await new AesGcmPayloadCodec({ current: other }).encode([defaultPayloadConverter.toPayload(1)]);
    const response = await post(await gateway(), 'decode', {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(sealed?.data ?? []).toString('base64'),
        },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(payloadKeyId(other));
    expect(response.body).not.toContain(other);
  });

  it("answers the Web UI's preflight without a token, and sets CORS only for the configured origin", async () => {
    const app = await gateway();
    const preflight = await app('OPTIONS', '/codec/decode', {
      origin: UI,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-namespace',
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type, x-namespace');
    const allowed = await post(app, 'decode', { payloads: [] }, { origin: UI });
    expect(allowed.headers['access-control-allow-origin']).toBe(UI);
    const foreign = await post(app, 'decode', { payloads: [] }, { origin: 'https://evil.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is off without a codec token', async () => {
    expect((await post(await gateway(false), 'decode', { payloads: [] })).statusCode).toBe(404);
  });

  it('reads GATEWAY_CODEC_TOKEN and GATEWAY_CODEC_CORS_ORIGINS, and redacts the token', () => {
    const config = loadGatewayConfig({
      GATEWAY_ADMIN_TOKEN: 'admin-token-abcdefghijklmnop',
      GATEWAY_CODEC_TOKEN: CODEC_TOKEN,
      GATEWAY_CODEC_CORS_ORIGINS: 'http://localhost:8080/, http://127.0.0.1:8233',
    });
    expect(config.codecToken).toBe(CODEC_TOKEN);
    expect(config.codecCorsOrigins).toEqual(['http://localhost:8080', 'http://127.0.0.1:8233']);
    expect(() =>
      loadGatewayConfig({ GATEWAY_ADMIN_TOKEN: 'admin-token-abcdefghijklmnop', GATEWAY_CODEC_TOKEN: 'short' }),
    ).toThrow('GATEWAY_CODEC_TOKEN: GATEWAY_CODEC_TOKEN must hold at least 16 characters');
  });
});
