import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearerMatches } from './bearer-token';
import { registerCodecLogin } from './codec-login';
import { CODEC_SESSION_COOKIE, codecSessionValid, cookieValue } from './codec-session';

export interface CodecEndpointOptions {
  codec: PayloadCodec;
  /** Bearer token an operator's Temporal CLI (`--codec-auth`) or SSO proxy sends. */
  token: string;
  /** The one namespace this gateway's keys belong to; `X-Namespace` must name it when sent. */
  namespace: string;
  /** Origins of the Web UIs allowed to call the endpoint from a browser (exact match). */
  corsOrigins: readonly string[];
  now?: () => number;
}

/** How long a browser signed in at `/codec/login` may decode: a working day. */
export const CODEC_SESSION_MS = 8 * 60 * 60 * 1000;

/** Requests may hold a whole history's payloads at once, beyond the webhook body limit. */
export const CODEC_BODY_LIMIT = 8 * 1024 * 1024;

const base64 = z.base64();
/** Temporal's codec-server protocol: payloads in proto3 JSON, bytes (metadata values, data) as base64. */
const CodecBodySchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).optional(),
      data: base64.optional(),
    }),
  ),
});
type JsonPayload = z.infer<typeof CodecBodySchema>['payloads'][number];

const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(payload.data ?? '', 'base64'),
});

const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

/**
 * `POST /codec/encode` and `/codec/decode` for the Temporal CLI (`--codec-endpoint …/codec`) and Web UI.
 * Decoding shows customers' data, so both routes need the codec token: as a bearer token (the CLI), or as
 * the session cookie `/codec/login` sets, honoured only on requests from a listed Web UI origin. Browsers get
 * CORS headers only for those origins, and the preflight (which carries no credentials) is answered without
 * the token.
 */
export function registerCodecRoutes(app: FastifyInstance, options: CodecEndpointOptions): void {
  const now = options.now ?? Date.now;
  registerCodecLogin(app, {
    token: options.token,
    corsOrigins: options.corsOrigins,
    sessionTtlMs: CODEC_SESSION_MS,
    now,
  });
  const listedOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    return origin !== undefined && options.corsOrigins.includes(origin) ? origin : undefined;
  };
  const authorized = (request: FastifyRequest) =>
    bearerMatches(request.headers.authorization, options.token) ||
    (listedOrigin(request) !== undefined &&
      codecSessionValid(cookieValue(request.headers.cookie, CODEC_SESSION_COOKIE), options.token, now()));

  const allowOrigin = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = listedOrigin(request);
    if (origin) {
      reply
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-credentials', 'true')
        .header('vary', 'Origin');
    }
  };

  for (const action of ['encode', 'decode'] as const) {
    const path = `/codec/${action}`;
    app.options(path, async (request, reply) => {
      allowOrigin(request, reply);
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, x-namespace')
        .header('access-control-max-age', '600')
        .send();
    });
    app.post(path, { bodyLimit: CODEC_BODY_LIMIT }, async (request, reply) => {
      allowOrigin(request, reply);
      if (!authorized(request)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
      // The Temporal CLI sends an empty X-Namespace; the Web UI sends the namespace it shows.
      const namespace = request.headers['x-namespace'];
      if (typeof namespace === 'string' && namespace !== '' && namespace !== options.namespace) {
        return reply.code(400).send({ error: `this codec serves namespace ${options.namespace} only` });
      }
      let parsed;
      try {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        parsed = CodecBodySchema.safeParse(JSON.parse(raw.toString('utf8')));
      } catch {
        return reply.code(400).send({ error: 'the body is not JSON' });
      }
      if (!parsed.success) return reply.code(400).send({ error: 'expected { "payloads": [...] } with base64 bytes' });
      const payloads = parsed.data.payloads.map(fromJson);
      try {
        const coded = await (action === 'encode' ? options.codec.encode(payloads) : options.codec.decode(payloads));
        return reply.code(200).send({ payloads: coded.map(toJson) });
      } catch (err) {
        // A payload sealed with an unknown key, or tampered with: say which key id, never any key.
        return reply.code(422).send({ error: err instanceof Error ? err.message : String(err) });
      }
    });
  }
}
