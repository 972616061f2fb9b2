import type { Activities } from '../contracts/activities';
import type { StoreLookup } from '../registry/store-lookup';
import { createCheckConnectionActivities } from './check-connection';
import { createImportActivities } from './import/import-activities';
import { ImportMemories } from './import/store-memory';
import { createSyncActivities } from './sync/sync-activities';
import { StoreClientFactory, type ClientFactoryOptions } from './store-clients';

export interface ActivityDeps {
  /** Configured stores (a Map) or the installation registry's lookup. */
  stores: StoreLookup;
  /** Client overrides (tests point retries and pools elsewhere); credentials always come from `stores`. */
  clientOptions?: ClientFactoryOptions;
}

export { activityInterceptors } from './activity-interceptor';

/** Every activity of the worker, bound to its dependencies. */
export function createActivities(deps: ActivityDeps): Activities {
  const clients = new StoreClientFactory(deps.stores, deps.clientOptions);
  return {
    ...createCheckConnectionActivities(clients),
    ...createImportActivities(clients, new ImportMemories()),
    ...createSyncActivities(clients),
  };
}
