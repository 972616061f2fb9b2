import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPostgres, type LocalPostgres } from '../../src/postgres/local-cluster';
import { describeRegistryConformance } from './registry-conformance';

jest.setTimeout(120_000);

let cluster: LocalPostgres;
let dir: string;
let databases = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registry-postgres-'));
  cluster = await startLocalPostgres({ dir });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describeRegistryConformance('PostgreSQL', async () => {
  const name = `registry_${++databases}`;
  await cluster.createDatabase(name);
  return { kind: 'postgres', url: cluster.url(name) };
});
