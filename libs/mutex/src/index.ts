export * from './org-lock';
export * from './mutex.module';
