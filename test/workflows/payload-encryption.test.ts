import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import type { AppConfig } from '../../src/config';
import { buildGateway, shopkitWebhookRegistrar, TemporalSyncBackend } from '../../src/gateway';
import { diffState, entitiesOf, expectedImportState } from '../../src/sandbox/expected-state';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { freePort } from '../../src/temporal/free-port';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  generatePayloadKey,
  KEY_ID_METADATA,
  payloadKeyId,
} from '../../src/temporal/payload-codec';
import { connectClient, dataConverterFor } from '../../src/temporal/temporal-client';
import {
  checkConnectionWorkflowId,
  importWorkflowId,
  progressQuery,
  storeSyncWorkflowId,
  syncStatusQuery,
} from '../../src/contracts';
import { checkConnectionWorkflow } from '../../src/workflows';
import { until } from '../support/until';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { connectTemporal, createTestWorker, testTemporalSettings, uniqueTaskQueue } from '../support/temporal';
import type { TemporalTestContext } from '../support/temporal';
import { WORKFLOW_PATCHES } from '../../src/workflows/patches';
import { readRecordedHistory } from '../support/history';
import { readTestRuntime } from '../support/test-runtime';

const STORE = 'sealed-store';
const ADMIN = 'sealed-admin-token-0123456789';
const WEBHOOK_SECRET = 'sealed-webhook-secret-0123456789';
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

/** What the SDK core records in clear about a local activity run (its result is sealed like any payload). */
const LOCAL_ACTIVITY_MARKER_KEYS = [
  'seq',
  'attempt',
  'activity_id',
  'activity_type',
  'complete_time',
  'backoff',
  'original_schedule_time',
];

/** Every payload of a raw history, with where it sits: search attributes and the core's markers stay plain. */
type PayloadPlace = 'data' | 'searchAttribute' | 'patchMarker' | 'localActivityMarker';

function payloadsOf(value: unknown, place: PayloadPlace = 'data', found: [Payload, PayloadPlace][] = []) {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return found;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
    found.push([record, place]);
    return found;
  }
  // The SDK core writes a patch marker itself, outside the payload codec, and a local activity's marker
  // beside its (sealed) result: the activity's type, attempt and times.
  if (record.markerName === 'core_local_activity' && record.details && typeof record.details === 'object') {
    for (const [key, child] of Object.entries(record.details)) {
      payloadsOf(child, key === 'data' ? 'localActivityMarker' : place, found);
    }
    return found;
  }
  const here = record.markerName === 'core_patch' ? 'patchMarker' : place;
  for (const [key, child] of Object.entries(record)) {
    payloadsOf(child, key === 'searchAttributes' ? 'searchAttribute' : here, found);
  }
  return found;
}

/**
 * Checks a payload the SDK core writes in clear (outside the codec) and returns true; false for any other
 * place, whose payload must be sealed.
 */
function expectOnlyCoreFacts(payload: Payload, place: PayloadPlace, storeId: string): boolean {
  if (place === 'patchMarker') {
    // A workflow change's name, nothing of the store's.
    const marker = defaultPayloadConverter.fromPayload<{ id: string; deprecated: boolean }>(payload);
    expect(WORKFLOW_PATCHES).toContain(marker.id);
    expect(marker).toEqual({ id: marker.id, deprecated: false });
    return true;
  }
  if (place === 'localActivityMarker') {
    const keys = Object.keys(defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload));
    expect(keys).toEqual(expect.arrayContaining(['activity_id', 'activity_type', 'attempt', 'seq']));
    expect(keys.filter((key) => !LOCAL_ACTIVITY_MARKER_KEYS.includes(key))).toEqual([]);
    return true;
  }
  if (place === 'searchAttribute') {
    // Indexed, so never sealed: the store id, a phase name and the patches applied, nothing else.
    for (const value of [defaultPayloadConverter.fromPayload<string | string[]>(payload)].flat()) {
      expect(value === storeId || WORKFLOW_PATCHES.includes(value) || /^[a-z]+$/.test(value)).toBe(true);
    }
    return true;
  }
  return false;
}

/** All the text a raw history holds: strings, and bytes read as UTF-8, as anyone reading the server's store sees it. */
function readableText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (value && typeof value === 'object') for (const child of Object.values(value)) readableText(child, out);
  return out;
}

describe('what the SDK core writes in clear', () => {
  it("is a local flush marker's activity facts beside its sealed result, as in a recorded sync", () => {
    const found = payloadsOf(readRecordedHistory('store-sync-local-flush.json'));
    expect(found.filter(([, place]) => place === 'localActivityMarker').length).toBeGreaterThan(0);
    for (const [payload, place] of found) {
      if (!expectOnlyCoreFacts(payload, place, 'recorded-store')) {
        expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      }
    }
  });
});

describe('customer data in Temporal: sealed by the payload codec, through an import, a sync and a key rotation', () => {
  const oldKey = readTestRuntime().payloadKey;
  const newKey = generatePayloadKey();
  let ctx: TemporalTestContext;
  let rotatedClient: Client | undefined;
  let shopkit: ShopkitSimulator;
  let shopimind: ShopimindSimulator;
  let taskQueue: string;
  let env: Record<string, string>;
  let port: number;
  let gateway: FastifyInstance | undefined;
  let worker: { worker: Worker; running: Promise<void>; config: AppConfig } | undefined;

  async function startWorker(keys: Record<string, string>, queue = taskQueue) {
    const created = await createTestWorker(ctx, { ...env, ...keys }, { taskQueue: queue });
    worker = { ...created, running: created.worker.run() };
  }

  async function stopWorker() {
    worker?.worker.shutdown();
    await worker?.running;
    worker = undefined;
  }

  async function startGateway(client: Client, config: AppConfig) {
    gateway = buildGateway({
      stores: config.stores,
      backend: new TemporalSyncBackend(client, {
        taskQueue,
        syncSettings: { ordersReconcileMs: 0, scanIntervalMs: 0, gateRecheckMs: 2_000 },
      }),
      adminToken: ADMIN,
      publicUrl: `http://127.0.0.1:${port}`,
      registerWebhooks: shopkitWebhookRegistrar(config.stores),
    });
    await gateway.listen({ host: '127.0.0.1', port });
  }

  async function admin(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const response = await request(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const body: unknown = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`${method} ${path}: ${response.statusCode}`);
    return body;
  }

  /** Orders, products and customers in ShopiMind against the mapping of the current Shopkit store. */
  async function differences(client: Client): Promise<string[]> {
    const progress = await client.workflow.getHandle(importWorkflowId(STORE)).query(progressQuery);
    if (!progress.mapping) return ['the import has not provisioned'];
    const expected = expectedImportState(shopkit.store, shopkit.generator, progress.mapping);
    return diffState(expected, shopimind.state, progress.mapping, {
      collections: ['orders', 'products', 'customers', 'customerAddresses'],
      ignore: { customers: ['updated_at'], customerAddresses: ['company'] },
    }).flatMap((diff) =>
      diff.missing.length + diff.unexpected.length + diff.different.length === 0
        ? []
        : [`${diff.collection}: missing ${diff.missing.length}, different ${diff.different.length}`],
    );
  }

  let step = 0;
  /** Order status changes, new orders, customer edits and consent changes: webhooks that carry personal data. */
  function mutate(count: number): void {
    const orders = entitiesOf(shopkit.store, 'orders').map((o) => Number(o.id));
    const clients = entitiesOf(shopkit.store, 'clients').map((c) => Number(c.id));
    for (let i = 0; i < count; i++, step++) {
      const pick = (ids: number[]) => ids[(step * 7919) % ids.length] as number;
      if (step % 4 === 0) shopkit.store.update('orders', pick(orders), { status_alias: 'sent', note: `n${step}` });
      else if (step % 4 === 1) shopkit.store.create('orders', { client_id: pick(clients) });
      else if (step % 4 === 2) shopkit.store.update('clients', pick(clients), { company: `Empresa ${step}` });
      else shopkit.store.setNewsletter(pick(clients), step % 8 === 3);
    }
  }

  beforeAll(async () => {
    ctx = await connectTemporal();
    shopkit = await startShopkitSimulator({
      seed: 11,
      webhookSecret: WEBHOOK_SECRET,
      sizes: { products: 20, clients: 30, orders: 60 },
      quota: null,
      webhooks: { retries: 60, retryIntervalMs: 250, timeoutMs: 5_000 },
    });
    shopimind = await startShopimindSimulator({ quota: null });
    taskQueue = uniqueTaskQueue('payload-encryption');
    env = {
      STORE_ID: STORE,
      SHOPKIT_BASE_URL: shopkit.baseUrl,
      SHOPKIT_API_KEY: shopkit.apiKey,
      SHOPKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SHOPKIT_QUOTA_PER_HOUR: '3600000',
      SHOPIMIND_BASE_URL: shopimind.baseUrl,
      SHOPIMIND_API_KEY: shopimind.apiKey,
      SHOPIMIND_QUOTA_PER_MINUTE: '600000',
    };
    port = await freePort();
  });

  afterAll(async () => {
    if (ctx) await terminateStoreWorkflows(ctx.client, STORE);
    await gateway?.close();
    await stopWorker();
    await rotatedClient?.connection.close();
    await shopkit?.close();
    await shopimind?.close();
    await ctx?.close();
  });

  it('keeps e-mails, names, phones and addresses out of the raw history, decodes all of it, and loses nothing on rotation', async () => {
    // Phase 1, the old key: the import through the gateway, then shop changes arriving as webhooks.
    await startWorker({ TEMPORAL_PAYLOAD_KEY: oldKey });
    await startGateway(ctx.client, (worker as { config: AppConfig }).config);
    await admin('POST', `/stores/${STORE}/webhooks`);
    await admin('POST', `/stores/${STORE}/import`);
    await until('the import to finish and the sync to clear its gate', async () => {
      const status = (await admin('GET', `/stores/${STORE}/status`)) as {
        import: { phase: string } | null;
        sync: { importGate: string } | null;
      };
      return status.import?.phase === 'done' && status.sync?.importGate === 'clear' ? true : undefined;
    });
    mutate(12);
    await until('the sync to receive the first changes', async () => {
      const status = await ctx.client.workflow.getHandle(storeSyncWorkflowId(STORE)).query(syncStatusQuery);
      return status.counters.received >= 6 ? true : undefined;
    });

    // Rotation mid-sync: worker and gateway restart with a new key, the old one kept for decryption only.
    await gateway?.close();
    await stopWorker();
    mutate(8); // delivered by Shopkit's retries once the gateway is back
    const rotated = { TEMPORAL_PAYLOAD_KEY: newKey, TEMPORAL_PAYLOAD_KEY_PREVIOUS: oldKey };
    await startWorker(rotated);
    rotatedClient = await connectClient({ ...testTemporalSettings(), payloadKey: newKey, payloadKeyPrevious: oldKey });
    await startGateway(rotatedClient, (worker as { config: AppConfig }).config);
    mutate(12);
    await shopkit.webhooks.idle();
    const client = rotatedClient;
    let problems: string[] = [];
    await until('ShopiMind to hold every change', async () => {
      const status = await client.workflow.getHandle(storeSyncWorkflowId(STORE)).query(syncStatusQuery);
      problems = await differences(client);
      return status.pending + status.inFlight === 0 && problems.length === 0 ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; ${problems.join('; ')}`);
    });
    expect(shopkit.webhooks.deliveries().filter((d) => !d.ok).length).toBeGreaterThan(0);

    // Every run of both workflows, found by the store's search attribute: ids carry the store id only.
    const runs = await until('both workflows in visibility', async () => {
      const found: { workflowId: string; runId: string }[] = [];
      for await (const run of client.workflow.list({ query: `ShopkitStore="${STORE}"` })) found.push(run);
      return new Set(found.map((run) => run.workflowId)).size === 2 ? found : undefined;
    });
    expect([...new Set(runs.map((run) => run.workflowId))].sort()).toEqual(
      [importWorkflowId(STORE), storeSyncWorkflowId(STORE)].sort(),
    );

    const personal = entitiesOf(shopkit.store, 'clients').flatMap((c) => {
      const address = c.delivery as { phone: string; address: string };
      return [String(c.email), String(c.name), address.phone, address.address.split('\\n')[0] as string];
    });
    expect(personal.length).toBeGreaterThan(100);
    const codec = new AesGcmPayloadCodec({ current: newKey, previous: oldKey });
    const keyIds = new Set<string>();
    const decodedText: string[] = [];
    for (const run of runs) {
      // Fetched raw, as the server stores it and the Web UI shows it without a codec endpoint.
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const raw = readableText(history).join('\n');
      for (const value of personal)
        expect({ run: run.workflowId, leaked: raw.includes(value) ? value : null }).toEqual({
          run: run.workflowId,
          leaked: null,
        });
      for (const [payload, place] of payloadsOf(history)) {
        if (expectOnlyCoreFacts(payload, place, STORE)) continue;
        expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
        keyIds.add(text(payload.metadata?.[KEY_ID_METADATA]));
        const [plain] = (await codec.decode([payload])) as [Payload];
        expect(text(plain.metadata?.encoding)).toMatch(/^json\/plain$|^binary\/null$/);
        decodedText.push(text(plain.data));
      }

      // Search attributes: the store id and a phase; memos: sealed, and only the store id once opened (the
      // import sets one, the sync none).
      const described = await client.workflow.getHandle(run.workflowId, run.runId).describe();
      expect(described.searchAttributes.ShopkitStore).toEqual([STORE]);
      const rawMemo = described.raw.workflowExecutionInfo?.memo?.fields ?? {};
      for (const field of Object.values(rawMemo)) expect(text(field.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(described.memo ?? {}).toEqual(run.workflowId === importWorkflowId(STORE) ? { storeId: STORE } : {});
    }
    // Both keys sealed part of the history: the rotation happened mid-sync, and everything still opens.
    expect([...keyIds].sort()).toEqual([payloadKeyId(oldKey), payloadKeyId(newKey)].sort());
    const opened = decodedText.join('\n');
    const inSignals = personal.filter((value) => opened.includes(value));
    expect(inSignals.length).toBeGreaterThan(0);

    // The sealed sync history replays with the codec, as a worker picking it up would.
    const sync = await client.workflow.getHandle(storeSyncWorkflowId(STORE)).fetchHistory();
    const bundle = { workflowBundle: { codePath: readTestRuntime().bundlePath } };
    await expect(
      Worker.runReplayHistory(
        { ...bundle, dataConverter: dataConverterFor({ payloadKey: newKey, payloadKeyPrevious: oldKey }) },
        sync,
      ),
    ).resolves.toBeUndefined();
  }, 240_000);

  it('retries a workflow task sealed with a key the worker lacks, and loses nothing once a worker holds it', async () => {
    // A client sealing with a key no running worker holds, as when a rotation skips step 1 somewhere.
    const foreignKey = generatePayloadKey();
    const foreign = await connectClient({ ...testTemporalSettings(), payloadKey: foreignKey });
    // A queue of its own, so that these workers see nothing of the sync above.
    const queue = uniqueTaskQueue('payload-encryption-unknown-key');
    try {
      await stopWorker();
      await startWorker({ TEMPORAL_PAYLOAD_KEY: oldKey }, queue);
      const handle = await foreign.workflow.start(checkConnectionWorkflow, {
        taskQueue: queue,
        workflowId: checkConnectionWorkflowId(STORE, Date.now()),
        args: [{ storeId: STORE }],
      });
      const failed = await until(
        'the workflow task to fail on the input, then be retried',
        async () => {
          const events = (await handle.fetchHistory()).events ?? [];
          const failure = events.find((event) => event.workflowTaskFailedEventAttributes);
          const attempt = (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
          return failure && attempt >= 2 ? failure.workflowTaskFailedEventAttributes : undefined;
        },
        30_000,
      );
      expect(failed?.failure?.message).toContain(`key id ${payloadKeyId(foreignKey)}`);
      expect(JSON.stringify(failed)).not.toContain(foreignKey);

      await stopWorker();
      await startWorker({ TEMPORAL_PAYLOAD_KEY: foreignKey, TEMPORAL_PAYLOAD_KEY_PREVIOUS: oldKey }, queue);
      await expect(handle.result()).resolves.toMatchObject({
        storeId: STORE,
        shopkit: { ok: true },
        shopimind: { ok: true },
      });
    } finally {
      await foreign.connection.close();
    }
  }, 90_000);
});
