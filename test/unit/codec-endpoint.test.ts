import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { StoreConfigSchema } from '../../src/config';
import { parse } from 'yaml';
import { buildGateway, loadGatewayConfig, type SyncBackend } from '../../src/gateway';
import { localCodecEndpoint } from '../../src/gateway/gateway-config';
import { uiConfigYaml } from '../../src/temporal/server-config';
import { CODEC_SESSION_MS } from '../../src/gateway/codec-routes';
import { codecSessionValid, cookieValue, issueCodecSession } from '../../src/gateway/codec-session';
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

/** A gateway on a loopback port, answering `call(method, path, headers, body)`; `now` is the codec's clock. */
async function gateway(withCodec = true, now?: () => number) {
  const app = buildGateway({
    stores: new Map([[store.storeId, store]]),
    backend: unusedBackend,
    adminToken: 'admin-token-abcdefghijklmnop',
    ...(withCodec && { codec: { codec, token: CODEC_TOKEN, namespace: 'default', corsOrigins: [UI], now } }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  opened.push(app);
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return async (method: 'GET' | 'POST' | 'OPTIONS', path: string, headers: Record<string, string>, body?: string) => {
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

  describe('signing a browser in for the Web UI', () => {
    const signIn = (call: Call, token: string) =>
      call('POST', '/codec/login', { 'content-type': 'application/x-www-form-urlencoded' }, `token=${token}`);
    /** A decode as the Web UI sends it with "include cross-origin credentials": a cookie, no Authorization. */
    const decodeWithCookie = (call: Call, cookie: string, origin = UI) =>
      call(
        'POST',
        '/codec/decode',
        { 'content-type': 'application/json', 'x-namespace': 'default', origin, cookie },
        JSON.stringify({ payloads: [] }),
      );
    const sessionOf = (setCookie: string | string[] | undefined) =>
      cookieValue(String(setCookie).split(';')[0], 'codec_session') ?? '';

    it('serves a sign-in form', async () => {
      const form = await (await gateway())('GET', '/codec/login', {});
      expect(form.statusCode).toBe(200);
      expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(form.body).toContain('<form method="post" action="/codec/login">');
      expect(form.body).toContain('name="token" type="password"');
    });

    it('sets an HttpOnly, SameSite=Strict cookie scoped to /codec for the right token, which then decodes', async () => {
      const app = await gateway();
      const signedIn = await signIn(app, encodeURIComponent(CODEC_TOKEN));
      expect(signedIn.statusCode).toBe(200);
      const setCookie = String(signedIn.headers['set-cookie']);
      expect(setCookie.split('; ').slice(1)).toEqual([
        `Max-Age=${CODEC_SESSION_MS / 1000}`,
        'Path=/codec',
        'HttpOnly',
        'SameSite=Strict',
      ]);
      expect(signedIn.body).toContain(`<a href="${UI}">`);
      const session = sessionOf(signedIn.headers['set-cookie']);
      expect(session).toMatch(/^\d+\.[\w-]{43}$/);
      expect(setCookie).not.toContain(CODEC_TOKEN);

      const decoded = await decodeWithCookie(app, `other=1; codec_session=${session}`);
      expect(decoded.statusCode).toBe(200);
      expect(decoded.json()).toEqual({ payloads: [] });
      expect(decoded.headers['access-control-allow-origin']).toBe(UI);
      expect(decoded.headers['access-control-allow-credentials']).toBe('true');
    });

    it('marks the cookie Secure behind HTTPS', async () => {
      const signedIn = await (
        await gateway()
      )('POST', '/codec/login', { 'x-forwarded-proto': 'https' }, `token=${CODEC_TOKEN}`);
      expect(String(signedIn.headers['set-cookie']).split('; ')).toContain('Secure');
    });

    it('refuses a wrong token without a cookie', async () => {
      const app = await gateway();
      for (const token of ['', 'admin-token-abcdefghijklmnop', CODEC_TOKEN.slice(0, -1)]) {
        const refused = await signIn(app, token);
        expect(refused.statusCode).toBe(401);
        expect(refused.headers['set-cookie']).toBeUndefined();
        expect(refused.body).toContain('That is not the codec token.');
      }
    });

    it('honours the cookie only from a listed Web UI origin, until it expires, and not once altered', async () => {
      let clock = Date.parse('2026-03-01T08:00:00Z');
      const app = await gateway(true, () => clock);
      const session = sessionOf((await signIn(app, CODEC_TOKEN)).headers['set-cookie']);
      expect((await decodeWithCookie(app, `codec_session=${session}`)).statusCode).toBe(200);
      expect((await decodeWithCookie(app, `codec_session=${session}`, 'http://127.0.0.1:9999')).statusCode).toBe(401);
      const [expiry, mac] = session.split('.') as [string, string];
      const flipped = `${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
      for (const altered of [`${expiry}.${flipped}`, `${Number(expiry) + 3600}.${mac}`, CODEC_TOKEN]) {
        expect((await decodeWithCookie(app, `codec_session=${altered}`)).statusCode).toBe(401);
      }
      clock += CODEC_SESSION_MS - 1_000;
      expect((await decodeWithCookie(app, `codec_session=${session}`)).statusCode).toBe(200);
      clock += 1_000;
      expect((await decodeWithCookie(app, `codec_session=${session}`)).statusCode).toBe(401);
    });

    it('signs out by expiring the cookie', async () => {
      const signedOut = await (await gateway())('POST', '/codec/logout', {});
      expect(signedOut.statusCode).toBe(200);
      expect(String(signedOut.headers['set-cookie'])).toMatch(/^codec_session=; Max-Age=0; Path=\/codec;/);
    });

    it('derives sessions from the token: valid until the expiry, for that token only, never holding it', () => {
      const now = Date.parse('2026-03-01T08:00:00Z');
      const session = issueCodecSession(CODEC_TOKEN, now + 60_000);
      expect(session).not.toContain(CODEC_TOKEN);
      expect(session).not.toContain(Buffer.from(CODEC_TOKEN).toString('base64url'));
      expect(codecSessionValid(session, CODEC_TOKEN, now)).toBe(true);
      expect(codecSessionValid(session, CODEC_TOKEN, now + 60_000)).toBe(false);
      expect(codecSessionValid(session, 'another-codec-token-0123456789', now)).toBe(false);
      expect(codecSessionValid(undefined, CODEC_TOKEN, now)).toBe(false);
      expect(codecSessionValid(`${session}x`, CODEC_TOKEN, now)).toBe(false);
    });
  });

  it("points the Web UIs the CLI starts at this environment's gateway, sending the browser's cookies", () => {
    const token = { GATEWAY_CODEC_TOKEN: CODEC_TOKEN };
    expect(localCodecEndpoint({})).toBeUndefined();
    expect(localCodecEndpoint(token)).toBe('http://127.0.0.1:8080/codec');
    expect(localCodecEndpoint({ ...token, GATEWAY_HOST: '10.0.0.5', GATEWAY_PORT: '3000' })).toBe(
      'http://10.0.0.5:3000/codec',
    );
    const ui = parse(uiConfigYaml('127.0.0.1', 8233, '127.0.0.1:7233', 'default', 'http://127.0.0.1:8080/codec'));
    expect(ui.codec).toEqual({ endpoint: 'http://127.0.0.1:8080/codec', includeCredentials: true });
    expect(parse(uiConfigYaml('127.0.0.1', 8233, '127.0.0.1:7233', 'default')).codec).toBeUndefined();
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
