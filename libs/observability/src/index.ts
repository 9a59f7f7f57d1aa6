export * from './preflight';
export * from './health.controller';
export * from './log-context';
export * from './log-safety';
export * from './metrics';
export * from './shutdown-state';
export * from './observability.module';
export * from './run-service';
