/**
 * What workflows, activities and their callers (gateway, CLI, demo, tests) agree on: workflow ids,
 * signals, queries, updates, inputs, results, failure types and the activity interface. Workflows and
 * activities import this and never each other's files (eslint enforces it).
 */
export * from './activities';
export * from './connection';
export * from './failures';
export * from './import';
export * from './sync';
