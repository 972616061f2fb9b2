import type { StoreConfig } from '../config';
import { createCheckConnectionActivities } from './check-connection';
import { createImportActivities } from './import/import-activities';
import { StoreMemory } from './import/store-memory';
import { createSyncActivities } from './sync/sync-activities';
import { StoreClientFactory, type ClientFactoryOptions } from './store-clients';

export interface ActivityDeps {
  stores: ReadonlyMap<string, StoreConfig>;
  /** Client overrides (tests point retries and pools elsewhere); credentials always come from `stores`. */
  clientOptions?: ClientFactoryOptions;
}

/** Every activity of the worker, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const clients = new StoreClientFactory(deps.stores, deps.clientOptions);
  // One lookup cache per process: the sync starts warm with what the import just wrote.
  const memory = new StoreMemory();
  return {
    ...createCheckConnectionActivities(clients),
    ...createImportActivities(clients, memory),
    ...createSyncActivities(clients, memory),
  };
}

export type Activities = ReturnType<typeof createActivities>;
