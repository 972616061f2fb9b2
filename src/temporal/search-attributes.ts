import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes the workflows keep current; the dev server registers them at start. */
export const ShopkitStoreAttribute = defineSearchAttributeKey('ShopkitStore', SearchAttributeType.KEYWORD);
export const SyncPhaseAttribute = defineSearchAttributeKey('SyncPhase', SearchAttributeType.KEYWORD);

export const CUSTOM_SEARCH_ATTRIBUTES = { ShopkitStore: 'Keyword', SyncPhase: 'Keyword' } as const;
