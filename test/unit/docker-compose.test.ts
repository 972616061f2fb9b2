import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { NAMESPACE_RETENTION } from '../../src/temporal/namespace-setup';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { NUM_HISTORY_SHARDS, TEMPORAL_DATABASES } from '../../src/temporal/server-config';
import { buildGateway, loadGatewayConfig, type SyncBackend } from '../../src/gateway';
import { AesGcmPayloadCodec, generatePayloadKey } from '../../src/temporal/payload-codec';

// There is no Docker engine on the build machines, so the compose file is validated statically.
const root = resolve(__dirname, '..', '..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

/** A compose value as `docker compose` interpolates it: `${NAME:?…}` from `given`, `${NAME:-default}` else the default. */
const interpolate = (value: string | number, given: Record<string, string>) =>
  String(value).replace(
    /\$\{(\w+):([?-])([^}]*)\}/g,
    (_match, name: string, kind: string, fallback: string) => given[name] ?? (kind === '-' ? fallback : ''),
  );

describe('docker-compose.yml', () => {
  const services = compose.services;

  it('runs PostgreSQL, Temporal on PostgreSQL, the Web UI, the worker and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['gateway', 'postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('gives every long-running infrastructure service and the gateway a health check', () => {
    for (const name of ['postgresql', 'temporal', 'gateway']) {
      expect(services[name]?.healthcheck?.test.length).toBeGreaterThan(1);
    }
  });

  it('only depends on services that exist, with a readiness condition', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
  });

  it('starts the worker from the workflow bundle that the image build writes', () => {
    const build = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: { build: string } };
    expect(build.scripts.build).toContain('dist/temporal/workflow-bundle.js dist/workflow-bundle.js');
    expect(readFileSync(resolve(root, 'Dockerfile'), 'utf8')).toMatch(/RUN npm run build/);
    expect(services.worker?.environment?.WORKFLOW_BUNDLE).toBe('/app/dist/workflow-bundle.js');
  });

  it('builds the worker and gateway from the repository Dockerfile and wires them to Temporal', () => {
    for (const name of ['worker', 'gateway']) {
      const service = services[name];
      expect(service?.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(service?.environment).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_TASK_QUEUE: 'shopkit-shopimind',
        STORES_FILE: '/config/stores.json',
      });
      expect(service?.command?.slice(0, 2)).toEqual(['node', 'dist/cli/main.js']);
    }
    expect(existsSync(resolve(root, 'Dockerfile'))).toBe(true);
    expect(existsSync(resolve(root, 'src/cli/main.ts'))).toBe(true);
    expect(services.gateway?.environment?.GATEWAY_ADMIN_TOKEN).toMatch(/^\$\{GATEWAY_ADMIN_TOKEN:\?/);
  });

  it('seals payloads with a required key and lets the Web UI decode them through the gateway', async () => {
    for (const name of ['worker', 'gateway']) {
      expect(services[name]?.environment?.TEMPORAL_PAYLOAD_KEY).toMatch(/^\$\{TEMPORAL_PAYLOAD_KEY:\?/);
    }
    const gatewayEnv = services.gateway?.environment ?? {};
    expect(gatewayEnv.GATEWAY_CODEC_TOKEN).toMatch(/^\$\{GATEWAY_CODEC_TOKEN:\?/);
    const ui = services['temporal-ui']?.environment ?? {};
    const uiOrigin = new URL(String(ui.TEMPORAL_CORS_ORIGINS));
    const endpoint = new URL(String(ui.TEMPORAL_CODEC_ENDPOINT));
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(services['temporal-ui']?.ports).toContain(`${uiOrigin.port}:8080`);
    expect(services.gateway?.ports).toContain(`${endpoint.port}:${gatewayEnv.GATEWAY_PORT}`);
    // One host name for both, so the browser sends the SameSite=Strict session cookie to the gateway.
    expect(endpoint.hostname).toBe(uiOrigin.hostname);

    // The gateway configured as compose configures it answers the Web UI's request: the cookie an operator got
    // at /codec/login, the UI's origin and namespace, no Authorization header.
    const given: Record<string, string> = { GATEWAY_ADMIN_TOKEN: 'a'.repeat(32), GATEWAY_CODEC_TOKEN: 'c'.repeat(48) };
    const config = loadGatewayConfig(
      Object.fromEntries(Object.entries(gatewayEnv).map(([name, value]) => [name, interpolate(value, given)])),
    );
    const gateway = buildGateway({
      stores: new Map(),
      backend: {} as SyncBackend,
      adminToken: config.adminToken,
      codec: {
        codec: new AesGcmPayloadCodec({ current: generatePayloadKey() }),
        token: config.codecToken ?? '',
        namespace: String(services.worker?.environment?.TEMPORAL_NAMESPACE),
        corsOrigins: config.codecCorsOrigins,
      },
    });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}${endpoint.pathname}`;
    try {
      const login = await request(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${given.GATEWAY_CODEC_TOKEN}`,
      });
      await login.body.dump();
      const decoded = await request(`${base}/decode`, {
        method: 'POST',
        headers: {
          origin: uiOrigin.origin,
          cookie: String(login.headers['set-cookie']).split(';')[0] ?? '',
          'content-type': 'application/json',
          'x-namespace': 'default',
        },
        body: JSON.stringify({ payloads: [] }),
      });
      expect(await decoded.body.json()).toEqual({ payloads: [] });
      expect(decoded.statusCode).toBe(200);
      expect(decoded.headers['access-control-allow-origin']).toBe(uiOrigin.origin);
      expect(decoded.headers['access-control-allow-credentials']).toBe('true');
    } finally {
      await gateway.close();
    }
  });

  it('registers the search attributes the workflows use', () => {
    const entrypoint = JSON.stringify(services['temporal-search-attributes']);
    for (const [name, type] of Object.entries(CUSTOM_SEARCH_ATTRIBUTES)) {
      expect(entrypoint).toContain(`--name ${name} --type ${type}`);
    }
  });

  it('runs the versions and settings `shopkit-sync temporal-server` runs and the production test tier tests', () => {
    const setup = readFileSync(resolve(root, 'scripts/setup.sh'), 'utf8');
    const built = (name: string) => setup.match(new RegExp(`^${name}="v([\\d.]+)"`, 'm'))?.[1];
    expect(built('server_version')).toBe('1.29.1');
    expect(services.temporal?.image).toBe(`temporalio/auto-setup:${built('server_version')}`);
    expect(services['temporal-search-attributes']?.image).toBe(`temporalio/admin-tools:${built('server_version')}`);
    expect(services['temporal-ui']?.image).toBe(`temporalio/ui:${built('ui_version')}`);
    expect(services.postgresql?.image).toBe('postgres:15');
    expect(services.temporal?.environment).toMatchObject({
      DBNAME: TEMPORAL_DATABASES.default,
      VISIBILITY_DBNAME: TEMPORAL_DATABASES.visibility,
      NUM_HISTORY_SHARDS: NUM_HISTORY_SHARDS,
      DEFAULT_NAMESPACE: 'default',
      DEFAULT_NAMESPACE_RETENTION: NAMESPACE_RETENTION,
    });
  });

  it('publishes the Temporal frontend, the Web UI and the gateway', () => {
    expect(services.temporal?.ports).toContain('7233:7233');
    expect(services['temporal-ui']?.ports).toContain('8080:8080');
    expect(services.gateway?.ports).toContain('3000:3000');
  });
});
