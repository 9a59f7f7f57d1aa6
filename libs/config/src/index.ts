export * from './env-source';
export * from './secret.decorator';
export * from './load-env';
export * from './config.module';
export * from './envs';
