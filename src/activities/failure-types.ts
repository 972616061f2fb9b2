/**
 * Failure types that no retry can fix. Shared by activities (which raise them) and workflows (whose
 * retry policies name them), so this module must stay free of Node and client imports.
 */
export const NON_RETRYABLE_FAILURE_TYPES = [
  'StoreNotConfigured',
  'ShopkitAuthError',
  'ShopkitForbiddenError',
  'ShopkitValidationError',
  'ShopkitClientError',
  'ShopkitBadResponseError',
  'ShopimindAuthError',
  'ShopimindForbiddenError',
  'ShopimindValidationError',
  'ShopimindClientError',
  'ShopimindBadResponseError',
];
