export * from './blocked-addresses';
export * from './webhook-signature';
export * from './webhook-target-policy';
export * from './webhook-sender';
export * from './webhooks.module';
