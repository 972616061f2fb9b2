import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { InstallationLifecycle } from '../integration/installation-lifecycle';
import { FormValuesSchema, INTEGRATION_EVENTS, IntegrationEventSchema } from '../integration/lifecycle-events';
import { INTEGRATION_MANIFEST } from '../integration/manifest';
import type { InstallationConfigs, InstallationRegistry } from '../registry/installation-registry';
import {
  DEFAULT_LIFECYCLE_TOLERANCE,
  verifyShopimindLifecycle,
  type LifecycleSignatureOptions,
} from './shopimind-signature';

export interface InstallationRoutesDeps {
  lifecycle: InstallationLifecycle;
  registry: Pick<InstallationRegistry, 'wasDelivered' | 'recordDelivery' | 'ping'>;
  /** ShopiMind's webhook secrets: the current one and, during a rotation, the previous one. */
  secrets: readonly string[];
  tolerance?: LifecycleSignatureOptions;
  /** `/webhook/test-connection`: whether Shopkit accepts the form's key. */
  testShopkitKey(values: InstallationConfigs): Promise<boolean>;
  /** Whether Temporal answers (`/health`). */
  temporalReady(): Promise<boolean>;
  now?: () => number;
  logger?: Logger;
}

type Verified = { ok: true; raw: Buffer; signature: string } | { ok: false };

/**
 * The routes ShopiMind calls for a partner integration (docs/shopimind-api-notes.md#integration-routes): lifecycle
 * events, the form's connection test and remote data, a health probe, and the manifest. Every POST is checked against
 * ShopiMind's signature on the raw bytes before anything is parsed.
 */
export function registerInstallationRoutes(app: FastifyInstance, deps: InstallationRoutesDeps): void {
  const now = deps.now ?? Date.now;
  const log = deps.logger;

  const verify = (request: FastifyRequest): Verified => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const timestamp = request.headers['x-shopimind-timestamp'];
    const signature = request.headers['x-shopimind-signature'];
    const tolerance = deps.tolerance ?? DEFAULT_LIFECYCLE_TOLERANCE;
    const accepted = deps.secrets.some(
      (secret) => verifyShopimindLifecycle(raw, timestamp, signature, secret, now(), tolerance).ok,
    );
    return accepted && typeof signature === 'string'
      ? { ok: true, raw, signature: signature.trim().toLowerCase() }
      : { ok: false };
  };
  const refuse = (reply: FastifyReply) => reply.code(401).send({ success: false, error: 'invalid_signature' });
  const jsonOf = (raw: Buffer): unknown => {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return undefined;
    }
  };

  app.post('/webhook/receive', async (request, reply) => {
    const verified = verify(request);
    if (!verified.ok) return refuse(reply);
    const body = jsonOf(verified.raw);
    const event = (body as { event?: unknown } | undefined)?.event;
    if (typeof event !== 'string' || !(INTEGRATION_EVENTS as readonly string[]).includes(event)) {
      return { success: false, error: typeof event === 'string' ? 'unknown_event' : 'invalid_payload' };
    }
    const parsed = IntegrationEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: 'invalid_payload' };
    // A verbatim replay of a processed delivery: already done.
    if (await deps.registry.wasDelivered(verified.signature)) return { success: true };
    const installationId = parsed.data.installationId;
    try {
      const outcome = await deps.lifecycle.handle(parsed.data);
      if (outcome.success) await deps.registry.recordDelivery(verified.signature, installationId, event);
      log?.info({ installationId, event, outcome }, 'integration lifecycle event');
      return outcome;
    } catch (err) {
      // Not processed: ShopiMind retries a 5xx once, and the retry may process it.
      log?.warn(
        { installationId, event, err: err instanceof Error ? err.message : String(err) },
        'lifecycle event failed',
      );
      return reply.code(503).send({ success: false, error: 'temporarily_unavailable' });
    }
  });

  app.post('/webhook/test-connection', async (request, reply) => {
    const verified = verify(request);
    if (!verified.ok) return refuse(reply);
    const values = FormValuesSchema.safeParse(jsonOf(verified.raw));
    if (!values.success) return { success: false, error: 'invalid_payload' };
    try {
      return (await deps.testShopkitKey(values.data))
        ? { success: true }
        : { success: false, error: 'connection_failed' };
    } catch (err) {
      // Not a refusal but a failure of the check itself (an answer it could not read, a bug): still the
      // spec's answer, so the merchant's form shows a failed test rather than an error page.
      log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'connection test failed unexpectedly');
      return {
        success: false,
        error: 'connection_failed',
        message: 'the connection test could not be completed; the integrator can find why in the gateway log',
      };
    }
  });

  // The manifest declares no dynamic select: every resource has no option, answered as the spec's `200 {data}`.
  app.post('/webhook/remote-data/:resource', async (request, reply) => {
    if (!verify(request).ok) return refuse(reply);
    return { data: [] };
  });

  app.get('/health', async (_request, reply) => {
    const [temporal, registry] = await Promise.all([deps.temporalReady(), deps.registry.ping()]);
    return reply.code(temporal && registry ? 200 : 503).send({ status: temporal && registry ? 'ok' : 'degraded' });
  });

  app.get('/manifest', () => INTEGRATION_MANIFEST);
}
