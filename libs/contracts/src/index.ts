export * from './job-status';
export * from './error-code';
export * from './bulkops-error';
export * from './queue-catalogue';
export * from './api-types';
export * from './format-bytes';
export * from './sse-parser';
