import type { StoreConfig } from '../config';
import { createCheckConnectionActivities } from './check-connection';
import { createImportActivities } from './import/import-activities';
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
  return {
    ...createCheckConnectionActivities(clients),
    ...createImportActivities(clients),
    ...createSyncActivities(clients),
  };
}

export type Activities = ReturnType<typeof createActivities>;
