import { request } from 'undici';
import { spawnCli } from '../support/processes';

describe('shopkit-sync sandbox', () => {
  it("prints both simulators' endpoints and keys as one JSON line, then serves the generated store", async () => {
    const proc = spawnCli(['sandbox', '--seed', '3', '--products', '5', '--clients', '7', '--orders', '11'], {});
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no JSON line: ${proc.output()}`)), 30_000);
        proc.child.stdout?.on('data', () => {
          const first = proc
            .output()
            .split('\n')
            .find((l) => l.startsWith('{'));
          if (first) {
            clearTimeout(timer);
            resolve(first);
          }
        });
      });
      const endpoints = JSON.parse(line) as {
        shopkit: { baseUrl: string; apiKey: string; webhookSecret: string };
        shopimind: { baseUrl: string; apiKey: string };
      };
      expect(endpoints.shopkit.webhookSecret).toEqual(expect.any(String));
      const orders = await request(`${endpoints.shopkit.baseUrl}/order?status_alias=all&limit=50`, {
        headers: { 'x-api-key': endpoints.shopkit.apiKey },
      });
      expect(orders.statusCode).toBe(200);
      expect(orders.headers['x-total-count']).toBe('11');
      await orders.body.dump();
      const refused = await request(`${endpoints.shopimind.baseUrl}/data-sources`, {
        headers: { 'spm-api-key': 'wrong' },
      });
      expect(refused.statusCode).toBe(401);
      await refused.body.dump();
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });
});
