/** The connection check's input and result: what a caller learns about a store's two API keys. */

export interface CheckConnectionInput {
  storeId: string;
}

export interface ApiCheck {
  ok: boolean;
  /** Failure type such as `ShopkitAuthError` when not ok. */
  errorType?: string;
  message?: string;
}

export interface CheckConnectionResult {
  storeId: string;
  storeName: string | null;
  currency: string | null;
  shopkit: ApiCheck;
  shopimind: ApiCheck & { dataSources?: number };
}

/** One check per call: a new id each time, so two checks never collide. */
export const checkConnectionWorkflowId = (storeId: string, at: number): string => `check-connection/${storeId}/${at}`;
