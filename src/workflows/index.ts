export * from './check-connection';
export * from './initial-import';
export * from './store-sync';
