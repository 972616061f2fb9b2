export * from './api-error';
export * from './backoff';
export * from './json-http-client';
export * from './token-bucket';
