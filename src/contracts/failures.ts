/**
 * Every failure type this product raises to Temporal. Whether a failure is retried is decided once, where
 * it is raised (its `nonRetryable` flag, set from the error's own retryability); nothing downstream keeps
 * a list of types to retry or not. Callers match on these names (status texts, connection checks).
 */

/** Why an API call failed, as the HTTP layer classifies it. */
const API_FAILURE_CODES = [
  'auth',
  'forbidden',
  'not_found',
  'validation',
  'rate_limited',
  'server',
  'network',
  'timeout',
  'client',
  'bad_response',
] as const;
export type ApiFailureCode = (typeof API_FAILURE_CODES)[number];

type Pascal<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

/** e.g. `ShopkitAuthError`, `ShopimindRateLimitedError`. */
export type ApiFailureType = `${'Shopkit' | 'Shopimind'}${Pascal<ApiFailureCode>}Error`;

const API_NAMES = ['shopkit', 'shopimind'] as const;

export function apiFailureType(api: (typeof API_NAMES)[number], code: ApiFailureCode): ApiFailureType {
  const pascal = code
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${api === 'shopkit' ? 'Shopkit' : 'Shopimind'}${pascal}Error` as ApiFailureType;
}

/** Failures of the connector itself; all final (retrying cannot change them). */
export const CONNECTOR_FAILURES = {
  /** No worker configuration or installation knows the store. */
  storeNotConfigured: 'StoreNotConfigured',
  /** A ShopiMind call was asked for while the integration is not active. */
  integrationInactive: 'IntegrationInactive',
  /** A stored secret does not decrypt with the keys this process holds. */
  secretUndecryptable: 'SecretUndecryptable',
  /** A workflow's own state is inconsistent (a bug, never data). */
  workflowState: 'WorkflowStateError',
  /** A connection check's activity failed without a typed failure (a timeout, a worker bug). */
  connectionCheckFailed: 'ConnectionCheckFailed',
} as const;
type ConnectorFailureType = (typeof CONNECTOR_FAILURES)[keyof typeof CONNECTOR_FAILURES];

export type FailureType = ApiFailureType | ConnectorFailureType;

const FAILURE_TYPES: ReadonlySet<string> = new Set<string>([
  ...API_NAMES.flatMap((api) => API_FAILURE_CODES.map((code) => apiFailureType(api, code))),
  ...Object.values(CONNECTOR_FAILURES),
]);

/** Whether a failure's type (e.g. an `ApplicationFailure`'s, read back from Temporal) is one of this product's. */
export function isFailureType(type: string | null | undefined): type is FailureType {
  return typeof type === 'string' && FAILURE_TYPES.has(type);
}
