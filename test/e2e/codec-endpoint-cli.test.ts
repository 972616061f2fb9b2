import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildGateway, type SyncBackend } from '../../src/gateway';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { payloadCodecFor } from '../../src/temporal/temporal-client';
import { storeSyncWorkflowId, syncEventSignal } from '../../src/contracts';
import { storeSyncWorkflow } from '../../src/workflows';
import type { SyncEvent } from '../../src/contracts/sync';
import { connectTemporal, testTemporalSettings, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

const run = promisify(execFile);

/** The payloads' bytes in `temporal … --output json` (proto JSON: base64), read as text, and their encodings. */
function payloadsIn(stdout: string): { texts: string; encodings: string[] } {
  const found = [...stdout.matchAll(/"encoding": "([^"]*)"[\s\S]*?"data": "([^"]*)"/g)];
  const utf8 = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
  return { texts: found.map((m) => utf8(m[2])).join('\n'), encodings: found.map((m) => utf8(m[1])) };
}
const CODEC_TOKEN = 'codec-cli-token-0123456789';
const STORE = `codec-cli-${Date.now()}`;

describe('`temporal workflow show --codec-endpoint` against the gateway', () => {
  let ctx: TemporalTestContext;
  let gateway: FastifyInstance;
  let endpoint: string;

  beforeAll(async () => {
    ctx = await connectTemporal();
    const settings = testTemporalSettings();
    gateway = buildGateway({
      stores: new Map(),
      backend: {} as SyncBackend, // the codec routes never reach Temporal
      adminToken: 'admin-token-0123456789abcdef',
      codec: { codec: payloadCodecFor(settings), token: CODEC_TOKEN, namespace: settings.namespace, corsOrigins: [] },
    });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}/codec`;
  });

  afterAll(async () => {
    await ctx.client.workflow
      .getHandle(storeSyncWorkflowId(STORE))
      .terminate('test over')
      .catch(() => undefined);
    await gateway.close();
    await ctx.close();
  });

  it('shows sealed payloads without it and the customer in clear with it', async () => {
    // A webhook's signal, as the gateway sends it, to a sync no worker runs: the history holds just that.
    const event: SyncEvent = {
      event: 'newsletter_subscribed',
      receivedAt: '2026-03-01T12:00:00.000Z',
      digest: 'd'.repeat(32),
      kind: 'newsletter',
      customerId: 'c-1',
      email: 'marta.ferreira.7@example.test',
      name: 'Marta Ferreira',
      subscribed: true,
    };
    await ctx.client.workflow.signalWithStart(storeSyncWorkflow, {
      taskQueue: uniqueTaskQueue('codec-cli'),
      workflowId: storeSyncWorkflowId(STORE),
      args: [{ storeId: STORE }],
      signal: syncEventSignal,
      signalArgs: [event],
    });
    const temporal = findTemporalCli();
    const show = ['workflow', 'show', '--address', ctx.address, '--workflow-id', storeSyncWorkflowId(STORE)];

    const sealed = payloadsIn((await run(temporal, [...show, '--output', 'json'])).stdout);
    expect(sealed.encodings).toEqual(['binary/encrypted', 'binary/encrypted']);
    expect(sealed.texts).not.toContain('marta.ferreira.7@example.test');

    const codecFlags = ['--codec-endpoint', endpoint, '--codec-auth', `Bearer ${CODEC_TOKEN}`];
    const opened = payloadsIn((await run(temporal, [...show, '--output', 'json', ...codecFlags])).stdout);
    expect(opened.encodings).toEqual(['json/plain', 'json/plain']);
    expect(JSON.parse(opened.texts.split('\n')[0] ?? '')).toEqual({ storeId: STORE });
    expect(JSON.parse(opened.texts.split('\n')[1] ?? '')).toEqual(event);

    // A wrong token: the endpoint answers 401 and the CLI gives up instead of showing anything.
    const refused = await run(temporal, [...show, '--codec-endpoint', endpoint, '--codec-auth', 'Bearer wrong']).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(refused.code).toBeGreaterThan(0);
    expect(refused.stdout).not.toContain('marta.ferreira.7@example.test');
  });
});
