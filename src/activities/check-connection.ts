import type { StoreClientFactory } from './store-clients';
import { asActivity } from './failures';

/** A check proves the keys saved last (an activation, a config update), never ones a cache still holds. */
const FRESH = { fresh: true };

export function createCheckConnectionActivities(clients: StoreClientFactory) {
  return {
    /** `GET /store` with the store's Shopkit key: proves the key and returns what the UI shows. */
    checkShopkitConnection(storeId: string): Promise<{ name: string; currency: string }> {
      return asActivity(async () => {
        const store = await (await clients.forStore(storeId, FRESH)).shopkit.getStore();
        return { name: store.name, currency: store.currency };
      });
    },

    /** `GET /v1/data-sources` with the store's ShopiMind key. */
    checkShopimindConnection(storeId: string): Promise<{ dataSources: number }> {
      return asActivity(async () => {
        const sources = await (await clients.forStore(storeId, FRESH)).shopimind.listDataSources();
        return { dataSources: sources.length };
      });
    },
  };
}
