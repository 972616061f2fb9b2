import type { StoreClientFactory } from './store-clients';

/** A check proves the keys saved last (an activation, a config update), never ones a cache still holds. */
const FRESH = { fresh: true };

export function createCheckConnectionActivities(clients: StoreClientFactory) {
  return {
    /** `GET /store` with the store's Shopkit key: proves the key and returns what the UI shows. */
    async checkShopkitConnection(storeId: string): Promise<{ name: string; currency: string }> {
      const store = await (await clients.forStore(storeId, FRESH)).shopkit.getStore();
      return { name: store.name, currency: store.currency };
    },

    /** `GET /v1/data-sources` with the store's ShopiMind key. */
    async checkShopimindConnection(storeId: string): Promise<{ dataSources: number }> {
      const sources = await (await clients.forStore(storeId, FRESH)).shopimind.listDataSources();
      return { dataSources: sources.length };
    },
  };
}
