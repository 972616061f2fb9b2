import { apiFailureType, type ApiFailureCode, type ApiFailureType } from '../contracts/failures';

export type ApiName = 'shopkit' | 'shopimind';

export interface ApiErrorDetails {
  api: ApiName;
  storeId: string;
  method: string;
  path: string;
  /** HTTP status, or undefined when no response arrived (network error, timeout). */
  status?: number;
  retryable: boolean;
  /** Short machine-readable reason, used as the Temporal failure type suffix. */
  code: ApiFailureCode;
  /** Response body excerpt (never request headers, so never a key). */
  body?: string;
  /** The whole parsed response body, for callers that interpret a documented error body; never in the message. */
  responseBody?: unknown;
}

const hints: Record<ApiFailureCode, string> = {
  auth: 'check the API key configured for this store',
  forbidden: 'the key lacks the permission for this route',
  not_found: 'the resource does not exist',
  validation: 'the request was rejected as invalid',
  rate_limited: 'the quota is exhausted; lower the configured quota',
  server: 'the API failed on its side; it will be retried',
  network: 'the API could not be reached; check the base URL and the network',
  timeout: 'the API did not answer in time',
  client: 'the request was refused',
  bad_response: 'the response did not match the documented contract',
};

/** A failed API call. Carries where and why, never the credentials that were sent. */
export class ApiError extends Error {
  readonly api: ApiName;
  readonly storeId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly code: ApiFailureCode;
  readonly body: string | undefined;
  readonly responseBody: unknown;

  /** `cause`: the error underneath (undici's, JSON's), kept for logs and Temporal's failure chain. */
  constructor(details: ApiErrorDetails, reason?: string, cause?: unknown) {
    const status = details.status === undefined ? '' : ` ${details.status}`;
    super(
      `${details.api} ${details.method} ${details.path} failed${status} for store ${details.storeId}: ` +
        `${reason ?? hints[details.code]}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'ApiError';
    this.api = details.api;
    this.storeId = details.storeId;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.retryable = details.retryable;
    this.code = details.code;
    this.body = details.body;
    this.responseBody = details.responseBody;
  }

  /** Failure type name for Temporal, e.g. `ShopkitAuthError`. */
  get failureType(): ApiFailureType {
    return apiFailureType(this.api, this.code);
  }
}

/** Classifies an HTTP status into an error code and whether retrying can help. */
export function classifyStatus(status: number): { code: ApiFailureCode; retryable: boolean } {
  if (status === 401) return { code: 'auth', retryable: false };
  if (status === 403) return { code: 'forbidden', retryable: false };
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 408) return { code: 'timeout', retryable: true };
  if (status === 429) return { code: 'rate_limited', retryable: true };
  // 501 and 505 say the server will never do it; other 5xx are passing failures.
  if (status >= 500) return { code: 'server', retryable: status !== 501 && status !== 505 };
  if (status === 400 || status === 422) return { code: 'validation', retryable: false };
  return { code: 'client', retryable: false };
}
