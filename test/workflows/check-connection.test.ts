import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { checkConnectionWorkflow } from '../../src/workflows';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

const SHOPKIT_KEY = 'shopkit-test-key-0123456789abcdef';
const SHOPIMIND_KEY = 'shopimind-test-key-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-fedcba9876543210';

describe('checkConnectionWorkflow on a real dev server', () => {
  let ctx: TemporalTestContext;
  let shopkit: ShopkitSimulator;
  let shopimind: ShopimindSimulator;

  beforeAll(async () => {
    ctx = await connectTemporal();
    shopkit = await startShopkitSimulator({
      apiKey: SHOPKIT_KEY,
      webhookSecret: WEBHOOK_SECRET,
      sizes: { products: 3, clients: 3, orders: 3 },
    });
    shopimind = await startShopimindSimulator({ apiKey: SHOPIMIND_KEY });
  });

  afterAll(async () => {
    await shopkit?.close();
    await shopimind?.close();
    await ctx?.close();
  });

  function storeEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      STORE_ID: 'shop-check',
      SHOPKIT_BASE_URL: shopkit.baseUrl,
      SHOPKIT_API_KEY: SHOPKIT_KEY,
      SHOPKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SHOPIMIND_BASE_URL: shopimind.baseUrl,
      SHOPIMIND_API_KEY: SHOPIMIND_KEY,
      ...overrides,
    };
  }

  async function runWith(env: Record<string, string>, workflowId: string) {
    const taskQueue = uniqueTaskQueue('check');
    const { worker } = await createTestWorker(ctx, env, { taskQueue });
    return worker.runUntil(async () => {
      const handle = await ctx.client.workflow.start(checkConnectionWorkflow, {
        args: [{ storeId: 'shop-check' }],
        taskQueue,
        workflowId,
      });
      const outcome = await handle.result().then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => ({ value: undefined, error }),
      );
      const history = JSON.stringify(await handle.fetchHistory());
      return { ...outcome, history };
    });
  }

  it('returns the store name, currency and both auth results, with no key in the history', async () => {
    const { value, error, history } = await runWith(storeEnv(), `check-ok-${Date.now()}`);
    expect(error).toBeUndefined();
    const store = shopkit.generator.store() as { name: string; currency: string };
    expect(value).toEqual({
      storeId: 'shop-check',
      storeName: store.name,
      currency: store.currency,
      shopkit: { ok: true },
      shopimind: { ok: true, dataSources: 0 },
    });
    expect(history).toContain('checkShopkitConnection');
    for (const secret of [SHOPKIT_KEY, SHOPIMIND_KEY, WEBHOOK_SECRET]) expect(history).not.toContain(secret);
  });

  it('ends in a non-retryable typed failure naming the store and the API, not the key, on a bad key', async () => {
    const badKey = 'revoked-shopimind-key-000000000000';
    const before = shopimind.kit.stats().requests;
    const { error, history } = await runWith(storeEnv({ SHOPIMIND_API_KEY: badKey }), `check-bad-${Date.now()}`);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    const failure = cause as ApplicationFailure;
    expect(failure.type).toBe('ShopimindAuthError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/shop-check/);
    expect(failure.message).toMatch(/shopimind GET \/data-sources failed 401/);
    expect(failure.message).toMatch(/shopkit ok/);
    // The failure carries its cause: the activity's typed failure, and under it the API error.
    expect(failure.cause).toBeInstanceOf(ActivityFailure);
    const typed = (failure.cause as ActivityFailure).cause as ApplicationFailure;
    expect(typed).toMatchObject({ type: 'ShopimindAuthError', nonRetryable: true });
    expect(typed.cause?.message).toMatch(/^shopimind GET \/data-sources failed 401 for store shop-check/);
    // Non-retryable: the refused key was tried exactly once.
    expect(shopimind.kit.stats().requests - before).toBe(1);
    expect(history).not.toContain(badKey);
    expect(JSON.stringify(failure)).not.toContain(badKey);
  });
});
