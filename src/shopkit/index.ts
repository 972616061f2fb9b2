// `ShopkitClient` names both the API client class and the customer payload type of schemas.ts;
// here it is the class, and the payload type is re-exported as `ShopkitCustomer`.
export { ShopkitClient } from './client';
export type { ShopkitClientOptions, ShopkitPageRequest, ShopkitPagesOptions } from './client';
export * from './item-validation';
export * from './list-shapes';
export * from './pager';
export * from './resources';
export * from './schemas';
export * from './webhook-signature';
