import type { Logger } from 'pino';
import { applyLifecycle } from '../gateway/sync-lifecycle';
import type { SyncBackend } from '../gateway/sync-backend';
import { shopkitWebhookUrl, type WebhookRegistrar, type WebhookRemover } from '../gateway/webhook-registration';
import type { Installation, InstallationRegistry } from '../registry/installation-registry';
import type { LifecycleEventName } from '../contracts/sync';
import type { IntegrationEvent, IntegrationEventName } from './lifecycle-events';

/** What `/webhook/receive` answers: ShopiMind counts only `200 {"success": true}` as done. */
export type LifecycleOutcome = { success: true } | { success: false; error: string };

/** The connection check through a worker (`checkConnectionWorkflow`): ok, or the failure's type and message. */
export type ConnectionCheck = (storeId: string) => Promise<{ ok: true } | { ok: false; error: string }>;

export interface InstallationLifecycleDeps {
  registry: InstallationRegistry;
  backend: SyncBackend;
  checkConnection: ConnectionCheck;
  registerWebhooks: WebhookRegistrar;
  removeWebhooks: WebhookRemover;
  /** Where Shopkit reaches this gateway; without it no Shopkit webhook is registered (reconciliation only). */
  publicUrl?: string;
  /** Called after every change of an installation, so this process's store cache forgets it at once. */
  changed(storeId: string): void;
  now?: () => number;
  logger?: Logger;
}

const WORKFLOW_EVENT: Record<IntegrationEventName, LifecycleEventName> = {
  'integration.installed': 'install',
  'integration.activated': 'activate',
  'integration.deactivated': 'deactivate',
  'integration.uninstalled': 'uninstall',
  'integration.config_updated': 'config_updated',
};

/** Installations are ShopiMind integrations: their sync never sends before `activated`. */
const START = { requireActivation: true };

/**
 * ShopiMind's lifecycle events applied to the registry and to Temporal, through the same start paths as
 * the admin routes (the sync's signals, `import/<storeId>`). Any thrown error means "not processed":
 * the route answers 5xx and ShopiMind's retry may process the delivery again.
 */
export class InstallationLifecycle {
  private readonly now: () => number;

  constructor(private readonly deps: InstallationLifecycleDeps) {
    this.now = deps.now ?? Date.now;
  }

  async handle(event: IntegrationEvent): Promise<LifecycleOutcome> {
    if (event.event === 'integration.installed') return this.installed(event);
    const installation = await this.deps.registry.get(event.installationId);
    if (!installation || installation.status === 'uninstalled') {
      // A late event for an installation we no longer (or never) held: nothing to act on.
      return event.event === 'integration.uninstalled'
        ? { success: true }
        : { success: false, error: 'unknown_installation' };
    }
    switch (event.event) {
      case 'integration.activated':
        return this.activated(installation, event);
      case 'integration.deactivated':
        await this.deps.registry.setStatus(installation.installationId, 'inactive');
        await this.toWorkflows(installation, event.event);
        return { success: true };
      case 'integration.config_updated':
        return this.configUpdated(installation, event);
      case 'integration.uninstalled':
        return this.uninstalled(installation);
    }
  }

  private async installed(event: IntegrationEvent): Promise<LifecycleOutcome> {
    if (!event.access_token) return { success: false, error: 'missing_access_token' };
    const installation = await this.deps.registry.install({
      installationId: event.installationId,
      accessToken: event.access_token,
      configs: event.configs ?? {},
      shopDomain: event.shop_domain,
      shopName: event.shop_name,
    });
    this.deps.changed(installation.storeId);
    this.deps.logger?.info({ storeId: installation.storeId }, 'installation stored, inactive');
    return { success: true };
  }

  /** Connection check first: a failure answers `success: false` and leaves the installation inactive. */
  private async activated(installation: Installation, event: IntegrationEvent): Promise<LifecycleOutcome> {
    const { installationId, storeId } = installation;
    if (event.access_token || event.configs) {
      await this.deps.registry.updateConfigs(installationId, event.configs ?? {}, event.access_token);
      this.deps.changed(storeId);
    }
    const check = await this.deps.checkConnection(storeId);
    if (!check.ok) {
      await this.deps.registry.setStatus(installationId, 'inactive', check.error);
      this.deps.logger?.warn({ storeId, error: check.error }, 'activation refused: connection check failed');
      return { success: false, error: 'connection_failed' };
    }
    await this.deps.registry.setStatus(installationId, 'active');
    this.deps.changed(storeId);
    await this.registerWebhooks(storeId);
    // The import provisions ShopiMind first; the sync applies what it held once the import is done.
    await this.toWorkflows(installation, 'integration.activated');
    return { success: true };
  }

  private async configUpdated(installation: Installation, event: IntegrationEvent): Promise<LifecycleOutcome> {
    const { installationId, storeId } = installation;
    await this.deps.registry.updateConfigs(installationId, event.configs ?? {}, event.access_token);
    this.deps.changed(storeId);
    if (installation.status !== 'active') return { success: true };
    const check = await this.deps.checkConnection(storeId);
    if (!check.ok) {
      await this.deps.registry.setStatus(installationId, 'active', check.error);
      return { success: false, error: 'connection_failed' };
    }
    await this.deps.registry.setStatus(installationId, 'active');
    await this.registerWebhooks(storeId);
    await this.toWorkflows(installation, 'integration.config_updated');
    return { success: true };
  }

  /** Sync ended, import cancelled, Shopkit webhooks deleted while the key still exists, then secrets destroyed. */
  private async uninstalled(installation: Installation): Promise<LifecycleOutcome> {
    const { installationId, storeId } = installation;
    await this.toWorkflows(installation, 'integration.uninstalled');
    if (this.deps.publicUrl) {
      try {
        const removed = await this.deps.removeWebhooks(storeId, shopkitWebhookUrl(this.deps.publicUrl, storeId));
        this.deps.logger?.info({ storeId, removed }, 'Shopkit webhooks deleted');
      } catch (err) {
        // The secrets go regardless; deliveries to a removed store are answered 404 and Shopkit suspends them.
        this.deps.logger?.warn({ storeId, err: errorText(err) }, 'Shopkit webhooks could not be deleted');
      }
    }
    await this.deps.registry.uninstall(installationId);
    this.deps.changed(storeId);
    return { success: true };
  }

  private async registerWebhooks(storeId: string): Promise<void> {
    if (!this.deps.publicUrl) return;
    const result = await this.deps.registerWebhooks(storeId, shopkitWebhookUrl(this.deps.publicUrl, storeId));
    // Refused events are caught up by reconciliation; the rest of the activation goes on.
    if (result.failed.length > 0)
      this.deps.logger?.warn({ storeId, failed: result.failed }, 'some Shopkit webhooks were refused');
  }

  private async toWorkflows(installation: Installation, event: IntegrationEventName): Promise<void> {
    const change = { event: WORKFLOW_EVENT[event], receivedAt: new Date(this.now()).toISOString() };
    await applyLifecycle(this.deps.backend, installation.storeId, change, START);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
