import type { FailureType } from './failures';

/** The connection check's input and result: what a caller learns about a store's two API keys. */

export interface CheckConnectionInput {
  storeId: string;
}

/** One API's answer: ok, or the failure's type (such as `ShopkitAuthError`) and message. */
export type ApiCheck = { ok: true } | { ok: false; errorType: FailureType; message: string };

export interface CheckConnectionResult {
  storeId: string;
  storeName: string | null;
  currency: string | null;
  shopkit: ApiCheck;
  shopimind: ApiCheck & { dataSources?: number };
}

/** One check per call: a new id each time, so two checks never collide. */
export const checkConnectionWorkflowId = (storeId: string, at: number): string => `check-connection/${storeId}/${at}`;
