import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import type { ApiFailureCode } from '../contracts/failures';
import { ApiError, classifyStatus, type ApiErrorDetails, type ApiName } from './api-error';
import { backoffDelay, defaultRetryPolicy, parseRetryAfter, type RetryPolicy } from './backoff';
import type { TokenBucket } from './token-bucket';

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** `body` already serialised by a caller that needed the text (an idempotency key): sent as is. */
  bodyJson?: string;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  reason: ApiFailureCode;
  status?: number;
  path: string;
}

export interface JsonHttpClientOptions {
  api: ApiName;
  storeId: string;
  /** e.g. `https://api.shopk.it/v1`; request paths are appended to it. */
  baseUrl: string;
  /** Credential headers. Sent, never logged, never copied into errors. */
  authHeaders: Record<string, string>;
  /** Paces requests to the key's quota; omitted means unpaced. */
  bucket?: TokenBucket;
  retry?: RetryPolicy;
  /** Per-attempt limit for headers and body. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  onRetry?: (event: RetryEvent) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The process-wide keep-alive pool every client uses unless given another dispatcher. */
export const sharedAgent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 16 });

const networkErrorCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * JSON over HTTP with the behaviour both APIs need: quota pacing, bounded retries with full jitter
 * that honour `Retry-After`, per-attempt timeouts, keep-alive pooling and typed errors.
 */
export class JsonHttpClient {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: JsonHttpClientOptions) {
    this.retry = options.retry ?? defaultRetryPolicy;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.dispatcher = options.dispatcher ?? sharedAgent;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get storeId(): string {
    return this.options.storeId;
  }

  /** Resolves when the key's bucket would let a next call go: one quota interval after the last one. */
  async afterQuotaInterval(): Promise<void> {
    await this.options.bucket?.take();
  }

  /** Sends the request, retrying what can be retried; resolves only with a 2xx response. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let failure: ApiError;
      let retryAfterMs: number | undefined;
      try {
        await this.options.bucket?.take();
        const response = await this.once(req);
        if (response.status >= 200 && response.status < 300) return response;
        const { code, retryable } = classifyStatus(response.status);
        failure = this.error(req, code, retryable, {
          status: response.status,
          body: excerpt(response.body),
          responseBody: response.body,
        });
        if (response.status === 429) this.options.bucket?.drain();
        // Retry-After replaces the computed backoff for any retryable status.
        if (retryable) retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      } catch (err) {
        failure = err instanceof ApiError ? err : this.networkError(req, err);
      }
      if (!failure.retryable) throw failure;
      const delayMs = retryAfterMs ?? backoffDelay(this.retry, attempt);
      const elapsed = Date.now() - started;
      if (attempt + 1 >= this.retry.maxAttempts || elapsed + delayMs > this.retry.maxElapsedMs) throw failure;
      this.options.onRetry?.({
        attempt: attempt + 1,
        delayMs,
        reason: failure.code,
        status: failure.status,
        path: req.path,
      });
      await this.sleep(delayMs);
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...req.headers,
      ...this.options.authHeaders,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = req.bodyJson ?? JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const res = await request(this.url(req), {
      method: req.method,
      headers,
      body,
      dispatcher: this.dispatcher,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    const flatHeaders: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      flatHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: res.statusCode,
      headers: flatHeaders,
      body: parseBody(text, (err) => this.badJson(req, res.statusCode, text, err)),
    };
  }

  private url(req: HttpRequest): string {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  private badJson(req: HttpRequest, status: number, text: string, cause: unknown): ApiError {
    // A 2xx that is not JSON breaks the contract; an error page on a 5xx is still just a 5xx.
    const { retryable } = status >= 200 && status < 300 ? { retryable: false } : classifyStatus(status);
    return this.error(req, 'bad_response', retryable, {
      status,
      body: text.slice(0, 300),
      reason: 'the response is not valid JSON',
      cause,
    });
  }

  private networkError(req: HttpRequest, err: unknown): ApiError {
    const code = (err as { code?: unknown }).code;
    const timeout =
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError;
    if (timeout) return this.error(req, 'timeout', true, { cause: err });
    if (err instanceof undiciErrors.UndiciError || (typeof code === 'string' && networkErrorCodes.has(code))) {
      const reason = `the API could not be reached (${typeof code === 'string' ? code : (err as Error).name})`;
      return this.error(req, 'network', true, { reason, cause: err });
    }
    return this.error(req, 'network', true, { reason: `request failed: ${(err as Error).message}`, cause: err });
  }

  /** A typed error for this client's API and store; `detail.cause` is the error it wraps, if any. */
  error(
    req: Pick<HttpRequest, 'method' | 'path'>,
    code: ApiFailureCode,
    retryable: boolean,
    detail: Pick<ApiErrorDetails, 'status' | 'body' | 'responseBody'> & { reason?: string; cause?: unknown } = {},
  ): ApiError {
    const { reason, cause, ...response } = detail;
    const { api, storeId } = this.options;
    return new ApiError(
      { api, storeId, method: req.method, path: req.path, retryable, code, ...response },
      reason,
      cause,
    );
  }
}

function parseBody(text: string, onError: (err: unknown) => ApiError): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw onError(withoutQuote(err));
  }
}

/**
 * JSON's message quotes the body around the fault (customers' data, in a record's fields), and a cause's
 * message reaches Temporal's failure chain in clear: the cause keeps only its kind and where it failed.
 */
function withoutQuote(err: unknown): SyntaxError {
  const at = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  return new SyntaxError(`not valid JSON${at === undefined ? '' : ` at position ${at}`}`);
}

function excerpt(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
