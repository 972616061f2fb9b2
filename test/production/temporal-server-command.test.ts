import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../../src/temporal/free-port';
import { spawnCli } from '../support/processes';

jest.setTimeout(180_000);

const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host, () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('shopkit-sync temporal-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-server-command-'));
  chmodSync(dir, 0o711);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves Temporal on PostgreSQL with the namespace and search attributes, prints its address, stops on SIGINT', async () => {
    const port = await freePort();
    const server = spawnCli(
      ['temporal-server', '--port', String(port), '--no-ui', '--data-dir', join(dir, 'data')],
      {},
    );
    try {
      let line: string | undefined;
      for (const deadline = Date.now() + 150_000; !line && Date.now() < deadline;) {
        line = server
          .output()
          .split('\n')
          .find((text) => text.startsWith('{'));
        if (server.child.exitCode !== null) throw new Error(`temporal-server exited: ${server.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const printed = JSON.parse(line ?? '{}') as { address: string; namespace: string; ui: null; postgres: string };
      expect(printed).toMatchObject({ address: `127.0.0.1:${port}`, namespace: 'default', ui: null });
      expect(printed.postgres).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);

      const connection = await Connection.connect({ address: printed.address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        expect(Object.keys(customAttributes ?? {}).sort()).toEqual(['ShopkitStore', 'SyncPhase']);
      } finally {
        await connection.close();
      }

      const postgresPort = Number(printed.postgres.split(':')[2]?.split('/')[0]);
      expect(await accepts('127.0.0.1', postgresPort)).toBe(true);
      expect(await server.stop('SIGINT')).toBe(0);
      // Ctrl-C stops what it started: the frontend and the local PostgreSQL cluster.
      expect([await accepts('127.0.0.1', port), await accepts('127.0.0.1', postgresPort)]).toEqual([false, false]);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
