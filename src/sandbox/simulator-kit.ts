/**
 * Shared toolkit of the Shopkit and ShopiMind simulators.
 *
 *   const kit = new SimulatorKit({ apiKeyHeader: 'spm-api-key', apiKey, quota: { requests: 600, windowMs: 60_000 },
 *                                  faults: { seed: 1, errorRate: 0.1, dropRate: 0.05, latencyMs: 20 } });
 *   kit.install(app);                        // before registering the API routes
 *   registerSandboxRoutes(app, kit, { entities: (resource) => items or undefined, stats: () => ({ … }) });
 *
 * On every API request, in this order: count it, check the key (401), apply the quota (429 + Retry-After in
 * whole seconds; refused requests do not consume quota), then inject faults drawn from a seeded PRNG so a run
 * is reproducible: added latency, a 5xx answered *before* the handler runs, or a dropped connection (socket
 * destroyed) *after* the handler ran — the case where a client cannot know whether its write was applied.
 * Routes under `/__sandbox/` bypass all of it. `kit.stats()` counts requests, statuses, 429s, 401s and faults,
 * in total and per route (`"POST /v1/customers"`), so a test can assert which route caused a 429.
 * `setQuota` / `setFaults` change the behaviour of a running simulator.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface QuotaOptions {
  /** Requests allowed in any window of `windowMs` (a sliding window, the strictest reading of "N per window"). */
  requests: number;
  windowMs: number;
}

export interface FaultOptions {
  /** PRNG seed; the same seed and request sequence give the same faults. Default 1. */
  seed?: number;
  /** Share of requests answered with `errorStatus` before the handler runs. */
  errorRate?: number;
  /** Default 503. */
  errorStatus?: number;
  /** Share of requests answered 429 regardless of the quota (an upstream limiter the client cannot see). */
  rateLimitRate?: number;
  /** `Retry-After` seconds of those injected 429s; default 1. */
  rateLimitRetryAfterS?: number;
  /** Share of requests whose connection is destroyed after the handler ran, instead of answering. */
  dropRate?: number;
  /** Added latency, on a `latencyRate` share of requests (default: all of them). */
  latencyMs?: number;
  latencyRate?: number;
}

export interface SimulatorKitOptions {
  /** Header holding the API key, e.g. `spm-api-key` or `x-api-key`. */
  apiKeyHeader: string;
  apiKey: string;
  /** Omitted or null: no quota. */
  quota?: QuotaOptions | null;
  faults?: FaultOptions;
}

export interface RouteCounters {
  requests: number;
  rateLimited: number;
  unauthorized: number;
  faults: number;
  statuses: Record<string, number>;
}

export interface SimulatorStats extends RouteCounters {
  faultsByKind: { errors: number; drops: number; delays: number; rateLimits: number };
  routes: Record<string, RouteCounters>;
  /** The first request refused by the quota: when, its route, and the admitted calls that filled the window. */
  firstRefusal?: { at: number; route: string; window: number[] };
}

export const SANDBOX_PREFIX = '/__sandbox/';

type Verdict = { drop: boolean };
const verdicts = new WeakMap<FastifyRequest, Verdict>();

/** Mulberry32: tiny, fast and good enough for reproducible fault schedules. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export class SimulatorKit {
  private quota: QuotaOptions | null;
  private faults: FaultOptions = {};
  private random: () => number = Math.random;
  /** Arrival times of the requests inside the current sliding window, oldest first. */
  private window: number[] = [];
  private readonly expectedKey: Buffer;
  private counters!: SimulatorStats;
  private outageUntil = 0;
  private outageStatus = 502;

  constructor(private readonly options: SimulatorKitOptions) {
    this.quota = options.quota ?? null;
    this.expectedKey = digest(options.apiKey);
    this.setFaults(options.faults ?? {});
    this.resetStats();
  }

  get apiKey(): string {
    return this.options.apiKey;
  }

  setQuota(quota: QuotaOptions | null): void {
    this.quota = quota;
    this.window = [];
  }

  /** Replaces the fault settings and reseeds the PRNG. */
  setFaults(faults: FaultOptions): void {
    this.faults = faults;
    this.random = seededRandom(faults.seed ?? 1);
  }

  /**
   * For `durationMs`, every API request is answered `status` with an HTML page, as a load balancer
   * does while the application behind it is down; such requests consume no quota.
   */
  outage(durationMs: number, status = 502): void {
    this.outageUntil = Date.now() + durationMs;
    this.outageStatus = status;
  }

  resetStats(): void {
    this.counters = { ...emptyCounters(), faultsByKind: { errors: 0, drops: 0, delays: 0, rateLimits: 0 }, routes: {} };
  }

  /** A deep copy of the counters. */
  stats(): SimulatorStats {
    return structuredClone(this.counters);
  }

  /** Registers the hooks; call before the API routes are registered. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', (request, reply) => this.onRequest(request, reply));
    app.addHook('onSend', async (request, _reply, payload) => {
      if (verdicts.get(request)?.drop) request.raw.socket?.destroy();
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      if (isSandbox(request)) return;
      const status = String(reply.statusCode);
      for (const counters of [this.counters, this.route(request)]) {
        counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
      }
    });
  }

  /** Returns the reply when it answered early (fastify's contract for async hooks that respond). */
  private async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (isSandbox(request)) return undefined;
    const route = this.route(request);
    this.bump(route, 'requests');
    if (Date.now() < this.outageUntil) {
      this.counters.faultsByKind.errors++;
      this.bump(route, 'faults');
      return reply
        .code(this.outageStatus)
        .type('text/html')
        .send(
          `<html><head><title>${this.outageStatus} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`,
        );
    }

    const sent = request.headers[this.options.apiKeyHeader.toLowerCase()];
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), this.expectedKey)) {
      this.bump(route, 'unauthorized');
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'missing or invalid API key' });
    }

    const now = Date.now();
    const retryAfter = this.admit(now);
    if (retryAfter !== undefined) {
      this.bump(route, 'rateLimited');
      this.counters.firstRefusal ??= { at: now, route: routeKey(request), window: [...this.window] };
      return reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .send({ statusCode: 429, error: 'Too Many Requests', message: 'rate limit exceeded' });
    }

    return this.injectFaults(request, reply, route);
  }

  /** Admits the request into the sliding window, or returns the seconds until a slot frees up. */
  private admit(now: number): number | undefined {
    if (!this.quota) return undefined;
    const { requests, windowMs } = this.quota;
    while (this.window.length > 0 && (this.window[0] as number) <= now - windowMs) this.window.shift();
    if (this.window.length < requests) {
      this.window.push(now);
      return undefined;
    }
    const freesAt = (this.window[0] as number) + windowMs;
    return Math.max(1, Math.ceil((freesAt - now) / 1000));
  }

  private async injectFaults(
    request: FastifyRequest,
    reply: FastifyReply,
    route: RouteCounters,
  ): Promise<FastifyReply | undefined> {
    const { errorRate = 0, errorStatus = 503, dropRate = 0, latencyMs = 0, latencyRate = 1 } = this.faults;
    const { rateLimitRate = 0, rateLimitRetryAfterS = 1 } = this.faults;
    if (latencyMs > 0 && this.random() < latencyRate) {
      this.counters.faultsByKind.delays++;
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    }
    if (errorRate > 0 && this.random() < errorRate) {
      this.counters.faultsByKind.errors++;
      this.bump(route, 'faults');
      return reply
        .code(errorStatus)
        .send({ statusCode: errorStatus, error: 'Injected fault', message: 'simulated server error' });
    }
    if (rateLimitRate > 0 && this.random() < rateLimitRate) {
      this.counters.faultsByKind.rateLimits++;
      this.bump(route, 'faults');
      return reply
        .code(429)
        .header('retry-after', String(rateLimitRetryAfterS))
        .send({ statusCode: 429, error: 'Too Many Requests', message: 'simulated rate limit' });
    }
    if (dropRate > 0 && this.random() < dropRate) {
      this.counters.faultsByKind.drops++;
      this.bump(route, 'faults');
      verdicts.set(request, { drop: true });
    }
    return undefined;
  }

  private route(request: FastifyRequest): RouteCounters {
    return (this.counters.routes[routeKey(request)] ??= emptyCounters());
  }

  private bump(route: RouteCounters, counter: 'requests' | 'rateLimited' | 'unauthorized' | 'faults'): void {
    this.counters[counter]++;
    route[counter]++;
  }
}

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
}

function emptyCounters(): RouteCounters {
  return { requests: 0, rateLimited: 0, unauthorized: 0, faults: 0, statuses: {} };
}

function isSandbox(request: FastifyRequest): boolean {
  return request.url.startsWith(SANDBOX_PREFIX);
}

export interface SandboxSource {
  /** The visible items of a resource, or undefined when the simulator has no such resource. */
  entities(resource: string): readonly unknown[] | undefined;
  /** Simulator-specific figures merged into `GET /__sandbox/stats`. */
  stats?(): Record<string, unknown>;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * `GET /__sandbox/stats` → the kit's counters plus the simulator's own figures;
 * `GET /__sandbox/entities/:resource?limit&offset` → `{ resource, total, limit, offset, items }` (404 if unknown).
 * No API key is needed: these routes exist for tests and the demo.
 */
export function registerSandboxRoutes(app: FastifyInstance, kit: SimulatorKit, source: SandboxSource): void {
  app.get(`${SANDBOX_PREFIX}stats`, (_request, reply) => reply.send({ ...kit.stats(), ...source.stats?.() }));
  app.get<{ Params: { resource: string }; Querystring: { limit?: string; offset?: string } }>(
    `${SANDBOX_PREFIX}entities/:resource`,
    async (request, reply) => {
      const items = source.entities(request.params.resource);
      if (!items) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown resource' });
      const limit = Math.min(MAX_PAGE, nonNegativeInt(request.query.limit) ?? DEFAULT_PAGE);
      const offset = nonNegativeInt(request.query.offset) ?? 0;
      return {
        resource: request.params.resource,
        total: items.length,
        limit,
        offset,
        items: items.slice(offset, offset + limit),
      };
    },
  );
}

/** Parses a query value as a non-negative integer; undefined when absent or malformed. */
export function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
