import type { ShopkitStore } from '../shopkit/schemas';

/**
 * Inputs every mapper may need beyond the Shopkit payload (docs/mapping-decisions.md#mapping-inputs). Each mapper
 * declares the subset it uses as its own context type, so a caller can pass one {@link MappingContext} everywhere.
 */
export interface MappingConfig {
  /** ISO 639-1 `lang` for store-level entities and customers without a usable locale (D6). */
  defaultLang: string;
  /** IANA zone for date-only and naive Shopkit values (D7). */
  timezone: string;
  /** ShopiMind `id_data_source` of this store (docs/mapping-decisions.md#data-source). */
  dataSourceId: number;
  /** Fixed ISO timestamp recorded at installation, for reference data (D36). */
  seedTimestamp: string;
  /** Quantity sent when stock is not tracked (D19). */
  stockSentinel: number;
  /** Preferred image rendition (D21). */
  imageSize: ImageSize;
}

/** The parts of `GET /store` the mapping reads. */
export interface StoreSnapshot {
  storeCurrency: string;
  /** Storefront base URL, used only to build a category link when Shopkit gives none. */
  storeUrl: string;
  /** Whether displayed prices include tax (`store.taxes_included`). */
  taxesIncluded: boolean;
}

/** The store facts the mapping reads, from a parsed `GET /store`. */
export function storeSnapshotOf(store: Pick<ShopkitStore, 'currency' | 'url' | 'taxes_included'>): StoreSnapshot {
  return { storeCurrency: store.currency.trim(), storeUrl: store.url.trim(), taxesIncluded: store.taxes_included };
}

export type ImageSize = 'full' | 'square' | 'thumb';

export type MappingContext = MappingConfig & StoreSnapshot;

export const DEFAULT_MAPPING_CONFIG: Omit<MappingConfig, 'dataSourceId' | 'seedTimestamp'> = {
  defaultLang: 'pt',
  timezone: 'Europe/Lisbon',
  stockSentinel: 999,
  imageSize: 'full',
};

/**
 * Labels of fixed reference data: Portuguese and English; any other language uses English
 * (docs/mapping-decisions.md#reference-data).
 */
export interface Labels {
  en: string;
  pt: string;
}

export function labelIn(labels: Labels, lang: string): string {
  return lang === 'pt' ? labels.pt : labels.en;
}
