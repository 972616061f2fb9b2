export * from './check-connection';
export * from './initial-import';
