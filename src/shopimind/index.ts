export * from './client';
export * from './idempotency-key';
export * from './resources';
export * from './schemas';
export * from './validation';
export * from './write-result';
