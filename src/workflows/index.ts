// The worker's workflow bundle: every export here is registered as a workflow type.
export { checkConnectionWorkflow } from './check-connection';
export { initialImportWorkflow } from './initial-import';
export { storeSyncWorkflow } from './store-sync';
