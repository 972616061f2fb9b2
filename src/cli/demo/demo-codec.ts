import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import { registerCodecRoutes } from '../../gateway/codec-routes';
import { payloadCodecFor, type TemporalSettings } from '../../temporal/temporal-client';

export interface DemoCodecEndpoint {
  /** What `--codec-endpoint` and the Web UI take: `http://127.0.0.1:<port>/codec`. */
  endpoint: string;
  /** File holding the endpoint's bearer token (mode 0600), so hints can name it without printing it. */
  tokenFile: string;
  close(): Promise<void>;
}

/**
 * The gateway's codec routes on loopback for the demo's lifetime, so its sealed payloads can be read with
 * the Temporal CLI and the Web UI it started (whose origin is the only one allowed from a browser).
 */
export async function startDemoCodecEndpoint(options: {
  port: number;
  temporal: TemporalSettings;
  webUi: string | null;
  dataDir: string;
}): Promise<DemoCodecEndpoint> {
  const token = randomBytes(24).toString('hex');
  const tokenFile = resolve(options.dataDir, 'codec-token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const app = Fastify();
  // The codec routes read the raw body, as behind the gateway's own parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerCodecRoutes(app, {
    codec: payloadCodecFor(options.temporal),
    token,
    namespace: options.temporal.namespace,
    corsOrigins: options.webUi ? [new URL(options.webUi).origin] : [],
  });
  await app.listen({ host: '127.0.0.1', port: options.port });
  return { endpoint: `http://127.0.0.1:${options.port}/codec`, tokenFile, close: () => app.close() };
}
