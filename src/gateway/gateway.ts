import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StoreConfig } from '../config';
import type { StoreLookup } from '../registry/store-lookup';
import { verifyShopkitSignature } from '../shopkit/webhook-signature';
import { LIFECYCLE_EVENTS, type LifecycleChange } from '../contracts/sync';
import { bearerMatches } from './bearer-token';
import { registerCodecRoutes, type CodecEndpointOptions } from './codec-routes';
import {
  DEFAULT_LIFECYCLE_TOLERANCE,
  verifyShopimindLifecycle,
  type LifecycleSignatureOptions,
} from './shopimind-signature';
import { registerInstallationRoutes, type InstallationRoutesDeps } from './installation-routes';
import type { SyncBackend, SyncStart } from './sync-backend';
import { applyLifecycle } from './sync-lifecycle';
import { isShopkitEventName, normaliseWebhook } from './webhook-events';
import { shopkitWebhookUrl, type WebhookRegistrar } from './webhook-registration';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface GatewayDeps {
  /** Stores, configured or from the installation registry: webhook secrets and Shopkit keys (never echoed). */
  stores: StoreLookup;
  /**
   * The stores of the environment / stores file, the only ones the legacy `/shopimind/lifecycle` route acts on
   * (an installation's lifecycle goes through `/webhook/receive`: connection check, registry, secrets). Defaults
   * to `stores` when that is a plain map (no registry).
   */
  configuredStores?: ReadonlyMap<string, StoreConfig>;
  backend: SyncBackend;
  /** Bearer token of the admin routes. */
  adminToken: string;
  /** Public base URL Shopkit reaches this gateway at (webhook registration). */
  publicUrl?: string;
  /** Maximum body size in bytes; larger requests get 413. */
  bodyLimit?: number;
  /**
   * Secret of ShopiMind's partner-integration webhooks (docs/shopimind-api-notes.md#integration-webhook-signature);
   * without it the lifecycle route is off.
   */
  shopimindWebhookSecret?: string;
  lifecycleTolerance?: LifecycleSignatureOptions;
  /** Stores are ShopiMind partner integrations: nothing is sent before `activate`. */
  requireActivation?: boolean;
  registerWebhooks?: WebhookRegistrar;
  /**
   * How a store's sync starts when a webhook or an import finds none: an installation's from its registry
   * status (inactive until activated), else `requireActivation`.
   */
  syncStart?: (storeId: string) => Promise<SyncStart> | undefined;
  /** The marketplace routes (`/webhook/*`, `/health`, `/manifest`), given the backend; off without the registry. */
  installations?: (backend: SyncBackend) => InstallationRoutesDeps;
  /** The payload codec endpoint (`/codec/encode`, `/codec/decode`); off without it. */
  codec?: CodecEndpointOptions;
  now?: () => number;
  logger?: Logger;
}

const LifecycleBodySchema = z.looseObject({
  event: z.enum(LIFECYCLE_EVENTS),
  /** Our store id, configured as an integration value in ShopiMind (the shop id is not ours). */
  store_id: z.string().min(1).max(64),
});

/**
 * The HTTP gateway: Shopkit webhooks → `signalWithStart` on `store-sync/<storeId>`, ShopiMind lifecycle
 * webhooks, and bearer-protected admin routes. Every body is kept raw (a buffer) so signatures are checked
 * on the exact bytes before anything is parsed.
 */
export function buildGateway(deps: GatewayDeps): FastifyInstance {
  const now = deps.now ?? Date.now;
  const bodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const start = { requireActivation: deps.requireActivation ?? false };
  const startOf = (storeId: string) => deps.syncStart?.(storeId) ?? Promise.resolve(start);
  const configured: ReadonlyMap<string, StoreConfig> =
    deps.configuredStores ?? (deps.stores instanceof Map ? deps.stores : new Map());
  const app = Fastify({ bodyLimit, routerOptions: { ignoreTrailingSlash: true } });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const log = deps.logger;
  const rawOf = (request: FastifyRequest): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  const unavailable = (reply: FastifyReply, what: string, err: unknown) => {
    log?.warn({ err: err instanceof Error ? err.message : String(err) }, `${what}: Temporal did not accept`);
    return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable, retry' });
  };

  app.post<{ Params: { storeId: string } }>('/webhooks/shopkit/:storeId', async (request, reply) => {
    const store = await deps.stores.get(request.params.storeId);
    if (!store) return reply.code(404).send({ error: 'unknown store' });
    const raw = rawOf(request);
    if (!verifyShopkitSignature(raw, request.headers['x-webhook-signature'], store.shopkit.webhookSecret)) {
      return reply.code(401).send({ error: 'invalid signature' });
    }
    const header = request.headers['x-shopkit-event'];
    const eventName = typeof header === 'string' ? header.trim() : '';
    if (!eventName) return reply.code(400).send({ error: 'missing X-Shopkit-Event' });
    if (!isShopkitEventName(eventName)) return reply.code(400).send({ error: 'unknown event' });
    const normalised = normaliseWebhook(eventName, raw, new Date(now()).toISOString());
    if (!normalised.ok) return reply.code(normalised.status).send({ error: normalised.reason });
    try {
      await deps.backend.deliverEvent(store.storeId, normalised.event, await startOf(store.storeId));
    } catch (err) {
      return unavailable(reply, `webhook ${eventName} for ${store.storeId}`, err);
    }
    return reply.code(200).send({ accepted: true });
  });

  app.post('/shopimind/lifecycle', async (request, reply) => {
    const secret = deps.shopimindWebhookSecret;
    if (!secret) return reply.code(404).send({ error: 'lifecycle webhooks are not configured' });
    const raw = rawOf(request);
    const verified = verifyShopimindLifecycle(
      raw,
      request.headers['x-shopimind-timestamp'],
      request.headers['x-shopimind-signature'],
      secret,
      now(),
      deps.lifecycleTolerance ?? DEFAULT_LIFECYCLE_TOLERANCE,
    );
    if (!verified.ok) return reply.code(401).send({ success: false, error: verified.reason });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ success: false, error: 'the body is not JSON' });
    }
    const parsed = LifecycleBodySchema.safeParse(body);
    if (!parsed.success) return reply.code(400).send({ success: false, error: 'expected { event, store_id }' });
    const storeId = parsed.data.store_id;
    if (!configured.has(storeId)) {
      const installation = (await deps.stores.get(storeId)) !== undefined;
      return reply.code(404).send({
        success: false,
        error: installation
          ? `store ${storeId} is a marketplace installation: its lifecycle events go to POST /webhook/receive`
          : 'unknown store',
      });
    }
    const change: LifecycleChange = { event: parsed.data.event, receivedAt: new Date(now()).toISOString() };
    try {
      await applyLifecycle(deps.backend, storeId, change, { requireActivation: true });
    } catch (err) {
      return unavailable(reply, `lifecycle ${change.event} for ${storeId}`, err);
    }
    log?.info({ storeId, event: change.event }, 'integration lifecycle applied');
    return reply.code(200).send({ success: true });
  });

  if (deps.codec) registerCodecRoutes(app, deps.codec);

  if (deps.installations) registerInstallationRoutes(app, deps.installations(deps.backend));
  app.get('/healthz', () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await deps.backend.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  app.register((admin, _opts, done) => {
    admin.addHook('onRequest', async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, deps.adminToken)) {
        await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
    });
    admin.addHook('preHandler', async (request: FastifyRequest<{ Params: { id?: string } }>, reply) => {
      if (request.params.id !== undefined && !(await deps.stores.get(request.params.id))) {
        await reply.code(404).send({ error: 'unknown store' });
      }
    });

    admin.post<{ Params: { id: string } }>('/stores/:id/import', async (request, reply) => {
      try {
        return await deps.backend.startImport(request.params.id, await startOf(request.params.id));
      } catch (err) {
        return unavailable(reply, `import of ${request.params.id}`, err);
      }
    });
    admin.get<{ Params: { id: string } }>('/stores/:id/status', async (request, reply) => {
      try {
        return await deps.backend.status(request.params.id);
      } catch (err) {
        return unavailable(reply, `status of ${request.params.id}`, err);
      }
    });
    for (const action of ['pause', 'resume'] as const) {
      admin.post<{ Params: { id: string } }>(`/stores/:id/${action}`, async (request, reply) => {
        try {
          return await deps.backend.pauseOrResume(request.params.id, action);
        } catch (err) {
          return unavailable(reply, `${action} of ${request.params.id}`, err);
        }
      });
    }
    admin.post<{ Params: { id: string } }>('/stores/:id/webhooks', async (request, reply) => {
      if (!deps.publicUrl || !deps.registerWebhooks) {
        return reply.code(409).send({ error: 'GATEWAY_PUBLIC_URL is not configured' });
      }
      const url = shopkitWebhookUrl(deps.publicUrl, request.params.id);
      try {
        return await deps.registerWebhooks(request.params.id, url);
      } catch (err) {
        log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'webhook registration failed');
        return reply.code(502).send({ error: `Shopkit refused the registration: ${(err as Error).message}` });
      }
    });
    done();
  });

  return app;
}
