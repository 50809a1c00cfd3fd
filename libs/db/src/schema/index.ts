export * from './columns';
export * from './events';
export * from './nodes';
export * from './edges';
export * from './code-files';
export * from './code-chunks';
export * from './jobs';
export * from './search-stats';
