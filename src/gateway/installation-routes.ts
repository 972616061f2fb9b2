import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { InstallationLifecycle } from '../integration/installation-lifecycle';
import { FormValuesSchema, INTEGRATION_EVENTS, IntegrationEventSchema } from '../integration/lifecycle-events';
import { INTEGRATION_MANIFEST } from '../integration/manifest';
import type { InstallationConfigs, InstallationRegistry } from '../registry/installation-registry';
import type { DeliveryClaim } from '../registry/lifecycle-deliveries';
import {
  DEFAULT_LIFECYCLE_TOLERANCE,
  verifyShopimindLifecycle,
  type LifecycleSignatureOptions,
} from './shopimind-signature';

export interface InstallationRoutesDeps {
  lifecycle: InstallationLifecycle;
  registry: Pick<InstallationRegistry, 'deliveries' | 'ping'>;
  /** ShopiMind's webhook secrets: the current one and, during a rotation, the previous one. */
  secrets: readonly string[];
  tolerance?: LifecycleSignatureOptions;
  /** How long a delivery waits while an identical one is being processed (ShopiMind's retry after a timeout). */
  claimWaitMs?: number;
  /** `/webhook/test-connection`: whether Shopkit accepts the form's key. */
  testShopkitKey(values: InstallationConfigs): Promise<boolean>;
  /** Whether Temporal answers (`/health`). */
  temporalReady(): Promise<boolean>;
  now?: () => number;
  logger?: Logger;
}

type Verified = { ok: true; raw: Buffer; signature: string } | { ok: false };

/** Longer than any activation (a connection check, webhook registration, workflow starts): a claim older is dead. */
const CLAIM_LEASE_MS = 120_000;
const CLAIM_POLL_MS = 100;
/** Beyond the signature's tolerance, for clocks that disagree between gateways. */
const DELIVERY_RETENTION_MARGIN_MS = 600_000;

/**
 * The routes ShopiMind calls for a partner integration (docs/shopimind-api-notes.md#integration-routes): lifecycle
 * events, the form's connection test and remote data, a health probe, and the manifest. Every POST is checked against
 * ShopiMind's signature on the raw bytes before anything is parsed.
 */
export function registerInstallationRoutes(app: FastifyInstance, deps: InstallationRoutesDeps): void {
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  const tolerance = deps.tolerance ?? DEFAULT_LIFECYCLE_TOLERANCE;
  // A delivery recorded this long ago can no longer pass the timestamp check, so its replay needs no record.
  const retainMs = (tolerance.pastToleranceS + tolerance.futureToleranceS) * 1000 + DELIVERY_RETENTION_MARGIN_MS;

  const verify = (request: FastifyRequest): Verified => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const timestamp = request.headers['x-shopimind-timestamp'];
    const signature = request.headers['x-shopimind-signature'];
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

  /** Claims the delivery, waiting while an identical one is processed elsewhere (see `LifecycleDeliveries.claim`). */
  const claim = async (signature: string, installationId: string, event: string): Promise<DeliveryClaim> => {
    const deadline = Date.now() + (deps.claimWaitMs ?? 10_000);
    for (;;) {
      const claimed = await deps.registry.deliveries.claim(signature, installationId, event, CLAIM_LEASE_MS);
      if (claimed !== 'busy' || Date.now() >= deadline) return claimed;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
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
    const installationId = parsed.data.installationId;
    const { signature } = verified;
    const unavailable = (err: unknown) => {
      // Not processed: ShopiMind retries a 5xx once, and the retry may process it.
      log?.warn(
        { installationId, event, err: err instanceof Error ? err.message : String(err) },
        'lifecycle event failed',
      );
      return reply.code(503).send({ success: false, error: 'temporarily_unavailable' });
    };
    let claimed: DeliveryClaim;
    try {
      claimed = await claim(signature, installationId, event);
    } catch (err) {
      return unavailable(err);
    }
    // A verbatim replay of a processed delivery: already done.
    if (claimed === 'processed') return { success: true };
    if (claimed === 'busy') return unavailable(new Error('an identical delivery is still being processed'));
    try {
      const outcome = await deps.lifecycle.handle(parsed.data);
      if (outcome.success) await deps.registry.deliveries.complete(signature, retainMs);
      else await deps.registry.deliveries.release(signature);
      log?.info({ installationId, event, outcome }, 'integration lifecycle event');
      return outcome;
    } catch (err) {
      // Unreleased (the registry is down too), the claim lapses after its lease.
      await deps.registry.deliveries.release(signature).catch(() => undefined);
      return unavailable(err);
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
