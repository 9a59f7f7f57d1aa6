export * from './test-env';
export * from './test-context';
export * from './wait-for';
export * from './factories';
export * from './zip';
export * from './api-driver';
export * from './stack';
export * from './fixtures';
