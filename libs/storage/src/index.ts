export * from './storage.service';
export * from './local-storage';
export * from './s3-storage';
export * from './create-storage';
export * from './storage.module';
export * from './storage-keys';
