import { ApplicationFailure } from '@temporalio/activity';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import type { IntegrationState } from '../contracts/sync';

export function storeNotConfigured(storeId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Store ${storeId} is not configured on this worker (STORE_ID or STORES_FILE)`,
    CONNECTOR_FAILURES.storeNotConfigured,
  );
}

/** Refuses a ShopiMind call while the integration is not active (deactivated or uninstalled). */
export function assertActive(storeId: string, integration: IntegrationState): void {
  if (integration !== 'active') {
    throw ApplicationFailure.nonRetryable(
      `Store ${storeId}: the ShopiMind integration is ${integration}; no ShopiMind call is made until it is activated`,
      CONNECTOR_FAILURES.integrationInactive,
    );
  }
}
